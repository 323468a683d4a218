import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createClient } from '@keyv/redis';
import { HeedError } from '../core/errors.ts';
import { KeyedMutex } from '../core/keyed-mutex.ts';
import type { Logger } from '../logging/logger.ts';
import type { Coordination, DueQueue, HeldLock, SummaryChange } from './coordination.ts';
import * as scripts from './redis-scripts.ts';

type RedisClient = ReturnType<typeof createClient>;

export interface RedisCoordinationOptions {
  /** `redis://` or `rediss://` URL, with credentials and database index if needed. Never logged. */
  readonly url: string;
  /** Prefix of every key and channel (default `heed:`), so several Heeds can share one Redis. */
  readonly keyPrefix?: string | undefined;
  readonly logger: Logger;
  /** Lock lifetime without renewal; a write checks it still holds the lock first. */
  readonly lockTtlMs?: number;
  /** How long to wait for a busy lock before giving up. */
  readonly lockWaitMs?: number;
  /** How long a claimed deadline stays with one instance before another may take it. */
  readonly dueClaimMs?: number;
  /** The longest a scheduler sleeps, so it notices deadlines other instances added or left behind. */
  readonly pollMs?: number;
}

const CONNECT_TIMEOUT_MS = 3_000;
const TAKE_LIMIT = 500;
/** A delivery in flight on an instance that died is free again after this long. */
const DELIVERY_PENDING_MS = 60_000;
/** How long a stored delivery is remembered (Slack retries within about five minutes). */
const DELIVERY_DONE_MS = 15 * 60_000;

