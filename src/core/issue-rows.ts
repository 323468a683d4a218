/**
 * How an issue maps onto table rows and back: one `issues` row for its state, one `ledger` row per
 * event (with the report figures derived from the issue's ledger), its thread, the customer messages
 * it has seen and the SLA alerts it has fired. Used by the repository and by `heed import`, so both
 * write exactly the same rows.
 */
import { type Insertable, type Selectable, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { customerSchema, type Issue, issueSchema } from '../domain/issue.ts';
import { type LedgerEvent, ledgerEventSchema } from '../domain/ledger.ts';
import { conversationKey } from '../domain/refs.ts';
import { type LedgerFigures, ledgerFigures } from '../reports/ledger-figures.ts';
import { earliestDue } from '../sla/sla-state.ts';
import type { HeedTables, IssuesTable, LedgerTable } from '../store/tables.ts';
import { HeedError } from './errors.ts';

/** The counter that numbers issues. */
export const ISSUE_NUMBER_COUNTER = 'issue-number';

type IssueBody = Omit<Issue, 'history'>;

/** The `issues` row of an issue (its ledger goes to `ledger`). */
export function issueRow(issue: Issue): Insertable<IssuesTable> {
  const { history: _history, ...body } = issue;
  return {
    id: issue.id,
    number: issue.number,
    status: issue.status,
    priority: issue.priority,
    team: issue.team,
    owner: issue.owner ? `${issue.owner.platform}:${issue.owner.id}` : null,
    customer: JSON.stringify(issue.customer),
    opened_at: issue.openedAt,
    updated_at: issue.updatedAt,
    next_alert_at: issue.sla.nextAlertAt ?? null,
    due_at: earliestDue(issue.sla) ?? null,
    revision: issue.revision,
    body: JSON.stringify(body satisfies IssueBody),
  };
}

/** The report columns of a ledger row. */
export const FIGURE_COLUMNS = [
  'credit',
  'duration_ms',
  'deadlines_met',
  'deadlines_breached',
  'flag',
] as const;

/** The report columns of a ledger row holding `figures`. */
export function figureColumns(
  figures: LedgerFigures,
): Required<Pick<Insertable<LedgerTable>, (typeof FIGURE_COLUMNS)[number]>> {
  return {
    credit: figures.credit,
    duration_ms: figures.durationMs,
    deadlines_met: figures.deadlinesMet,
    deadlines_breached: figures.deadlinesBreached,
    flag: figures.flag,
  };
}

/**
 * The report figures a ledger row holds, or `undefined` when none were derived for it (a row written
 * by a Heed from before report figures). Not validated further: writers compare them with what the
 * issue's ledger gives and rewrite whatever differs.
 */
export function storedFigures(
  row: Pick<Selectable<LedgerTable>, (typeof FIGURE_COLUMNS)[number]>,
): LedgerFigures | undefined {
  if (row.flag !== 0 && row.flag !== 1) return undefined;
  return {
    credit: row.credit,
    durationMs: row.duration_ms,
    deadlinesMet: row.deadlines_met,
    deadlinesBreached: row.deadlines_breached,
    flag: row.flag,
  };
}

/** The `ledger` row of an event, with its report figures. */
export function ledgerRow(event: LedgerEvent, figures: LedgerFigures): Insertable<LedgerTable> {
  return {
    id: event.id,
    issue_id: event.issueId,
    at: event.at,
    kind: event.kind,
    team: event.team,
    actor: `${event.actor.platform}:${event.actor.id}`,
    event: JSON.stringify(event),
    ...figureColumns(figures),
  };
}

/** The `ledger` rows of a whole issue's ledger, with the report figures derived from it. */
export function issueLedgerRows(issue: Issue): Insertable<LedgerTable>[] {
  const figures = ledgerFigures(issue);
  return issue.history.map((event, index) => ledgerRow(event, figures[index]!));
}

/** Thrown for a row that does not hold a valid issue; names the issue, never its content. */
function invalid(id: string, problem: string): HeedError {
  return new HeedError('STORE_RECORD_INVALID', `Stored issue ${id} is not valid: ${problem}`, {
    issueId: id,
  });
}

function parseJson(text: string, id: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(id, 'unreadable JSON');
  }
}

