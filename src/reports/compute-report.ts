import { type FactDetail, issueFacts } from './issue-facts.ts';
import { percentage, percentile } from './percentile.ts';
import {
  ALL,
  type DurationStats,
  type GroupBy,
  type Period,
  type Report,
  type ReportIssue,
  type ReportRow,
  UNASSIGNED,
} from './report.ts';

// Everything one group's figures are computed from.
interface Tally {
  claimed: number;
  resolved: number;
  firstResponseMs: number[];
  resolutionMs: number[];
  deadlinesMet: number;
  deadlinesBreached: number;
  breaches: number;
  apologies: number;
  apologyDelayMs: number[];
  handOffs: number;
  reopens: number;
  oneTouch: number;
  rated: number;
  ratedUp: number;
}

function emptyTally(): Tally {
  return {
    claimed: 0,
    resolved: 0,
    firstResponseMs: [],
    resolutionMs: [],
    deadlinesMet: 0,
    deadlinesBreached: 0,
    breaches: 0,
    apologies: 0,
    apologyDelayMs: [],
    handOffs: 0,
    reopens: 0,
    oneTouch: 0,
    rated: 0,
    ratedUp: 0,
  };
}

function record(tally: Tally, fact: FactDetail): void {
  switch (fact.kind) {
    case 'claimed':
      tally.claimed += 1;
      break;
    case 'first-response':
      tally.firstResponseMs.push(fact.durationMs);
      break;
    case 'resolved':
      tally.resolved += 1;
      tally.resolutionMs.push(fact.durationMs);
      if (fact.oneTouch) tally.oneTouch += 1;
      break;
    case 'deadline':
      if (fact.breached) tally.deadlinesBreached += 1;
      else tally.deadlinesMet += 1;
      break;
    case 'breach':
      tally.breaches += 1;
      break;
    case 'apology':
      tally.apologies += 1;
      if (fact.sinceBreachMs !== undefined) tally.apologyDelayMs.push(fact.sinceBreachMs);
      break;
    case 'hand-off':
      tally.handOffs += 1;
      break;
    case 'reopen':
      tally.reopens += 1;
      break;
    case 'rating':
      tally.rated += 1;
      if (fact.up) tally.ratedUp += 1;
      break;
  }
}

function durations(values: readonly number[]): DurationStats {
  return { count: values.length, medianMs: percentile(values, 50), p90Ms: percentile(values, 90) };
}

function toRow(group: string, tally: Tally): ReportRow {
  const deadlines = tally.deadlinesMet + tally.deadlinesBreached;
  return {
    group,
    claimed: tally.claimed,
    resolved: tally.resolved,
    firstResponse: durations(tally.firstResponseMs),
    resolution: durations(tally.resolutionMs),
    sla: {
      deadlines,
      met: tally.deadlinesMet,
      breached: tally.deadlinesBreached,
      attainmentPct: percentage(tally.deadlinesMet, deadlines),
    },
    breaches: tally.breaches,
    apologies: { count: tally.apologies, medianDelayMs: percentile(tally.apologyDelayMs, 50) },
    handOffs: tally.handOffs,
    reopens: tally.reopens,
    oneTouch: tally.oneTouch,
    csat: { rated: tally.rated, up: tally.ratedUp, pct: percentage(tally.ratedUp, tally.rated) },
  };
}

/** Report row order: code units (locale-independent, so the output is the same everywhere), `unassigned` last. */
export function byGroup(a: string, b: string): number {
  if (a === b) return 0;
  if (a === UNASSIGNED) return 1;
  if (b === UNASSIGNED) return -1;
  return a < b ? -1 : 1;
}

