import type { IssueRepository } from '../core/issue-repository.ts';
import type { Period, ReportIssue } from './report.ts';

/**
 * Reads what a report needs of the issues with ledger events in `period` (`from <= at < to`): their
 * ledgers and a few columns, by SQL over the ledger's time index, in id order. Read-only, so it works on
 * a store opened beside a running server.
 */
export function loadIssuesForPeriod(
  repository: Pick<IssueRepository, 'reportIssuesBetween'>,
  period: Period,
): Promise<ReportIssue[]> {
  return repository.reportIssuesBetween(period.from, period.to);
}
