import type { Issue } from '../domain/issue.ts';
import type { LedgerEvent } from '../domain/ledger.ts';
import type { Platform } from '../domain/refs.ts';
import type { TickReport } from '../sla/tick-report.ts';

/** The steps of sending one SLA alert message through the outbox. */
export type AlertStep = 'alert-recorded' | 'alert-sent' | 'alert-marked';

/**
 * What the core tells whoever watches it (the metrics). Every method is optional, synchronous and
 * must not throw: the core calls it after the fact and never waits for it.
 */
export interface HeedObserver {
  /** A stored issue change and the ledger events it appended (none for reference-only patches). */
  issueSaved?(issue: Issue, events: readonly LedgerEvent[]): void;
  /** `Heed.handleMessage` finished: the outcome kind (or `error`) and the seconds it took. */
  messageHandled?(platform: Platform, outcome: string, seconds: number): void;
  /** A catch-up pass read `messages` customer-channel messages back from `platform`'s history. */
  caughtUp?(platform: Platform, messages: number): void;
  /**
   * An SLA alert message reached a step: `alert-recorded` (fired, in the outbox, about to be sent),
   * `alert-sent` (out, about to be marked), `alert-marked` (marked sent).
   */
  alertStep?(step: AlertStep): void;
  /** The SLA scheduler finished a tick. */
  slaTicked?(report: TickReport): void;
}
