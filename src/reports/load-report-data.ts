import type { IssueRepository } from '../core/issue-repository.ts';
import type { Issue } from '../domain/issue.ts';
import type { Period } from './report.ts';

/**
 * Reads the issues with ledger events in `period` (`from <= at < to`), each with its whole ledger, in id
 * order: SQL over the ledger's time index. Read-only, so it works on a store opened beside a running
 * server.
 */
export function loadIssuesForPeriod(
  repository: Pick<IssueRepository, 'withEventsBetween'>,
  period: Period,
): Promise<Issue[]> {
  return repository.withEventsBetween(period.from, period.to);
}