/** An issue from its row and its ledger rows (in `seq` order), validated. */
export function issueFromRows(
  row: Pick<Selectable<IssuesTable>, 'id' | 'body'>,
  ledger: readonly Pick<Selectable<LedgerTable>, 'event'>[],
): Issue {
  const body = parseJson(row.body, row.id);
  const history = ledger.map((entry) => parseJson(entry.event, row.id));
  const result = issueSchema.safeParse({ ...(body as object), history });
  if (!result.success) throw invalid(row.id, z.prettifyError(result.error));
  if (result.data.id !== row.id) throw invalid(row.id, `its body names ${result.data.id}`);
  return result.data;
}

/** A ledger event from its row, validated. */
export function eventFromRow(row: Pick<Selectable<LedgerTable>, 'event' | 'issue_id'>): LedgerEvent {
  const result = ledgerEventSchema.safeParse(parseJson(row.event, row.issue_id));
  if (!result.success) throw invalid(row.issue_id, `a ledger event: ${z.prettifyError(result.error)}`);
  return result.data;
}

/** The customer snapshot kept in a row's `customer` column. */
export function customerFromColumn(text: string, id: string) {
  const result = customerSchema.safeParse(parseJson(text, id));
  if (!result.success) throw invalid(id, z.prettifyError(result.error));
  return result.data;
}

/** Rows per multi-row INSERT: SQLite allows 32,766 bound values per statement. */
const ROWS_PER_INSERT = 500;

async function insertChunked<T extends keyof HeedTables & string>(
  trx: Transaction<HeedTables>,
  table: T,
  rows: readonly Insertable<HeedTables[T]>[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await trx
      .insertInto(table)
      // biome-ignore lint/suspicious/noExplicitAny: Kysely cannot narrow a generic table's insert type.
      .values(rows.slice(start, start + ROWS_PER_INSERT) as any)
      .execute();
  }
}

/**
 * Inserts whole issues that are not stored yet: their rows, ledgers, threads, the messages they have
 * seen and the alerts they have fired, in multi-row statements. Throws a unique-key error when an id, a
 * number or a seen message is taken.
 */
export async function insertIssues(trx: Transaction<HeedTables>, issues: readonly Issue[]): Promise<void> {
  if (issues.length === 0) return;
  await insertChunked(trx, 'issues', issues.map(issueRow));
  await insertChunked(trx, 'ledger', issues.flatMap(issueLedgerRows));
  // A follow-up issue takes over its predecessor's thread: the newest issue of a thread wins.
  const newest = new Map<string, Issue>();
  for (const issue of issues) {
    const key = conversationKey(issue.conversation);
    const known = newest.get(key);
    if (!known || issue.openedAt >= known.openedAt) newest.set(key, issue);
  }
  const threads = new Map([...newest].map(([key, issue]) => [key, issue.id]));
  for (let start = 0; start < threads.size; start += ROWS_PER_INSERT) {
    const rows = [...threads].slice(start, start + ROWS_PER_INSERT);
    await trx
      .insertInto('threads')
      .values(rows.map(([conversation, issueId]) => ({ conversation, issue_id: issueId })))
      .onConflict((conflict) =>
        conflict.column('conversation').doUpdateSet({ issue_id: (eb) => eb.ref('excluded.issue_id') }),
      )
      .execute();
  }
  const seen = issues.flatMap((issue) => seenRows(issue, issue.seenMessages));
  for (let start = 0; start < seen.length; start += ROWS_PER_INSERT) {
    await trx
      .insertInto('seen_messages')
      .values(seen.slice(start, start + ROWS_PER_INSERT))
      .onConflict((conflict) => conflict.columns(['platform', 'channel', 'message_id']).doNothing())
      .execute();
  }
  await raiseWatermarks(trx, seen);
  const fired = issues.flatMap((issue) => issue.sla.fired.map((alert) => ({ issue_id: issue.id, alert })));
  for (let start = 0; start < fired.length; start += ROWS_PER_INSERT) {
    await trx
      .insertInto('fired_alerts')
      .values(fired.slice(start, start + ROWS_PER_INSERT))
      .onConflict((conflict) => conflict.columns(['issue_id', 'alert']).doNothing())
      .execute();
  }
}

