import type { Logger } from '../logging/logger.ts';
import type { HeedDatabase } from '../store/database.ts';

/**
 * A platform adapter as the health check sees it: connected now, or not; `standby` is an instance that
 * leaves the Discord gateway to the lease holder (shared mode) and is healthy.
 */
export type PlatformState = 'connected' | 'disconnected' | 'disabled' | 'standby';

/** The body of `GET /healthz`. */
export interface HealthReport {
  readonly status: 'ok' | 'failing';
  readonly store: 'ok' | 'failing';
  readonly slack: PlatformState;
  readonly discord: PlatformState;
  /** Shared mode's Redis; `none` for one instance. */
  readonly coordination: 'ok' | 'failing' | 'none';
}

/** What the health check looks at. */
export interface HealthCheckOptions {
  readonly store: Pick<HeedDatabase, 'ping'>;
  /** `() => connected` for each enabled adapter; a platform left out is `disabled`. */
  readonly slack?: (() => boolean) | undefined;
  readonly discord?: (() => boolean | 'standby') | undefined;
  /** Shared mode: the coordination engine, pinged like the store. */
  readonly coordination?: { ping(): Promise<void> } | undefined;
  /** A store that has not answered within this is failing (default 2 s). */
  readonly timeoutMs?: number;
  readonly logger: Logger;
}

const DEFAULT_TIMEOUT_MS = 2_000;

/**
 * Heed is healthy when its store answers `ping()` and every enabled adapter is connected. A change of
 * verdict is logged once (the store's error only goes to the log, never into the HTTP answer).
 */
export class HealthCheck {
  private wasHealthy = true;

  constructor(private readonly options: HealthCheckOptions) {}

  async check(): Promise<HealthReport> {
    const store = await this.ping(this.options.store);
    const coordination = this.options.coordination ? await this.ping(this.options.coordination) : 'none';
    const slack = platformState(this.options.slack);
    const discord = platformState(this.options.discord);
    const healthy =
      store === 'ok' && coordination !== 'failing' && slack !== 'disconnected' && discord !== 'disconnected';
    const report: HealthReport = { status: healthy ? 'ok' : 'failing', store, slack, discord, coordination };
    if (healthy !== this.wasHealthy) {
      if (healthy) this.options.logger.info({ health: report }, 'healthy again');
      else this.options.logger.warn({ health: report }, 'health check failing');
      this.wasHealthy = healthy;
    }
    return report;
  }

  private async ping(target: { ping(): Promise<void> }): Promise<'ok' | 'failing'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('the store did not answer in time')),
        this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([target.ping(), timeout]);
      return 'ok';
    } catch (error) {
      this.options.logger.debug({ err: error }, 'ping failed');
      return 'failing';
    } finally {
      clearTimeout(timer);
    }
  }
}

function platformState(connected: (() => boolean | 'standby') | undefined): PlatformState {
  if (!connected) return 'disabled';
  const state = connected();
  if (state === 'standby') return 'standby';
  return state ? 'connected' : 'disconnected';
}
