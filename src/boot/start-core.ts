import type { HeedConfig } from '../config/schema.ts';
import { type Coordination, localCoordination } from '../coordination/coordination.ts';
import { postgresCoordination } from '../coordination/postgres-coordination.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { HeedError } from '../core/errors.ts';
import type { Logger } from '../logging/logger.ts';
import type { HeedObserver } from '../observability/observer.ts';
import type { ChatPort } from '../ports/chat-port.ts';
import { type HeedDatabase, openDatabase } from '../store/database.ts';
import { acquireInstanceLock, type InstanceLock } from '../store/instance-lock.ts';
import { DEFAULT_STORE_URL, parseStoreUrl, redactStoreUrl } from '../store/store-url.ts';
import { Heed } from './heed.ts';

export interface CoreOptions {
  readonly config: HeedConfig;
  readonly storeUrl?: string | undefined;
  /**
   * `HEED_COORDINATION_URL`, retired: instances coordinate through their PostgreSQL store. Still read so
   * that an SQLite store meant for several instances is refused, and a PostgreSQL one is told to drop it.
   */
  readonly coordinationUrl?: string | undefined;
  /** SQLite: `full` (default) or `normal` (`HEED_SQLITE_SYNCHRONOUS`). */
  readonly sqliteSynchronous?: 'full' | 'normal';
  readonly chat: ChatPort;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly cwd?: string;
  /** Runs the SLA scheduler on real timers (servers do; one-off tools do not). */
  readonly runScheduler?: boolean;
  /** Watches the core (the metrics). */
  readonly observer?: HeedObserver;
}

export interface RunningCore {
  readonly heed: Heed;
  readonly database: HeedDatabase;
  readonly coordination: Coordination;
  stop(): Promise<void>;
}

/**
 * Opens the store (taking the single-writer lock for an embedded SQLite file), loads the core and starts
 * the SLA scheduler. Platform-neutral: adapters are started by the composition root.
 */
export async function startCore(options: CoreOptions): Promise<RunningCore> {
  const url = options.storeUrl ?? DEFAULT_STORE_URL;
  const cwd = options.cwd ?? process.cwd();
  const location = parseStoreUrl(url, cwd);
  if (options.coordinationUrl !== undefined && location.kind !== 'postgres') {
    throw new HeedError(
      'SHARED_MODE_NEEDS_SHARED_STORE',
      `HEED_COORDINATION_URL asks for several instances, but the store (${location.describe()}) belongs to one process. Set HEED_STORE_URL to a PostgreSQL URL that every instance can reach (they coordinate through it), or unset HEED_COORDINATION_URL to run one instance.`,
    );
  }
  if (options.coordinationUrl !== undefined) {
    options.logger.warn(
      'HEED_COORDINATION_URL is no longer used: instances coordinate through the PostgreSQL store. Unset it.',
    );
  }
  let lock: InstanceLock | undefined;
  if (location.kind === 'sqlite') {
    lock = await acquireInstanceLock(location.path, { pid: process.pid, startedAt: Date.now() });
  }
  const clock = options.clock ?? systemClock;
  let store: HeedDatabase | undefined;
  let coordination: Coordination | undefined;
  try {
    store = await openDatabase(url, {
      cwd,
      ...(options.sqliteSynchronous ? { sqliteSynchronous: options.sqliteSynchronous } : {}),
    });
    // PostgreSQL may be shared by any number of instances; an SQLite file has one (the lock above).
    coordination =
      store.kind === 'postgres'
        ? postgresCoordination({
            database: store,
            now: () => clock.now(),
            logger: options.logger.child({ module: 'coordination' }),
          })
        : localCoordination(() => clock.now());
    const heed = new Heed({
      config: options.config,
      database: store,
      chat: options.chat,
      clock,
      logger: options.logger,
      observer: options.observer,
      coordination,
    });
    await heed.start();
    if (options.runScheduler !== false) {
      heed.scheduler.start();
      heed.onCall.start();
    }
    options.logger.info(
      {
        store: redactStoreUrl(url),
        coordination: coordination.mode === 'postgres' ? 'through the store' : 'in process',
        instance: coordination.instanceId,
      },
      'Heed core started',
    );
    const opened = store;
    const coordinated = coordination;
    return {
      heed,
      database: opened,
      coordination: coordinated,
      async stop() {
        heed.onCall.stop();
        await heed.scheduler.stop();
        await coordinated.close();
        await opened.close();
        await lock?.release();
      },
    };
  } catch (error) {
    await coordination?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await lock?.release();
    throw error;
  }
}
