import type { Platform } from '../domain/refs.ts';
import type { HeedDatabase } from '../store/database.ts';
import { type ActiveThread, readActiveThreads, readThreadWatermarks, readWatermark } from './issue-reads.ts';
import { raiseWatermark } from './issue-rows.ts';

/**
 * Where catching up after downtime starts: each customer channel's watermark (the newest message handled
 * there, raised in the transaction that stores what a message caused) and the open issues' threads with
 * the newest message each has seen.
 */
export class CatchUpMarks {
  constructor(private readonly database: HeedDatabase) {}

  /** The newest message handled in a channel (epoch ms), if any. */
  watermark(scope: string): Promise<number | undefined> {
    return readWatermark(this.database, scope);
  }

  /** Moves a channel's watermark up to `at` (never down), creating it if needed. */
  async raise(scope: string, at: number): Promise<void> {
    await this.database.change((trx) => raiseWatermark(trx, scope, at));
  }

  /** The threads of `platform`'s not-yet-closed issues, the most recently updated first, at most `limit`. */
  activeThreads(platform: Platform, limit: number): Promise<ActiveThread[]> {
    return readActiveThreads(this.database, platform, limit);
  }

  /** The newest message each issue has seen in its thread (epoch ms), for the issues that have any. */
  threadWatermarks(issueIds: readonly string[]): Promise<Map<string, number>> {
    return readThreadWatermarks(this.database, issueIds);
  }
}
