/**
 * The retention purge (`retention.messages`, default 180 days): message text older than that is removed,
 * the events stay. Staff answers, edits and deletions keep their text in their ledger event's reason:
 * cleared once the event is older than the retention. Customer messages are kept with their issue: their
 * text is cleared once the issue has had no change for the retention period. Messages Heed sent (in the
 * outbox, with cards quoting customers) are deleted once sent that long ago. Idempotent; several
 * instances may run it at once.
 */
import type { IssueRepository } from '../core/issue-repository.ts';
import { ledgerEventSchema } from '../domain/ledger.ts';
import type { Logger } from '../logging/logger.ts';
import { rich } from '../messages/rich-text.ts';
import type { HeedDatabase } from '../store/database.ts';

/** Ledger kinds whose reason is a message's text. */
const TEXT_KINDS = ['responded', 'edited', 'deleted'] as const;
/** Rows and issues handled per pass, so one pass stays short. */
const BATCH = 500;

export interface PurgeReport {
  readonly ledgerRows: number;
  readonly issues: number;
  readonly outboxRows: number;
}

export async function purgeMessageText(
  deps: {
    readonly database: HeedDatabase;
    readonly issues: Pick<IssueRepository, 'update'>;
    readonly logger: Logger;
  },
  cutoff: number,
): Promise<PurgeReport> {
  const { database } = deps;
  let ledgerRows = 0;
  for (;;) {
    const rows = await database.db
      .selectFrom('ledger')
      .select(['seq', 'event'])
      .where('kind', 'in', [...TEXT_KINDS])
      .where('at', '<', cutoff)
      .where('event', 'like', '%"reason"%')
      .orderBy('seq')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    await database.change(async (trx) => {
      for (const row of rows) {
        const parsed = ledgerEventSchema.safeParse(JSON.parse(row.event));
        if (!parsed.success) continue;
        const { reason: _reason, ...rest } = parsed.data;
        // Only over the row as read: another instance purging at the same moment changes it once.
        const written = await trx
          .updateTable('ledger')
          .set({ event: JSON.stringify({ ...rest, data: { ...rest.data, textPurged: true } }) })
          .where('seq', '=', row.seq)
          .where('event', '=', row.event)
          .executeTakeFirst();
        ledgerRows += Number(written.numUpdatedRows);
      }
    });
    if (rows.length < BATCH) break;
  }
  const quiet = await database.db
    .selectFrom('issues')
    .select('id')
    .where('updated_at', '<', cutoff)
    .where('body', 'not like', '%"textPurgedAt"%')
    .limit(BATCH)
    .execute();
  let issues = 0;
  for (const { id } of quiet) {
    const saved = await deps.issues.update(id, (issue) =>
      // Another instance purged it first.
      issue.textPurgedAt !== undefined
        ? { ok: false, code: 'ALREADY_PURGED', message: rich`already purged` }
        : {
            ok: true,
            issue: {
              ...issue,
              textPurgedAt: cutoff,
              subject: '',
              messages: issue.messages.map((message) => ({ ...message, text: '' })),
            },
            events: [],
          },
    );
    if ('issue' in saved) issues += 1;
  }
  const outbox = await database.change((trx) =>
    trx
      .deleteFrom('outbox')
      .where('sent_at', 'is not', null)
      .where('sent_at', '<', cutoff)
      .executeTakeFirst(),
  );
  const report = { ledgerRows, issues, outboxRows: Number(outbox.numDeletedRows) };
  if (report.ledgerRows + report.issues + report.outboxRows > 0) {
    deps.logger.info(report, 'message text older than the retention period purged');
  }
  return report;
}
