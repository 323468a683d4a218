import { byGroup } from './compute-report.ts';
import { percentage, percentileOfSorted } from './percentile.ts';
import {
  ALL,
  type DurationStats,
  type KindFigures,
  type RankedDuration,
  type Report,
  type ReportFigures,
  type ReportQuery,
  type ReportRow,
  type TimedKind,
} from './report.ts';

interface Counts {
  claimed: number;
  resolved: number;
  deadlinesMet: number;
  deadlinesBreached: number;
  breaches: number;
  apologies: number;
  handOffs: number;
  reopens: number;
  oneTouch: number;
  rated: number;
  ratedUp: number;
}

function noCounts(): Counts {
  return {
    claimed: 0,
    resolved: 0,
    deadlinesMet: 0,
    deadlinesBreached: 0,
    breaches: 0,
    apologies: 0,
    handOffs: 0,
    reopens: 0,
    oneTouch: 0,
    rated: 0,
    ratedUp: 0,
  };
}

// Which figure a kind's rows feed: see `ledger-figures.ts`.
function add(counts: Counts, figures: KindFigures): void {
  counts.deadlinesMet += figures.deadlinesMet;
  counts.deadlinesBreached += figures.deadlinesBreached;
  switch (figures.kind) {
    case 'claimed':
      counts.claimed += figures.events;
      break;
    case 'resolved':
      counts.resolved += figures.events;
      counts.oneTouch += figures.oneTouch;
      break;
    case 'nagged':
      counts.breaches += figures.flagged;
      break;
    case 'apologized':
      counts.apologies += figures.events;
      break;
    case 'handed-off':
      counts.handOffs += figures.events;
      break;
    case 'reopened':
      counts.reopens += figures.events;
      break;
    case 'rated':
      counts.rated += figures.events;
      counts.ratedUp += figures.flagged;
      break;
    default:
      break;
  }
}

/** The durations of one group and kind, known at the ranks percentiles read. */
class Ranked {
  private readonly values = new Map<number, number>();
  constructor(readonly count: number) {}

  set(rank: number, valueMs: number): void {
    this.values.set(rank, valueMs);
  }

  percentile(p: number): number | null {
    return percentileOfSorted(this.count, p, (rank) => {
      const value = this.values.get(rank);
      if (value === undefined) throw new Error(`rank ${rank} of ${this.count} durations was not read`);
      return value;
    });
  }
}

const durationKey = (group: string | null, kind: TimedKind) => (group === null ? kind : `${kind}:${group}`);

function rankedByGroup(durations: readonly RankedDuration[]): Map<string, Ranked> {
  const out = new Map<string, Ranked>();
  for (const duration of durations) {
    const key = durationKey(duration.group, duration.kind);
    let ranked = out.get(key);
    if (!ranked) {
      ranked = new Ranked(duration.count);
      out.set(key, ranked);
    }
    ranked.set(duration.rank, duration.valueMs);
  }
  return out;
}

function row(group: string, counts: Counts, timed: (kind: TimedKind) => Ranked | undefined): ReportRow {
  const stats = (kind: TimedKind): DurationStats => {
    const ranked = timed(kind);
    return ranked
      ? { count: ranked.count, medianMs: ranked.percentile(50), p90Ms: ranked.percentile(90) }
      : { count: 0, medianMs: null, p90Ms: null };
  };
  const deadlines = counts.deadlinesMet + counts.deadlinesBreached;
  return {
    group,
    claimed: counts.claimed,
    resolved: counts.resolved,
    firstResponse: stats('responded'),
    resolution: stats('resolved'),
    sla: {
      deadlines,
      met: counts.deadlinesMet,
      breached: counts.deadlinesBreached,
      attainmentPct: percentage(counts.deadlinesMet, deadlines),
    },
    breaches: counts.breaches,
    apologies: { count: counts.apologies, medianDelayMs: stats('apologized').medianMs },
    handOffs: counts.handOffs,
    reopens: counts.reopens,
    oneTouch: counts.oneTouch,
    csat: { rated: counts.rated, up: counts.ratedUp, pct: percentage(counts.ratedUp, counts.rated) },
  };
}

/**
 * The report the store's sums make (`IssueRepository.reportFigures`): the same figures `computeReport`
 * derives by replaying the ledgers, one row per group with a figure, ordered as it orders them, and the
 * total. For a query of one group, the total is that group's figures and `issues` is not counted. Pure.
 */
export function reportFromFigures(figures: ReportFigures, query: ReportQuery): Report {
  const groups = new Map<string, Counts>();
  const total = noCounts();
  for (const kind of figures.kinds) {
    let counts = groups.get(kind.group);
    if (!counts) {
      counts = noCounts();
      groups.set(kind.group, counts);
    }
    add(counts, kind);
    add(total, kind);
  }
  const ranked = rankedByGroup(figures.durations);
  const totalGroup = query.group ?? null;
  const rows = [...groups.keys()]
    .sort(byGroup)
    .map((group) => row(group, groups.get(group)!, (kind) => ranked.get(durationKey(group, kind))));
  return {
    period: { from: query.period.from, to: query.period.to },
    groupBy: query.groupBy,
    issues: figures.issues,
    rows,
    total: row(ALL, total, (kind) => ranked.get(durationKey(totalGroup, kind))),
  };
}
