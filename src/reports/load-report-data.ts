import type { IssueRepository } from '../core/issue-repository.ts';
import type { Issue } from '../domain/issue.ts';
import type { Period } from './report.ts';

/**
 * Reads the issues with ledger events in `period` (`from <= at < to`): the ids come from the
 * repository's per-day index (UTC days), then the documents in batches. Read-only, so it works on a
 * store opened beside a running server. Issues are returned in id order.
 */
export async function loadIssuesForPeriod(
  repository: Pick<IssueRepository, 'issueIdsTouched' | 'getMany'>,
  period: Period,
): Promise<Issue[]> {
  if (period.to <= period.from) return [];
  // `issueIdsTouched` takes an inclusive end; the period's end is exclusive.
  const ids = await repository.issueIdsTouched(period.from, period.to - 1);
  return repository.getMany([...ids].sort());
}
