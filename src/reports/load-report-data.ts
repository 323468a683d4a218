import type { IssueRepository } from '../core/issue-repository.ts';
import { reportFromFigures } from './figures-report.ts';
import type { GroupBy, Period, Report, ReportIssue, ReportRow } from './report.ts';

/**
 * The ownership report over `period`, grouped by owner or team, as SQL sums over the period's ledger
 * rows (by the ledger's time index, or the team's); `issueTeam` narrows it to the issues now on one
 * team (the digest). Read-only, so it works on a store opened beside a running server.
 */
export async function loadReport(
  repository: Pick<IssueRepository, 'reportFigures'>,
  period: Period,
  groupBy: GroupBy,
  options: { readonly issueTeam?: string } = {},
): Promise<Report> {
  const query = { period, groupBy, ...options };
  return reportFromFigures(await repository.reportFigures(query), query);
}

/**
 * One group's row of the report over `period` (`/heed stats`): an owner key (`slack:U0STAFF1`) or a
 * team id, read over the ledger's owner or team index; `undefined` when the group has no figure.
 */
export async function loadReportRow(
  repository: Pick<IssueRepository, 'reportFigures'>,
  period: Period,
  groupBy: GroupBy,
  group: string,
): Promise<ReportRow | undefined> {
  const query = { period, groupBy, group };
  return reportFromFigures(await repository.reportFigures(query), query).rows.find(
    (row) => row.group === group,
  );
}

/**
 * Reads what the replay of a report needs of the issues with ledger events in `period`
 * (`from <= at < to`): their ledgers and a few columns, by SQL over the ledger's time index, in id
 * order. `computeReport` over them gives the figures {@link loadReport} sums in SQL; it is kept to
 * check one against the other. Read-only.
 */
export function loadIssuesForPeriod(
  repository: Pick<IssueRepository, 'reportIssuesBetween'>,
  period: Period,
): Promise<ReportIssue[]> {
  return repository.reportIssuesBetween(period.from, period.to);
}
