import type { Kysely, Transaction } from 'kysely';
import { isPostgres } from '../dialect.ts';

/** Issues read per round of the backfill. */
const ISSUES_PER_ROUND = 500;

/**
 * `issues.due_at`: the earliest deadline of an issue's running SLA clocks (first response, next
 * response, resolution), or null while none runs (waiting on the customer, resolved). Loaded with the
 * open-issue summaries, so the App Home and `/heed dashboard` can say what is on time, at risk or
 * breached without reading every issue. The issues already stored get it from their body here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Kysely runs SQLite migrations outside a transaction: the column and its values land together.
  if (db.isTransaction) await migrate(db as Transaction<unknown>);
  else await db.transaction().execute(migrate);
}

async function migrate(db: Transaction<unknown>): Promise<void> {
  const time = isPostgres(db) ? 'bigint' : 'integer';
  await db.schema.alterTable('issues').addColumn('due_at', time).execute();
  // The table as it stands in this migration, not as later ones leave it.
  const tables = db as unknown as Transaction<{
    issues: { id: string; status: string; body: string; due_at: number | null };
  }>;
  let after = '';
  for (;;) {
    const rows = await tables
      .selectFrom('issues')
      .select(['id', 'body'])
      .where('id', '>', after)
      .where('status', '<>', 'closed')
      .orderBy('id')
      .limit(ISSUES_PER_ROUND)
      .execute();
    if (rows.length === 0) return;
    after = rows.at(-1)!.id;
    for (const row of rows) {
      const due = dueAtOfBody(row.body);
      if (due !== undefined) {
        await tables.updateTable('issues').set({ due_at: due }).where('id', '=', row.id).execute();
      }
    }
  }
}

/** The earliest `dueAt` of the clocks in a stored body; undefined when none (or the body is unreadable). */
function dueAtOfBody(body: string): number | undefined {
  try {
    const clocks: unknown = JSON.parse(body)?.sla?.clocks;
    if (typeof clocks !== 'object' || clocks === null) return undefined;
    const dues = Object.values(clocks as Record<string, { dueAt?: unknown } | null>)
      .map((clock) => clock?.dueAt)
      .filter((due): due is number => typeof due === 'number' && Number.isFinite(due));
    return dues.length > 0 ? Math.min(...dues) : undefined;
  } catch {
    return undefined;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('issues').dropColumn('due_at').execute();
}
