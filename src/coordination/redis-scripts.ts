/**
 * The Lua scripts of shared mode. Each runs atomically inside Redis, so "check then change" cannot
 * interleave with another instance.
 */

/** Deletes a lock only when it still holds our token. KEYS: lock. ARGV: token. */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Extends a lock only when it still holds our token (the fence before a write). ARGV: token, ttl ms. */
export const EXTEND_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/**
 * Claims what is due: moves up to ARGV[3] ids scored at or before ARGV[1] from the due set (KEYS[1]) to
 * the in-flight set (KEYS[2]) scored ARGV[2] (when the claim lapses). First puts back in-flight ids whose
 * claim lapsed (their instance died), unless they are already due again.
 */
export const TAKE_DUE = `
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
for _, id in ipairs(lapsed) do
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZADD', KEYS[1], 'NX', ARGV[1], id)
end
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZADD', KEYS[2], ARGV[2], id)
end
return ids`;

/** Takes a free lease with a new fencing token. KEYS: lease, fence counter. ARGV: holder, ttl ms. */
export const ACQUIRE_LEASE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return nil end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '#' .. fence, 'PX', ARGV[2])
return fence`;

/** Renews the lease only while it still carries our holder and fence. ARGV: value, ttl ms. */
export const RENEW_LEASE = EXTEND_LOCK;

/** Gives the lease up only while it is ours. ARGV: value. */
export const RELEASE_LEASE = RELEASE_LOCK;