/** Parses a reply that is a number, a numeric string, or nil. */
function numberOrUndefined(reply: unknown): number | undefined {
  if (reply === null || reply === undefined) return undefined;
  const value = Number(reply);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Shared mode: Redis as the coordination engine of several Heed instances. Locks with fencing checks,
 * committed revisions, set-if-absent claims, an atomic issue counter, a sorted set of deadlines claimed
 * atomically, leases with fencing tokens, and pub/sub of open-issue summaries.
 */
export async function openRedisCoordination(options: RedisCoordinationOptions): Promise<Coordination> {
  const prefix = options.keyPrefix ?? 'heed:';
  const logger = options.logger;
  const lockTtlMs = options.lockTtlMs ?? 15_000;
  const lockWaitMs = options.lockWaitMs ?? 10_000;
  const dueClaimMs = options.dueClaimMs ?? 30_000;
  const pollMs = options.pollMs ?? 2_000;
  const instanceId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  let connectedOnce = false;
  const client: RedisClient = createClient({
    url: options.url,
    name: `heed-coordination-${instanceId}`.replace(/[^!-~]/g, '_'),
    // Fail commands at once while Redis is away (callers answer "retry later"), and keep reconnecting.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // At start, fail fast with a clear message; once running, keep reconnecting.
      reconnectStrategy: (retries: number, cause: Error) =>
        !connectedOnce && retries >= 1 ? cause : Math.min(100 * 2 ** retries, 2_000),
    },
  });
  let reportedDown = false;
  client.on('error', (error: unknown) => {
    if (reportedDown) return;
    reportedDown = true;
    logger.error({ err: error }, 'coordination Redis is unreachable; retrying');
  });
  client.on('ready', () => {
    if (reportedDown) logger.info('coordination Redis is back');
    reportedDown = false;
  });
  try {
    await client.connect();
    connectedOnce = true;
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw new HeedError(
      'COORDINATION_UNREACHABLE',
      'Cannot reach the coordination Redis given in HEED_COORDINATION_URL',
      {},
      { cause: error },
    );
  }
  const subscriber = client.duplicate();
  subscriber.on('error', () => {});

  const key = (name: string) => `${prefix}${name}`;
  const evalScript = (script: string, keys: string[], args: (string | number)[]) =>
    client.eval(script, { keys, arguments: args.map(String) });

  const localLocks = new KeyedMutex();
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function acquire(lockKey: string): Promise<string> {
    const token = randomBytes(8).toString('hex');
    const deadline = Date.now() + lockWaitMs;
    let backoff = 2;
    for (;;) {
      const taken = await client.set(lockKey, token, {
        condition: 'NX',
        expiration: { type: 'PX', value: lockTtlMs },
      });
      if (taken === 'OK') return token;
      if (Date.now() > deadline) {
        throw new HeedError('LOCK_TIMEOUT', `Gave up waiting for the lock ${lockKey}`, { lock: lockKey });
      }
      await sleep(backoff + Math.random() * backoff);
      backoff = Math.min(backoff * 2, 50);
    }
  }

  const dueKey = key('due');
  const inflightKey = key('due:inflight');
  let dueSize = 0;
  const due: DueQueue = {
    track(id, at) {
      const write =
        at === undefined ? client.zRem(dueKey, id) : client.zAdd(dueKey, { score: at, value: id });
      write.catch((error: unknown) => {
        // The document holds the truth: a start-up resync (or the next change) puts the deadline back.
        logger.error({ err: error, issueId: id }, 'could not update the shared deadline index');
      });
    },
    async peek() {
      const [first] = await client.zRangeWithScores(dueKey, 0, 0);
      dueSize = await client.zCard(dueKey);
      return first?.score;
    },
    async takeDue(now) {
      const ids = await evalScript(
        scripts.TAKE_DUE,
        [dueKey, inflightKey],
        [now, now + dueClaimMs, TAKE_LIMIT],
      );
      return Array.isArray(ids) ? ids.map(String) : [];
    },
    async finish(ids) {
      if (ids.length > 0) await client.zRem(inflightKey, [...ids]);
    },
    get size() {
      return dueSize;
    },
    maxSleepMs: pollMs,
  };

  const channel = key('summaries');
  const listeners: { listener: (change: SummaryChange) => void; resync: () => void }[] = [];
  let subscribed = false;
  let resubscribes = 0;
  subscriber.on('ready', () => {
    // A dropped connection may have missed announcements: reload from the store.
    if (resubscribes++ > 0) for (const { resync } of listeners) resync();
  });

  return {
    mode: 'redis',
    instanceId,
    locks: {
      run(name, work) {
        const lockKey = key(`lock:${name}`);
        return localLocks.run(name, async () => {
          const token = await acquire(lockKey);
          const held: HeldLock = {
            async assertHeld() {
              const extended = await evalScript(scripts.EXTEND_LOCK, [lockKey], [token, lockTtlMs]);
              if (Number(extended) !== 1) {
                throw new HeedError('LOCK_LOST', `The lock ${lockKey} expired before the write`, {
                  lock: lockKey,
                });
              }
            },
          };
          try {
            return await work(held);
          } finally {
            await evalScript(scripts.RELEASE_LOCK, [lockKey], [token]).catch(() => undefined);
          }
        });
      },
    },
    async claimOnce(name, ttlMs) {
      const taken = await client.set(key(`claim:${name}`), instanceId, {
        condition: 'NX',
        expiration: { type: 'PX', value: ttlMs },
      });
      return taken === 'OK';
    },
    async releaseClaim(name) {
      await client.del(key(`claim:${name}`));
    },
    due,
    deliveries: {
      async begin(id) {
        const deliveryKey = key(`delivery:${id}`);
        const taken = await client.set(deliveryKey, 'pending', {
          condition: 'NX',
          expiration: { type: 'PX', value: DELIVERY_PENDING_MS },
        });
        if (taken === 'OK') return 'run';
        return (await client.get(deliveryKey)) === 'done' ? 'done' : 'busy';
      },
      async settle(id, stored) {
        const deliveryKey = key(`delivery:${id}`);
        if (stored)
          await client.set(deliveryKey, 'done', { expiration: { type: 'PX', value: DELIVERY_DONE_MS } });
        else await client.del(deliveryKey);
      },
    },
    leases: {
      async acquire(name, holder, ttlMs) {
        return numberOrUndefined(
          await evalScript(
            scripts.ACQUIRE_LEASE,
            [key(`lease:${name}`), key(`lease:${name}:fence`)],
            [holder, ttlMs],
          ),
        );
      },
      async renew(name, holder, fence, ttlMs) {
        return (
          Number(
            await evalScript(scripts.RENEW_LEASE, [key(`lease:${name}`)], [`${holder}#${fence}`, ttlMs]),
          ) === 1
        );
      },
      async release(name, holder, fence) {
        await evalScript(scripts.RELEASE_LEASE, [key(`lease:${name}`)], [`${holder}#${fence}`]);
      },
    },
    announce(change) {
      client.publish(channel, JSON.stringify({ from: instanceId, ...change })).catch((error: unknown) => {
        logger.warn({ err: error, issueId: change.id }, 'could not announce an issue change');
      });
    },
    onAnnouncement(listener, resync) {
      listeners.push({ listener, resync });
      if (subscribed) return;
      subscribed = true;
      const deliver = (raw: string) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          return;
        }
        if (typeof parsed !== 'object' || parsed === null) return;
        const { from, id, summary } = parsed as { from?: unknown; id?: unknown; summary?: unknown };
        if (from === instanceId || typeof id !== 'string') return;
        for (const entry of listeners) entry.listener({ id, ...(summary !== undefined ? { summary } : {}) });
      };
      subscriber
        .connect()
        .then(() => subscriber.subscribe(channel, deliver))
        .catch((error: unknown) => logger.error({ err: error }, 'could not subscribe to issue changes'));
    },
    async ping() {
      await client.ping();
    },
    async close() {
      if (subscriber.isOpen) await subscriber.close().catch(() => undefined);
      if (client.isOpen) await client.close().catch(() => undefined);
    },
  };
}
