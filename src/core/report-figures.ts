/**
 * The ownership report as SQL over indexed ledger rows: sums per group and kind of the figures each row
 * carries (`reports/ledger-figures.ts`), and the few durations the medians and p90s need, picked by
 * rank with window functions. The same SQL runs on SQLite and PostgreSQL. Rows come back compact and
 * are validated with zod; a damaged one is refused with what it names.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import { ledgerKindSchema } from '../domain/ledger.ts';
import { REPORT_PERCENTILES } from '../reports/percentile.ts';
import type { KindFigures, RankedDuration, ReportFigures, ReportQuery } from '../reports/report.ts';
import type { HeedTables } from '../store/tables.ts';
import { HeedError } from './errors.ts';

const count = z.number().int().nonnegative();

const kindRowSchema = z.object({
  grp: z.string(),
  kind: ledgerKindSchema,
  events: count,
  timed: count,
  met: count,
  breached: count,
  flagged: count,
  one_touch: count,
});

const rankRowSchema = z.object({
  grp: z.string().nullable(),
  kind: z.enum(['responded', 'resolved', 'apologized']),
  n: count,
  rn: count,
  duration_ms: z.number().int(),
  issue_id: z.string(),
});

const issuesRowSchema = z.object({ issues: count });

function invalid(what: string, error: z.ZodError, issueId?: unknown): HeedError {
  return new HeedError(
    'STORE_RECORD_INVALID',
    `Stored ledger figures are not valid (${what}): ${z.prettifyError(error)}`,
    typeof issueId === 'string' ? { issueId } : {},
  );
}

const groupColumn = (query: ReportQuery) =>
  sql.ref(query.groupBy === 'owner' ? 'ledger.credit' : 'ledger.team');

/** The period's ledger rows in the query's scope; with `figures`, only those bearing a figure of its group. */
function scope(query: ReportQuery, figures: boolean): RawBuilder<unknown> {
  const terms = [sql`ledger.at >= ${query.period.from}`, sql`ledger.at < ${query.period.to}`];
  if (query.issueTeam !== undefined) {
    terms.push(sql`ledger.issue_id in (select issues.id from issues where issues.team = ${query.issueTeam})`);
  }
  if (figures) {
    terms.push(sql`ledger.credit is not null`);
    if (query.group !== undefined) terms.push(sql`${groupColumn(query)} = ${query.group}`);
  }
  return sql.join(terms, sql` and `);
}

async function kindFigures(db: Kysely<HeedTables>, query: ReportQuery): Promise<KindFigures[]> {
  const group = groupColumn(query);
  // One-touch: a single response before the resolution, and no reopen before the period ends (the
  // partial index of reopens answers it).
  const { rows } = await sql<Record<string, unknown>>`
    select ${group} as grp, ledger.kind as kind, count(*) as events, count(ledger.duration_ms) as timed,
      sum(ledger.deadlines_met) as met, sum(ledger.deadlines_breached) as breached,
      sum(ledger.flag) as flagged,
      sum(case when ledger.kind = 'resolved' and ledger.flag = 1 and not exists (
        select 1 from ledger as reopen
        where reopen.issue_id = ledger.issue_id and reopen.kind = 'reopened' and reopen.at < ${query.period.to}
      ) then 1 else 0 end) as one_touch
    from ledger
    where ${scope(query, true)}
    group by ${group}, ledger.kind`.execute(db);
  return rows.map((row) => {
    const parsed = kindRowSchema.safeParse(row);
    if (!parsed.success) throw invalid(`the ${String(row.kind)} rows of ${String(row.grp)}`, parsed.error);
    const { grp, kind, events, timed, met, breached, flagged, one_touch } = parsed.data;
    return {
      group: grp,
      kind,
      events,
      timed,
      deadlinesMet: met,
      deadlinesBreached: breached,
      flagged,
      oneTouch: one_touch,
    };
  });
}

/**
 * The durations at the ranks {@link REPORT_PERCENTILES} read (`percentileRanks`: the rank below and the
 * one above), per group and timed kind and, unless the query names one group, over every group (`grp`
 * null). Integer division floors as `percentileRanks` does. The count shares the rank's window, so
 * one sort serves both.
 */
async function rankedDurations(db: Kysely<HeedTables>, query: ReportQuery): Promise<RankedDuration[]> {
  const ranks = sql.join(
    REPORT_PERCENTILES.flatMap((p) => [
      sql`(n - 1) * ${sql.lit(p)} / 100`,
      sql`(n - 1) * ${sql.lit(p)} / 100 + 1`,
    ]),
  );
  const ranked = (grp: RawBuilder<unknown>, partition: RawBuilder<unknown>) => sql`
    select grp, kind, n, rn, duration_ms, issue_id from (
      select ${grp} as grp, ledger.kind as kind, ledger.duration_ms as duration_ms, ledger.issue_id as issue_id,
        row_number() over sorted - 1 as rn,
        count(*) over (sorted rows between unbounded preceding and unbounded following) as n
      from ledger
      where ${scope(query, true)} and ledger.duration_ms is not null
      window sorted as (partition by ${partition} order by ledger.duration_ms)
    ) ranked
    where rn in (${ranks})`;
  const group = groupColumn(query);
  const byGroup = ranked(group, sql`${group}, ledger.kind`);
  const statement =
    query.group === undefined ? sql`${byGroup} union all ${ranked(sql`null`, sql`ledger.kind`)}` : byGroup;
  const { rows } = await sql<Record<string, unknown>>`${statement}`.execute(db);
  return rows.map((row) => {
    const parsed = rankRowSchema.safeParse(row);
    if (!parsed.success) {
      throw invalid(`a duration on issue ${String(row.issue_id)}`, parsed.error, row.issue_id);
    }
    const { grp, kind, n, rn, duration_ms } = parsed.data;
    return { group: grp, kind, count: n, rank: rn, valueMs: duration_ms };
  });
}

async function issueCount(db: Kysely<HeedTables>, query: ReportQuery): Promise<number> {
  const { rows } = await sql<Record<string, unknown>>`
    select count(distinct ledger.issue_id) as issues from ledger where ${scope(query, false)}`.execute(db);
  const parsed = issuesRowSchema.safeParse(rows[0]);
  if (!parsed.success) throw invalid('the issue count', parsed.error);
  return parsed.data.issues;
}

/**
 * Sums the period's ledger figures for `query` (see {@link ReportFigures}), over the ledger's indexes:
 * by time, by team and time, by owner and time, and reopens by issue. Read-only.
 */
export async function readReportFigures(db: Kysely<HeedTables>, query: ReportQuery): Promise<ReportFigures> {
  if (query.period.to <= query.period.from) return { issues: 0, kinds: [], durations: [] };
  const issues = query.group === undefined ? await issueCount(db, query) : 0;
  const kinds = await kindFigures(db, query);
  const durations = await rankedDurations(db, query);
  return { issues, kinds, durations };
}
