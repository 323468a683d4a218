import { type FactDetail, factsByEvent } from './issue-facts.ts';
import type { ReportIssue } from './report.ts';

/**
 * What one ledger row holds for reports beside its event, derived from the issue's whole ledger when
 * the row is written (the ledger's `credit`, `duration_ms`, `deadlines_met`, `deadlines_breached` and
 * `flag` columns), so that a report is SQL sums over rows instead of a replay. Which figure a row
 * feeds follows from its kind:
 *
 * - every kind: `deadlinesMet` / `deadlinesBreached`, the SLA deadlines the event settled;
 * - `claimed`, `resolved`, `apologized`, `handed-off`, `reopened`, `rated`: one each (a row with a credit);
 * - `responded`: a first response when it has a duration;
 * - `resolved`: its resolution time; `flag` when exactly one response came before it (one-touch,
 *   unless the issue is reopened before the period's end);
 * - `apologized`: the time since the breach, when it followed one;
 * - `nagged`: `flag` when the nag is a breach (the first of its deadline generation);
 * - `rated`: `flag` for 👍.
 */
export interface LedgerFigures {
  /** The owner key (or `unassigned`) every figure of the event goes to; `null` when it has none. */
  readonly credit: string | null;
  /** First-response, resolution or apology delay in milliseconds (see above), else `null`. */
  readonly durationMs: number | null;
  readonly deadlinesMet: number;
  readonly deadlinesBreached: number;
  readonly flag: 0 | 1;
}

/** An event that bears no figure. */
export const NO_FIGURES: LedgerFigures = {
  credit: null,
  durationMs: null,
  deadlinesMet: 0,
  deadlinesBreached: 0,
  flag: 0,
};

interface Draft {
  credit: string | null;
  durationMs: number | null;
  deadlinesMet: number;
  deadlinesBreached: number;
  flag: 0 | 1;
}

function fold(draft: Draft, detail: FactDetail): void {
  switch (detail.kind) {
    case 'first-response':
      draft.durationMs = detail.durationMs;
      break;
    case 'resolved':
      draft.durationMs = detail.durationMs;
      if (detail.singleResponse) draft.flag = 1;
      break;
    case 'deadline':
      if (detail.breached) draft.deadlinesBreached += 1;
      else draft.deadlinesMet += 1;
      break;
    case 'breach':
      draft.flag = 1;
      break;
    case 'apology':
      draft.durationMs = detail.sinceBreachMs ?? null;
      break;
    case 'rating':
      if (detail.up) draft.flag = 1;
      break;
    case 'claimed':
    case 'hand-off':
    case 'reopen':
      break;
  }
}

/**
 * The figures of every event of the issue, aligned with `issue.history`. A row's figures can change
 * when a later event arrives out of time order or the issue's policy starts a next-response clock, so
 * writers derive them for the whole ledger and rewrite the rows whose figures changed
 * ({@link sameFigures}). Pure. How figures are derived is part of the schema: changing it needs a
 * migration that derives the stored ones again.
 */
export function ledgerFigures(issue: ReportIssue): LedgerFigures[] {
  return factsByEvent(issue).map((facts) => {
    const first = facts[0];
    if (!first) return NO_FIGURES;
    // Every fact of one event goes to the same person (the actor or the owner at that moment).
    const draft: Draft = { ...NO_FIGURES, credit: first.owner };
    for (const fact of facts) fold(draft, fact.detail);
    return draft;
  });
}

export function sameFigures(a: LedgerFigures, b: LedgerFigures): boolean {
  return (
    a.credit === b.credit &&
    a.durationMs === b.durationMs &&
    a.deadlinesMet === b.deadlinesMet &&
    a.deadlinesBreached === b.deadlinesBreached &&
    a.flag === b.flag
  );
}
