import type { HeedConfig } from '../config/schema.ts';
import { type Coordination, localCoordination } from '../coordination/coordination.ts';
import { openRedisCoordination } from '../coordination/redis-coordination.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { HeedError } from '../core/errors.ts';
import { Heed } from '../core/heed.ts';
import type { Logger } from '../logging/logger.ts';
import type { HeedObserver } from '../observability/observer.ts';
import type { ChatPort } from '../ports/chat-port.ts';
import { type HeedDatabase, openDatabase } from '../store/database.ts';
import { acquireInstanceLock, type InstanceLock } from '../store/instance-lock.ts';
import { DEFAULT_STORE_URL, parseStoreUrl, redactStoreUrl } from '../store/store-url.ts';

export interface CoreOptions {
  readonly config: HeedConfig;
  readonly storeUrl?: string | undefined;
  /** Shared mode: the Redis that several instances coordinate through (`HEED_COORDINATION_URL`). */
  readonly coordinationUrl?: string | undefined;
  /** Prefix of Redis keys, for the coordination (`HEED_KEY_PREFIX`, default `heed:`). */
  readonly keyPrefix?: string | undefined;
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
  const shared = options.coordinationUrl !== undefined;
  if (shared) {
    const coordination = parseStoreUrl(options.coordinationUrl!, cwd);
    if (coordination.kind !== 'redis') {
      throw new HeedError(
        'COORDINATION_URL_INVALID',
        `HEED_COORDINATION_URL must be a Redis URL such as redis://127.0.0.1:6379/0, not ${coordination.describe()}.`,
      );
    }
  }
  if (shared && location.kind !== 'postgres') {
    throw new HeedError(
      'SHARED_MODE_NEEDS_SHARED_STORE',
      `HEED_COORDINATION_URL runs several instances, but the store (${location.describe()}) belongs to one process. Set HEED_STORE_URL to a PostgreSQL URL that every instance can reach, or unset HEED_COORDINATION_URL to run one instance.`,
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
    coordination = options.coordinationUrl
      ? await openRedisCoordination({
          url: options.coordinationUrl,
          keyPrefix: options.keyPrefix,
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
    if (options.runScheduler !== false) heed.scheduler.start();
    options.logger.info(
      {
        store: redactStoreUrl(url),
        coordination: options.coordinationUrl ? redactStoreUrl(options.coordinationUrl) : 'in process',
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