function seenRows(
  issue: Pick<Issue, 'id' | 'conversation' | 'updatedAt'>,
  messageIds: readonly string[],
): Insertable<HeedTables['seen_messages']>[] {
  return messageIds.map((messageId) => ({
    platform: issue.conversation.platform,
    channel: issue.conversation.channel,
    message_id: messageId,
    issue_id: issue.id,
    at: issue.updatedAt,
  }));
}

/** Records customer messages as seen by an issue; one already seen is left as it is. */
export async function insertSeen(
  trx: Transaction<HeedTables>,
  issue: Pick<Issue, 'id' | 'conversation' | 'updatedAt'>,
  messageIds: readonly string[],
): Promise<void> {
  if (messageIds.length === 0) return;
  const rows = seenRows(issue, messageIds);
  await trx
    .insertInto('seen_messages')
    .values(rows)
    .onConflict((conflict) => conflict.columns(['platform', 'channel', 'message_id']).doNothing())
    .execute();
  await raiseWatermarks(trx, rows);
}

/** The scope of a channel's watermark: `platform:channel`. */
export function watermarkScope(platform: string, channel: string): string {
  return `${platform}:${channel}`;
}

/**
 * Moves each channel's watermark up to the newest of these seen messages (never down), in the
 * transaction that stores them: catching up after downtime starts there.
 */
async function raiseWatermarks(
  trx: Transaction<HeedTables>,
  rows: readonly Pick<Insertable<HeedTables['seen_messages']>, 'platform' | 'channel' | 'at'>[],
): Promise<void> {
  const newest = new Map<string, number>();
  for (const row of rows) {
    const scope = watermarkScope(row.platform, row.channel);
    newest.set(scope, Math.max(newest.get(scope) ?? Number.NEGATIVE_INFINITY, row.at));
  }
  for (const [scope, at] of newest) await raiseWatermark(trx, scope, at);
}

/** Moves one watermark up to `at` (creating it), never down. */
export async function raiseWatermark(trx: Transaction<HeedTables>, scope: string, at: number): Promise<void> {
  await trx
    .insertInto('watermarks')
    .values({ scope, at })
    .onConflict((conflict) =>
      conflict.column('scope').doUpdateSet({
        at: sql<number>`case when excluded.at > watermarks.at then excluded.at else watermarks.at end`,
      }),
    )
    .execute();
}

/** Records SLA alerts as fired; the key is unique per issue, so an alert is stored once. */
export async function insertFired(
  trx: Transaction<HeedTables>,
  issueId: string,
  alerts: readonly string[],
): Promise<void> {
  if (alerts.length === 0) return;
  await trx
    .insertInto('fired_alerts')
    .values(alerts.map((alert) => ({ issue_id: issueId, alert })))
    .onConflict((conflict) => conflict.columns(['issue_id', 'alert']).doNothing())
    .execute();
}

/** Moves a counter up to at least `value` (never down). */
export async function raiseCounter(trx: Transaction<HeedTables>, name: string, value: number): Promise<void> {
  await trx
    .insertInto('counters')
    .values({ name, value })
    .onConflict((conflict) =>
      // CASE rather than max()/greatest(): SQLite and PostgreSQL spell those differently.
      conflict.column('name').doUpdateSet({
        value: sql<number>`case when excluded.value > counters.value then excluded.value else counters.value end`,
      }),
    )
    .execute();
}
