/**
 * Coordination: what several Heed processes must agree on. One process (embedded mode, SQLite) agrees
 * with itself in memory ({@link localCoordination}); several share their PostgreSQL store
 * (`postgres-coordination.ts`). The core only sees these interfaces.
 */
import type { Transaction } from 'kysely';
import { DueIndex } from '../core/due-index.ts';
import { KeyedMutex } from '../core/keyed-mutex.ts';
import type { HeedTables } from '../store/tables.ts';
import type { LeaseBackend } from './lease.ts';

/** Held while a lock's work runs; `assertHeld` fences a write (throws when the lock was lost). */
export interface HeldLock {
  assertHeld(): Promise<void>;
}

/** Mutual exclusion per key (an issue id, a conversation, an index shard). */
export interface Locks {
  run<T>(key: string, work: (held: HeldLock) => Promise<T>): Promise<T>;
}

/** The earliest pending SLA alert of each open issue, shared by every instance's scheduler. */
export interface DueQueue {
  /** Sets (or clears, with `undefined`) when an issue next needs attention. */
  track(id: string, at: number | undefined): void;
  /** The earliest due time, if any. */
  peek(): Promise<number | undefined>;
  /** Claims the ids due at `now` for this instance: no other instance gets them until `finish`. */
  takeDue(now: number): Promise<string[]>;
  /** Releases claims taken by `takeDue` once their alerts were recorded. */
  finish(ids: readonly string[]): Promise<void>;
  /** How many issues are tracked (local: exact; shared: as last seen). */
  readonly size: number;
  /** The longest the scheduler may sleep: another instance may add an earlier deadline. */
  readonly maxSleepMs: number | undefined;
}

/** A change another instance made to an open issue's summary (or its closing). */
export interface SummaryChange {
  readonly id: string;
  /** The new summary as JSON, or undefined when the issue was closed. */
  readonly summary?: unknown;
}

/**
 * Set-if-absent dedupe of platform deliveries (Slack `event_id`s) across instances: a retry that lands on
 * another instance learns whether the first delivery was stored, is still in flight, or failed.
 */
export interface DeliveryDedupe {
  /** `run` (ours to handle), `done` (stored by someone: acknowledge), `busy` (in flight elsewhere). */
  begin(id: string): Promise<'run' | 'done' | 'busy'>;
  /** Marks a delivery stored (`true`) or forgets it so a retry runs it again (`false`). */
  settle(id: string, stored: boolean): Promise<void>;
}

export interface Coordination {
  /** `local` (one process) or `postgres` (any number of instances on one PostgreSQL store). */
  readonly mode: 'local' | 'postgres';
  /** A stable id of this process, in logs and lease values. */
  readonly instanceId: string;
  readonly locks: Locks;
  /** Set-if-absent with a TTL: true for the first caller only (idempotent intake, digests). */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a claim (its work failed, so a retry may run it again). */
  releaseClaim(key: string): Promise<void>;
  readonly due: DueQueue;
  /** Shared mode only: delivery dedupe across instances (one process dedupes in the adapters). */
  readonly deliveries?: DeliveryDedupe | undefined;
  /** Leases for work only one instance may do (holding the Discord gateway). */
  readonly leases: LeaseBackend;
  /** Tells the other instances an open issue's summary changed. */
  announce(change: SummaryChange): void;
  /**
   * The same, inside the change's transaction (delivered on commit; saves a round trip per change).
   * Without it the repository calls {@link announce} after the commit.
   */
  readonly announceIn?: ((trx: Transaction<HeedTables>, change: SummaryChange) => Promise<void>) | undefined;
  /**
   * Listens to other instances' announcements (and to a resync after a lost connection). Resolves once
   * listening, so what is loaded afterwards misses nothing.
   */
  onAnnouncement(listener: (change: SummaryChange) => void, resync: () => void): Promise<void>;
  /** Throws when the engine is unreachable (health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const HELD: HeldLock = { assertHeld: async () => {} };

/** One process: in-memory locks and claims, a heap of deadlines; no one to announce to. */
export function localCoordination(now: () => number = Date.now): Coordination {
  const mutex = new KeyedMutex();
  const claims = new Map<string, number>();
  const index = new DueIndex();
  const leases = new Map<string, string>();
  let fences = 0;
  return {
    mode: 'local',
    instanceId: `local-${process.pid}`,
    locks: { run: (key, work) => mutex.run(key, () => work(HELD)) },
    async claimOnce(key, ttlMs) {
      const at = now();
      const until = claims.get(key);
      if (until !== undefined && until > at) return false;
      if (claims.size > 100_000) {
        for (const [k, expiry] of claims) if (expiry <= at) claims.delete(k);
      }
      claims.set(key, at + ttlMs);
      return true;
    },
    async releaseClaim(key) {
      claims.delete(key);
    },
    due: {
      track: (id, at) => index.set(id, at),
      peek: async () => index.peek(),
      takeDue: async (at) => index.takeDue(at),
      finish: async () => {},
      get size() {
        return index.size;
      },
      maxSleepMs: undefined,
    },
    leases: {
      async acquire(name, holder) {
        if (leases.has(name)) return undefined;
        fences += 1;
        leases.set(name, `${holder}#${fences}`);
        return fences;
      },
      renew: async (name, holder, fence) => leases.get(name) === `${holder}#${fence}`,
      async release(name, holder, fence) {
        if (leases.get(name) === `${holder}#${fence}`) leases.delete(name);
      },
    },
    announce: () => {},
    onAnnouncement: async () => {},
    ping: async () => {},
    close: async () => {},
  };
}