/**
 * Computes the ownership report of `issues` over `period` (`from <= at < to`), one row per owner or
 * team plus the total. Only ledger events inside the period count; earlier events are replayed only
 * to know who owned the issue, when it opened and which deadlines were running. Pure and
 * deterministic: no I/O, no clock.
 *
 * Attribution (the `owner` grouping): a claim goes to the claimer; a first response to the
 * responder; a resolution (with its resolution time and one-touch flag) to the resolver; a hand-off
 * to the owner who gave the issue away (the actor if nobody owned it); an apology to the apologizer;
 * a breach, a reopen and a rating to the owner at that moment (`unassigned` if none); a met SLA
 * deadline to whoever ended it (the responder or resolver), a breached one to the owner at the
 * breach. The `team` grouping uses the team stamped on each event (the issue's team at that time).
 * The total row counts every event once, whatever its group.
 *
 * Figures:
 * - `claimed`: `claimed` events (including the automatic claim of an unowned issue by its first
 *   responder).
 * - `resolved`: `resolved` events (an issue resolved, reopened and resolved again counts twice).
 * - `firstResponse`: for each `responded` event with `data.first` (the issue's first staff answer;
 *   for records without the flag, the first `responded`), `responded.at − opened.at` in calendar
 *   milliseconds (not business time); median and p90.
 * - `resolution`: for each `resolved` event, `resolved.at − opened.at` (from the original opening,
 *   also after a reopen), calendar milliseconds; median and p90.
 * - `sla`: deadlines settled in the period. A deadline is one running SLA promise: the first
 *   response of an issue (from `opened`), each next response (from a `customer-replied` after the
 *   first response while the issue is not resolved and none is running, and from a reopen by the
 *   customer; only for issues whose policy sets a next-response target, as their SLA clocks or
 *   alerts show), and each resolution (from `opened`, and again from every `reopened`). A deadline
 *   is breached at its first `nagged` event for that clock and counted then, once; otherwise it is
 *   met and counted when it ends: a `responded` ends the first- and next-response deadlines, a
 *   `resolved` ends all three (resolving stops every clock). So a first-response deadline counts in
 *   the period holding its first response or, if it was missed, its first-response nag. Deadlines
 *   still running at the end of the period are not counted, and adjacent periods never count one
 *   twice. `attainmentPct = met / (met + breached) × 100`, rounded to 0.1; `null` when none settled.
 * - `breaches`: `nagged` events whose `data.repeat` is 0 (or absent): one per deadline generation
 *   that went past due, so a snoozed deadline missed again counts twice here but once in `sla`.
 * - `apologies`: `apologized` events; `medianDelayMs` is the median `data.sinceBreachMs` of those
 *   that followed a breach.
 * - `handOffs`: `handed-off` events. `reopens`: `reopened` events.
 * - `oneTouch`: `resolved` events of issues with exactly one `responded` event before the resolution
 *   and no `reopened` event before the end of the period.
 * - `csat`: `rated` events with `data.score` `'up'` or `'down'`; `pct = up / rated × 100`, rounded to
 *   0.1, `null` when nothing was rated.
 *
 * Medians and p90s interpolate between closest ranks and are rounded to whole milliseconds; they are
 * `null` when there is nothing to measure. Rows appear for groups with at least one figure, ordered
 * by key (`slack:U0STAFF1` or a team id), `unassigned` last.
 */
export function computeReport(issues: readonly ReportIssue[], period: Period, groupBy: GroupBy): Report {
  const groups = new Map<string, Tally>();
  const total = emptyTally();
  const unique = new Map(issues.map((issue) => [issue.id, issue]));
  for (const issue of unique.values()) {
    for (const fact of issueFacts(issue, period)) {
      const key = groupBy === 'owner' ? fact.owner : fact.team;
      let tally = groups.get(key);
      if (!tally) {
        tally = emptyTally();
        groups.set(key, tally);
      }
      record(tally, fact.detail);
      record(total, fact.detail);
    }
  }
  const rows = [...groups.keys()].sort(byGroup).map((key) => toRow(key, groups.get(key)!));
  return {
    period: { from: period.from, to: period.to },
    groupBy,
    issues: unique.size,
    rows,
    total: toRow(ALL, total),
  };
}
