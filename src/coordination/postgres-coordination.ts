/**
 * Shared mode: several Heed instances coordinating through the PostgreSQL store they share, with no
 * other service. Issue changes need no lock from here (they run in one transaction under a row lock and
 * a revision check); what is left is short-lived keys (conversation locks, claims, delivery dedupe), a
 * lease row with a fencing token (the Discord gateway), due alerts claimed with `FOR UPDATE SKIP LOCKED`,
 * and LISTEN/NOTIFY of open-issue summaries.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import { HeedError } from '../core/errors.ts';
import { KeyedMutex } from '../core/keyed-mutex.ts';
import type { Logger } from '../logging/logger.ts';
import type { HeedDatabase } from '../store/database.ts';
import { TtlKeys } from '../store/ttl-keys.ts';
import type { Coordination, DueQueue, HeldLock, SummaryChange } from './coordination.ts';
import type { LeaseBackend } from './lease.ts';

export interface PostgresCoordinationOptions {
  readonly database: HeedDatabase;
  readonly logger: Logger;
  /** The SLA clock: due times are compared with it. Locks, claims and leases use real time. */
  readonly now?: () => number;
  /** Lock lifetime without renewal; a write checks it still holds the lock first. */
  readonly lockTtlMs?: number;
  /** How long to wait for a busy lock before giving up. */
  readonly lockWaitMs?: number;
  /** How long an instance holds an issue's due alerts before another may take them (it died mid-send). */
  readonly dueClaimMs?: number;
  /** The longest a scheduler sleeps, so it notices deadlines other instances added. */
  readonly pollMs?: number;
}

