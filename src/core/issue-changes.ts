import type { Logger } from '../logging/logger.ts';
import type { IssueChangeNotice } from '../ports/home-page.ts';

/**
 * Tells whoever listens (the Slack App Home) that an issue changed: after every commit here, and for
 * every change another instance announces. Listeners run synchronously and must not throw; one that
 * does is logged and the others still hear.
 */
export class IssueChanges {
  private readonly listeners = new Set<(change: IssueChangeNotice) => void>();

  constructor(private readonly logger: Logger) {}

  /** Starts listening; returns the function that stops. */
  listen(listener: (change: IssueChangeNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(change: IssueChangeNotice): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger.warn({ err: error, issueId: change.issueId }, 'an issue-change listener failed');
      }
    }
  }
}
