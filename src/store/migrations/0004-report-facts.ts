import { type Kysely, sql, type Transaction } from 'kysely';
import { customerFromColumn, eventFromRow } from '../../core/issue-rows.ts';
import type { LedgerEvent } from '../../domain/ledger.ts';
import { type LedgerFigures, ledgerFigures } from '../../reports/ledger-figures.ts';
import { isPostgres } from '../dialect.ts';

/** Issues read per round of the backfill. */
const ISSUES_PER_ROUND = 500;
/** Rows per UPDATE: six values each, well below SQLite's 32,766 bound values. */
const ROWS_PER_UPDATE = 400;

/**
 * Report figures on ledger rows: who each event's figures go to, its duration, the SLA deadlines it
 * settled and a per-kind flag (`reports/ledger-figures.ts`), with indexes by time (covering what a
 * report sums), by owner and time, of reopens, and of rows still without figures, so reports and
 * `/heed stats` are SQL sums over the period's rows instead of a replay of every ledger. The rows
 * already stored get their figures here, derived exactly as new rows get them; `flag` stays null on a
 * row without figures (an issue whose records cannot be read, or a row an older Heed writes during a
 * rolling upgrade), and the repository derives those later.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Kysely runs SQLite migrations outside a transaction: this one adds columns and fills them at once.
  if (db.isTransaction) await migrate(db as Transaction<unknown>);
  else await db.transaction().execute(migrate);
}

async function migrate(db: Transaction<unknown>): Promise<void> {
  const time = isPostgres(db) ? 'bigint' : 'integer';
  await db.schema.alterTable('ledger').addColumn('credit', 'text').execute();
  await db.schema.alterTable('ledger').addColumn('duration_ms', time).execute();
  for (const column of ['deadlines_met', 'deadlines_breached']) {
    await db.schema
      .alterTable('ledger')
      .addColumn(column, 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  }
  await db.schema.alterTable('ledger').addColumn('flag', 'integer').execute();
  await backfill(db);
  // Built after the backfill, in one pass each.
  // Reports over a period: the rows bearing a figure, by time, with every column a report sums (the
  // index answers the report alone, without reading the rows' events).
  await db.schema
    .createIndex('ledger_figures')
    .on('ledger')
    .columns([
      'at',
      'credit',
      'team',
      'kind',
      'deadlines_met',
      'deadlines_breached',
      'flag',
      'duration_ms',
      'issue_id',
    ])
    .where('credit', 'is not', null)
    .execute();
  // `/heed stats` for one person: their figures in a period (one team's: `ledger_team_at`).
  await db.schema
    .createIndex('ledger_credit_at')
    .on('ledger')
    .columns(['credit', 'at'])
    .where('credit', 'is not', null)
    .execute();
  // One-touch: was the issue reopened before the period ended?
  await db.schema
    .createIndex('ledger_reopened')
    .on('ledger')
    .columns(['issue_id', 'at'])
    .where(sql<boolean>`kind = 'reopened'`)
    .execute();
  // Rows still without figures: usually none.
  await db.schema
    .createIndex('ledger_unfigured')
    .on('ledger')
    .column('issue_id')
    .where(sql<boolean>`flag is null`)
    .execute();
}

interface IssueRow {
  id: string;
  team: string;
  opened_at: number;
  customer: string;
  body: string;
}

/** Whether the stored body shows a next-response clock (as reports read it: present and not null). */
function runsNextResponse(body: string): boolean {
  try {
    return JSON.parse(body)?.sla?.clocks?.nextResponse != null;
  } catch {
    return false;
  }
}

async function backfill(db: Transaction<unknown>): Promise<void> {
  // The tables as they stand in this migration, not as later ones leave them.
  const tables = db as unknown as Transaction<{
    issues: IssueRow;
    ledger: { seq: number; issue_id: string; event: string; flag: number | null };
  }>;
  let after = '';
  for (;;) {
    const issues = await tables
      .selectFrom('issues')
      .select(['id', 'team', 'opened_at', 'customer', 'body'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(ISSUES_PER_ROUND)
      .execute();
    if (issues.length === 0) return;
    after = issues.at(-1)!.id;
    const ledger = await tables
      .selectFrom('ledger')
      .select(['seq', 'issue_id', 'event'])
      .where(
        'issue_id',
        'in',
        issues.map((issue) => issue.id),
      )
      .orderBy('seq')
      .execute();
    const rows = new Map<string, { seq: number; event: string }[]>();
    for (const row of ledger) {
      const list = rows.get(row.issue_id);
      if (list) list.push(row);
      else rows.set(row.issue_id, [row]);
    }
    const readable: string[] = [];
    const updates: [number, LedgerFigures][] = [];
    for (const issue of issues) {
      const own = rows.get(issue.id) ?? [];
      const figures = figuresOf(issue, own);
      if (!figures) continue;
      readable.push(issue.id);
      figures.forEach((value, index) => {
        if (value.credit !== null) updates.push([own[index]!.seq, value]);
      });
    }
    for (let start = 0; start < updates.length; start += ROWS_PER_UPDATE) {
      await update(db, updates.slice(start, start + ROWS_PER_UPDATE));
    }
    // The other rows of readable issues bear no figure: that too is a figure derived.
    if (readable.length > 0) {
      await tables
        .updateTable('ledger')
        .set({ flag: 0 })
        .where('flag', 'is', null)
        .where('issue_id', 'in', readable)
        .execute();
    }
  }
}

/**
 * The figures of one stored issue's rows, read as reports read issues (its columns and its ledger).
 * `undefined` for an issue whose records cannot be read: the server refuses it by name wherever it is
 * used, and one damaged record must not stop the whole store from upgrading.
 */
function figuresOf(issue: IssueRow, rows: readonly { event: string }[]): LedgerFigures[] | undefined {
  let history: LedgerEvent[];
  let customer: ReturnType<typeof customerFromColumn>;
  try {
    history = rows.map((row) => eventFromRow({ event: row.event, issue_id: issue.id }));
    customer = customerFromColumn(issue.customer, issue.id);
  } catch {
    return undefined;
  }
  return ledgerFigures({
    id: issue.id,
    team: issue.team,
    openedAt: Number(issue.opened_at),
    customer,
    sla: { clocks: runsNextResponse(issue.body) ? { nextResponse: true } : {} },
    history,
  });
}

async function update(db: Transaction<unknown>, rows: readonly [number, LedgerFigures][]): Promise<void> {
  const values = sql.join(
    rows.map(
      ([seq, figures]) =>
        sql`(cast(${seq} as bigint), cast(${figures.credit} as text), cast(${figures.durationMs} as bigint), cast(${figures.deadlinesMet} as integer), cast(${figures.deadlinesBreached} as integer), cast(${figures.flag} as integer))`,
    ),
  );
  await sql`
    with figures (seq, credit, duration_ms, deadlines_met, deadlines_breached, flag) as (values ${values})
    update ledger set
      credit = figures.credit,
      duration_ms = figures.duration_ms,
      deadlines_met = figures.deadlines_met,
      deadlines_breached = figures.deadlines_breached,
      flag = figures.flag
    from figures
    where ledger.seq = figures.seq`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ['ledger_unfigured', 'ledger_reopened', 'ledger_credit_at', 'ledger_figures']) {
    await db.schema.dropIndex(index).execute();
  }
  for (const column of ['flag', 'deadlines_breached', 'deadlines_met', 'duration_ms', 'credit']) {
    await db.schema.alterTable('ledger').dropColumn(column).execute();
  }
}