const TAKE_LIMIT = 500;
/** A delivery in flight on an instance that died is free again after this long (Slack retries at 1 min). */
const DELIVERY_PENDING_MS = 30_000;
/** How long a stored delivery is remembered (Slack retries within about five minutes). */
const DELIVERY_DONE_MS = 15 * 60_000;
const SWEEP_EVERY_MS = 60_000;
const COUNT_EVERY_MS = 30_000;
const SUMMARIES = 'summaries';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function postgresCoordination(options: PostgresCoordinationOptions): Coordination {
  const { database, logger } = options;
  if (database.kind !== 'postgres' || !database.notifications) {
    throw new TypeError('postgresCoordination needs a PostgreSQL store');
  }
  const notifications = database.notifications;
  const clockNow = options.now ?? Date.now;
  const lockTtlMs = options.lockTtlMs ?? 15_000;
  const lockWaitMs = options.lockWaitMs ?? 10_000;
  const dueClaimMs = options.dueClaimMs ?? 30_000;
  const pollMs = options.pollMs ?? 1_000;
  const instanceId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const keys = new TtlKeys(database);
  const localLocks = new KeyedMutex();
  const db = database.db;
  const pending = `pending:${instanceId}`;

  // Called inside the local mutex for the lock's name, so no other holder on this instance exists: a row
  // carrying this instance's id is one whose release failed (the store was away) and is taken back.
  async function acquire(lockKey: string, token: string): Promise<void> {
    const deadline = Date.now() + lockWaitMs;
    let backoff = 2;
    while (!(await keys.claim(lockKey, token, lockTtlMs))) {
      const holder = await keys.get(lockKey);
      if (holder?.startsWith(`${instanceId}#`)) {
        await keys.set(lockKey, token, lockTtlMs);
        return;
      }
      if (Date.now() > deadline) {
        throw new HeedError('LOCK_TIMEOUT', `Gave up waiting for the lock ${lockKey}`, { lock: lockKey });
      }
      await sleep(backoff + Math.random() * backoff);
      backoff = Math.min(backoff * 2, 50);
    }
  }

  let dueSize = 0;
  let countedAt = Number.NEGATIVE_INFINITY;
  const due: DueQueue = {
    // Each change writes its issue's next alert time in its own transaction: the table is the index.
    track: () => {},
    async peek() {
      const now = clockNow();
      const row = await db
        .selectFrom('issues')
        .select((eb) => eb.fn.min('next_alert_at').as('next'))
        .where('next_alert_at', 'is not', null)
        .where((eb) => eb.or([eb('alert_claim_until', 'is', null), eb('alert_claim_until', '<=', now)]))
        .executeTakeFirst();
      if (Date.now() - countedAt >= COUNT_EVERY_MS) {
        countedAt = Date.now();
        const counted = await db
          .selectFrom('issues')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('next_alert_at', 'is not', null)
          .executeTakeFirst();
        dueSize = Number(counted?.count ?? 0);
      }
      return row?.next ?? undefined;
    },
    async takeDue(now) {
      // Claimed in one statement: rows another instance is claiming are skipped, not waited for.
      const result = await sql<{ id: string }>`
        update issues set alert_claim_until = ${now + dueClaimMs}, alert_claimed_by = ${instanceId}
        where id in (
          select id from issues
          where next_alert_at <= ${now} and (alert_claim_until is null or alert_claim_until <= ${now})
          order by next_alert_at
          limit ${TAKE_LIMIT}
          for update skip locked
        )
        returning id`.execute(db);
      return result.rows.map((row) => row.id);
    },
    async finish(ids) {
      if (ids.length === 0) return;
      await db
        .updateTable('issues')
        .set({ alert_claim_until: null, alert_claimed_by: null })
        .where('id', 'in', [...ids])
        .where('alert_claimed_by', '=', instanceId)
        .execute();
    },
    get size() {
      return dueSize;
    },
    maxSleepMs: pollMs,
  };

  const leases: LeaseBackend = {
    async acquire(name, holder, ttlMs) {
      const now = Date.now();
      const row = await db
        .insertInto('leases')
        .values({ name, holder, fence: 1, expires_at: now + ttlMs })
        .onConflict((conflict) =>
          conflict
            .column('name')
            .doUpdateSet((eb) => ({
              holder: eb.ref('excluded.holder'),
              fence: eb('leases.fence', '+', 1),
              expires_at: eb.ref('excluded.expires_at'),
            }))
            .where('leases.expires_at', '<=', now),
        )
        .returning('fence')
        .executeTakeFirst();
      return row?.fence;
    },
    async renew(name, holder, fence, ttlMs) {
      const now = Date.now();
      const result = await db
        .updateTable('leases')
        .set({ expires_at: now + ttlMs })
        .where('name', '=', name)
        .where('holder', '=', holder)
        .where('fence', '=', fence)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
    async release(name, holder, fence) {
      // The row stays, so the next taker's fence is still higher.
      await db
        .updateTable('leases')
        .set({ expires_at: 0 })
        .where('name', '=', name)
        .where('holder', '=', holder)
        .where('fence', '=', fence)
        .execute();
    },
  };

  const stops: (() => Promise<void>)[] = [];
  const sweeper = setInterval(() => {
    keys.sweep().catch((error: unknown) => logger.debug({ err: error }, 'could not sweep expired keys'));
  }, SWEEP_EVERY_MS);
  sweeper.unref?.();

  return {
    mode: 'postgres',
    instanceId,
    locks: {
      run(name, work) {
        const lockKey = `lock:${name}`;
        return localLocks.run(name, async () => {
          const token = `${instanceId}#${randomBytes(8).toString('hex')}`;
          await acquire(lockKey, token);
          const held: HeldLock = {
            async assertHeld() {
              if (!(await keys.extendIf(lockKey, token, lockTtlMs))) {
                throw new HeedError('LOCK_LOST', `The lock ${lockKey} expired before the write`, {
                  lock: lockKey,
                });
              }
            },
          };
          try {
            return await work(held);
          } finally {
            await keys.delete(lockKey, token).catch(() => undefined);
          }
        });
      },
    },
    claimOnce: (name, ttlMs) => keys.claim(`claim:${name}`, instanceId, ttlMs),
    async releaseClaim(name) {
      await keys.delete(`claim:${name}`);
    },
    due,
    deliveries: {
      async begin(id) {
        const key = `delivery:${id}`;
        if (await keys.claim(key, pending, DELIVERY_PENDING_MS)) return 'run';
        const state = await keys.get(key);
        if (state === 'done') return 'done';
        // Our own pending mark outlived its delivery (the store was away when it failed): run it again.
        // The event gate asks only for ids it has no delivery in flight for.
        if (state === pending) {
          await keys.set(key, pending, DELIVERY_PENDING_MS);
          return 'run';
        }
        return 'busy';
      },
      async settle(id, stored) {
        const key = `delivery:${id}`;
        if (stored) await keys.set(key, 'done', DELIVERY_DONE_MS);
        else await keys.delete(key, pending);
      },
    },
    leases,
    announceIn: (trx, change) =>
      notifications.notifyIn(trx, SUMMARIES, JSON.stringify({ from: instanceId, ...change })),
    announce(change) {
      notifications
        .notify(SUMMARIES, JSON.stringify({ from: instanceId, ...change }))
        .catch((error: unknown) => {
          logger.warn({ err: error, issueId: change.id }, 'could not announce an issue change');
        });
    },
    onAnnouncement(listener, resync) {
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
        const change: SummaryChange = { id, ...(summary !== undefined ? { summary } : {}) };
        listener(change);
      };
      return notifications.listen(SUMMARIES, deliver, resync).then(
        (stop) => {
          stops.push(stop);
        },
        (error: unknown) => {
          // Queues may go stale until the listener is back; the store stays the truth.
          logger.error({ err: error }, 'could not listen to issue changes from other instances');
        },
      );
    },
    ping: () => database.ping(),
    async close() {
      clearInterval(sweeper);
      await Promise.all(stops.splice(0).map((stop) => stop()));
    },
  };
}
