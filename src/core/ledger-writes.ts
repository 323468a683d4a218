/**
 * How a change reaches the ledger: its drafts stamped as events, the new rows appended with their
 * report figures, and stored rows' figures rewritten when the whole ledger counts them differently.
 */
import type { Transaction } from 'kysely';
import type { Issue } from '../domain/issue.ts';
import type { LedgerDraft, LedgerEvent } from '../domain/ledger.ts';
import { ledgerFigures, sameFigures } from '../reports/ledger-figures.ts';
import type { HeedDatabase } from '../store/database.ts';
import type { HeedTables } from '../store/tables.ts';
import { HeedError } from './errors.ts';
import { type Parse, readStoredIssue, type StoredIssue } from './issue-reads.ts';
import { figureColumns, ledgerRow } from './issue-rows.ts';

/** The ledger events of a change: ids from the issue's id and revision, stamped with its time. */
export function stampEvents(issue: Issue, drafts: readonly LedgerDraft[]): LedgerEvent[] {
  return drafts.map((draft, index) => ({
    id: `${issue.id}.${issue.revision}.${index}`,
    at: issue.updatedAt,
    kind: draft.kind,
    issueId: issue.id,
    issueNumber: issue.number,
    team: issue.team,
    platform: issue.conversation.platform,
    actor: draft.actor,
    ...(draft.reason !== undefined ? { reason: draft.reason } : {}),
    ...(draft.data !== undefined ? { data: draft.data } : {}),
  }));
}

/**
 * Appends the ledger rows `next` adds to the stored issue, with their report figures, and rewrites the
 * figures of stored rows that no longer hold what the whole ledger gives them: an event out of time
 * order or a next-response clock that starts late changes how earlier events count, and rows written
 * without figures get theirs. The rows' events themselves never change.
 */
export async function writeLedger(
  trx: Transaction<HeedTables>,
  stored: StoredIssue,
  next: Issue,
): Promise<void> {
  const figures = ledgerFigures(next);
  const { history } = stored.issue;
  for (const [index, event] of history.entries()) {
    const now = stored.figures[index];
    if (now && sameFigures(now, figures[index]!)) continue;
    await trx.updateTable('ledger').set(figureColumns(figures[index]!)).where('id', '=', event.id).execute();
  }
  const added = next.history
    .slice(history.length)
    .map((event, index) => ledgerRow(event, figures[history.length + index]!));
  if (added.length > 0) await trx.insertInto('ledger').values(added).execute();
}

/**
 * Gives the ledger rows written without report figures (by a Heed from before them, during a rolling
 * upgrade) the figures of their issue's ledger, so that sums over the rows are whole. Usually there is
 * none, and one indexed query says so. A damaged issue is skipped: it is refused by name wherever it
 * is read, and its rows count for nothing.
 */
export async function deriveMissingFigures(database: HeedDatabase, parse: Parse): Promise<void> {
  const missing = await database.db
    .selectFrom('ledger')
    .select('issue_id')
    .distinct()
    .where('flag', 'is', null)
    .execute();
  for (const { issue_id: id } of missing) {
    try {
      await database.change(async (trx) => {
        const stored = await readStoredIssue(trx, id, database.kind === 'postgres', parse);
        if (stored) await writeLedger(trx, stored, stored.issue);
      });
    } catch (error) {
      // Already logged by name when it failed validation; the report goes on without it.
      if (!(error instanceof HeedError && error.code === 'STORE_RECORD_INVALID')) throw error;
    }
  }
}
