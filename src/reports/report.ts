import type { Issue } from '../domain/issue.ts';
import type { LedgerKind } from '../domain/ledger.ts';

/**
 * What a report reads of an issue: its ledger and the few facts the replay needs (the customer, when it
 * opened, its team, and whether its policy runs a next-response clock). Full issues fit too.
 */
export type ReportIssue = Pick<Issue, 'id' | 'team' | 'openedAt' | 'customer' | 'history'> & {
  readonly sla: { readonly clocks: { readonly nextResponse?: unknown } };
};

/**
 * First-contact resolution: of the issues resolved, those resolved after a single staff answer and never
 * reopened (the one-touch figure), as a percentage rounded to 0.1; `null` when nothing was resolved.
 */
export function fcrPct(row: { readonly oneTouch: number; readonly resolved: number }): number | null {
  return row.resolved === 0 ? null : Math.round((row.oneTouch / row.resolved) * 1000) / 10;
}

/** A half-open span of time in epoch milliseconds: `from <= at < to`. */
export interface Period {
  readonly from: number;
  readonly to: number;
}

/** How report rows are grouped: by the person an event is attributed to, or by the issue's team. */
export type GroupBy = 'owner' | 'team';

/** The group label for events attributed to nobody (no owner at the time). */
export const UNASSIGNED = 'unassigned';

/** The group label of the total row. */
export const ALL = 'all';

/** A set of durations: how many, their median and 90th percentile (ms, `null` when there are none). */
export interface DurationStats {
  readonly count: number;
  readonly medianMs: number | null;
  readonly p90Ms: number | null;
}

/** SLA deadlines settled in the period (see `computeReport` for the exact definition). */
export interface SlaFigures {
  readonly deadlines: number;
  readonly met: number;
  readonly breached: number;
  /** `met / deadlines` as a percentage rounded to 0.1, `null` when no deadline settled. */
  readonly attainmentPct: number | null;
}

/** Apologies sent, and the median time from the breach to the apology. */
export interface ApologyFigures {
  readonly count: number;
  readonly medianDelayMs: number | null;
}

/** Satisfaction ratings: how many, how many thumbs up, and `up / rated` as a percentage. */
export interface CsatFigures {
  readonly rated: number;
  readonly up: number;
  /** Rounded to 0.1; `null` when nothing was rated. */
  readonly pct: number | null;
}

/** The figures of one group (an owner, a team, or the total). */
export interface ReportRow {
  /** Owner key (`slack:U0STAFF1`), team id, {@link UNASSIGNED} or, for the total, {@link ALL}. */
  readonly group: string;
  readonly claimed: number;
  readonly resolved: number;
  readonly firstResponse: DurationStats;
  readonly resolution: DurationStats;
  readonly sla: SlaFigures;
  readonly breaches: number;
  readonly apologies: ApologyFigures;
  readonly handOffs: number;
  readonly reopens: number;
  readonly oneTouch: number;
  readonly csat: CsatFigures;
}

/** An ownership report over a period. */
export interface Report {
  readonly period: Period;
  readonly groupBy: GroupBy;
  /** How many issues were read (issues with no event in the period contribute nothing). */
  readonly issues: number;
  /** One row per group with at least one figure, ordered by group key, {@link UNASSIGNED} last. */
  readonly rows: readonly ReportRow[];
  readonly total: ReportRow;
}

/** What a report reads of the store: one period, grouped one way, possibly narrowed. */
export interface ReportQuery {
  readonly period: Period;
  readonly groupBy: GroupBy;
  /** Only this group's figures (`/heed stats`): an owner key or a team id. */
  readonly group?: string;
  /** Only the events of issues that are now on this team (the team digest). */
  readonly issueTeam?: string;
}

/** The ledger kinds whose rows carry a duration (first response, resolution, apology delay). */
export type TimedKind = 'responded' | 'resolved' | 'apologized';

/**
 * The sums over one group's ledger rows of one kind in the period (rows bearing a figure only; see
 * `ledger-figures.ts` for what each column means per kind).
 */
export interface KindFigures {
  readonly group: string;
  readonly kind: LedgerKind;
  /** Rows with a figure. */
  readonly events: number;
  /** Rows with a duration. */
  readonly timed: number;
  readonly deadlinesMet: number;
  readonly deadlinesBreached: number;
  /** Rows with the kind's flag set. */
  readonly flagged: number;
  /** `resolved` rows that are one-touch in this period. */
  readonly oneTouch: number;
}

/** One of the durations a percentile needs: the value at `rank` (from 0) of `count` sorted ones. */
export interface RankedDuration {
  /** The group, or `null` for every group together (the total row). */
  readonly group: string | null;
  readonly kind: TimedKind;
  readonly count: number;
  readonly rank: number;
  readonly valueMs: number;
}

/** What the store sums for a report, from which {@link Report} figures follow without a replay. */
export interface ReportFigures {
  /** Issues with a ledger event in the period (not read for a one-group query). */
  readonly issues: number;
  readonly kinds: readonly KindFigures[];
  /** Per group and timed kind, the values at the ranks the median and p90 need. */
  readonly durations: readonly RankedDuration[];
}
