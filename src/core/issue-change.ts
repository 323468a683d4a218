import type { Issue } from '../domain/issue.ts';
import type { LedgerDraft, LedgerEvent } from '../domain/ledger.ts';
import type { Rich } from '../messages/rich-text.ts';
import type { OutboxDraft, OutboxEntry } from './outbox.ts';

/** What a change function returns: the new issue and its ledger drafts, or a refusal. */
export type Change =
  | {
      readonly ok: true;
      readonly issue: Issue;
      readonly events: readonly LedgerDraft[];
      /** Messages the change owes, recorded with it in the outbox (claimed for sending from `at`). */
      readonly outbox?: { readonly at: number; readonly drafts: readonly OutboxDraft[] } | undefined;
    }
  | Refusal;
export type Refusal = { readonly ok: false; readonly code: string; readonly message: Rich };

/** The outcome of an update: the stored issue and the ledger events it appended. */
export interface Saved {
  readonly issue: Issue;
  readonly events: readonly LedgerEvent[];
  /** The outbox entries the change recorded, to send now (see `core/outbox.ts`). */
  readonly outbox?: readonly OutboxEntry[];
}

export interface RepositoryHooks {
  /** Derives state (the SLA clocks) from every change before it is stored. Pure. */
  prepare?(before: Issue | undefined, after: Issue): Issue;
  /**
   * Told after every committed change with the ledger events it appended (the SLA due index and the
   * metrics listen; bulk imports append none).
   */
  saved?(issue: Issue, events: readonly LedgerEvent[]): void;
}
