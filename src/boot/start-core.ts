import type { HeedConfig } from '../config/schema.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { Heed } from '../core/heed.ts';
import type { Logger } from '../logging/logger.ts';
import type { HeedObserver } from '../observability/observer.ts';
import type { ChatPort } from '../ports/chat-port.ts';
import { acquireInstanceLock, type InstanceLock } from '../store/instance-lock.ts';
import { openStore } from '../store/open-store.ts';
import { DEFAULT_STORE_URL, parseStoreUrl, redactStoreUrl } from '../store/store-url.ts';
import type { DocumentStore } from '../store/types.ts';

export interface CoreOptions {
  readonly config: HeedConfig;
  readonly storeUrl?: string | undefined;
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
  readonly store: DocumentStore;
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
  let lock: InstanceLock | undefined;
  if (location.kind === 'sqlite') {
    lock = await acquireInstanceLock(location.path, { pid: process.pid, startedAt: Date.now() });
  }
  let store: DocumentStore | undefined;
  try {
    store = await openStore(url, { cwd });
    await store.ping();
    const heed = new Heed({
      config: options.config,
      store,
      chat: options.chat,
      clock: options.clock ?? systemClock,
      logger: options.logger,
      observer: options.observer,
    });
    await heed.start();
    if (options.runScheduler !== false) heed.scheduler.start();
    options.logger.info({ store: redactStoreUrl(url) }, 'Heed core started');
    const opened = store;
    return {
      heed,
      store: opened,
      async stop() {
        await heed.scheduler.stop();
        await opened.close();
        await lock?.release();
      },
    };
  } catch (error) {
    await store?.close().catch(() => undefined);
    await lock?.release();
    throw error;
  }
}
