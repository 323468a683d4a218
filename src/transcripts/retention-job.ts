import type { Clock } from '../core/clock.ts';
import type { Core } from '../core/core.ts';
import { TimerLoop } from '../core/timer-loop.ts';
import type { Logger } from '../logging/logger.ts';
import type { HeedDatabase } from '../store/database.ts';
import { type PurgeReport, purgeMessageText } from './retention.ts';

/** How often the purge runs. */
export const PURGE_EVERY_MS = 60 * 60_000;

/** Runs the retention purge at start and then every hour, on real timers. */
export class RetentionJob {
  private readonly loop: TimerLoop<PurgeReport>;
  private lastRun = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: {
      readonly heed: Pick<Core, 'config' | 'issues'>;
      readonly database: HeedDatabase;
      readonly clock: Clock;
      readonly logger: Logger;
    },
  ) {
    this.loop = new TimerLoop({
      work: () => this.run(),
      // The loop wakes every minute at most; a pass runs once an hour.
      nextDelay: () => Math.max(0, this.lastRun + PURGE_EVERY_MS - this.deps.clock.now()),
      onError: (error) => {
        this.deps.logger.error({ err: error }, 'the retention purge failed; trying again in an hour');
        this.lastRun = this.deps.clock.now();
        return undefined;
      },
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass now. */
  tick(): Promise<PurgeReport> {
    return this.loop.run();
  }

  private async run(): Promise<PurgeReport> {
    const now = this.deps.clock.now();
    this.lastRun = now;
    return purgeMessageText(
      { database: this.deps.database, issues: this.deps.heed.issues, logger: this.deps.logger },
      now - this.deps.heed.config.retention.messages,
    );
  }
}
