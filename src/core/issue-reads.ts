/**
 * Reads of stored issues beyond the live ones: one issue with its ledger rows' figures (for an update),
 * many whole issues (customer histories), what the report replay needs, and the newest event of a kind.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Customer, Issue } from '../domain/issue.ts';
import type { LedgerEvent, LedgerKind } from '../domain/ledger.ts';
import type { ConversationRef, Platform } from '../domain/refs.ts';
import type { LedgerFigures } from '../reports/ledger-figures.ts';
import type { ReportIssue } from '../reports/report.ts';
import type { HeedDatabase } from '../store/database.ts';
import type { HeedTables } from '../store/tables.ts';
import {
  customerFromColumn,
  eventFromRow,
  FIGURE_COLUMNS,
  issueFromRows,
  storedFigures,
} from './issue-rows.ts';

/** The database, or a transaction on it. */
export type Reader = Kysely<HeedTables> | Transaction<HeedTables>;

/** Validates what was read of one issue; a failure is logged by the issue's id and rethrown. */
export type Parse = <T>(read: () => T, id: string) => T;

/** Issues per query when many are read at once (reports). */
const READ_BATCH = 500;

/** An issue as stored: its ledger rows' report figures (`undefined`: none derived yet) beside it. */
export interface StoredIssue {
  readonly issue: Issue;
  readonly figures: readonly (LedgerFigures | undefined)[];
}

/** The issue, and the report figures its ledger rows hold (in `seq` order); row-locked if `lock`. */
export async function readStoredIssue(
  reader: Reader,
  id: string,
  lock: boolean,
  parse: Parse,
): Promise<StoredIssue | undefined> {
  const query = reader.selectFrom('issues').select(['id', 'body']).where('id', '=', id);
  const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
  if (!row) return undefined;
  const ledger = await reader
    .selectFrom('ledger')
    .select(['event', ...FIGURE_COLUMNS])
    .where('issue_id', '=', id)
    .orderBy('seq')
    .execute();
  return { issue: parse(() => issueFromRows(row, ledger), id), figures: ledger.map(storedFigures) };
}

/** Many issues at once. Missing ids are skipped; issues come back in id order. */
export async function readIssues(database: HeedDatabase, ids: readonly string[]): Promise<Issue[]> {
  const out: Issue[] = [];
  const sorted = [...new Set(ids)].sort();
  for (let start = 0; start < sorted.length; start += READ_BATCH) {
    const batch = sorted.slice(start, start + READ_BATCH);
    const rows = await database.db
      .selectFrom('issues')
      .select(['id', 'body'])
      .where('id', 'in', batch)
      .execute();
    const ledger = await database.db
      .selectFrom('ledger')
      .select(['issue_id', 'event'])
      .where('issue_id', 'in', batch)
      .orderBy('seq')
      .execute();
    out.push(...assemble(rows, ledger));
  }
  return out;
}

/** Issues from their rows and ledger rows (ledger rows in `seq` order), in id order. */
function assemble(
  rows: readonly { id: string; body: string }[],
  ledger: readonly { issue_id: string; event: string }[],
): Issue[] {
  const byIssue = new Map<string, { event: string }[]>();
  for (const entry of ledger) {
    const list = byIssue.get(entry.issue_id);
    if (list) list.push(entry);
    else byIssue.set(entry.issue_id, [entry]);
  }
  // Sorted here, not in SQL: PostgreSQL orders text by its locale's collation, SQLite by code points.
  return [...rows]
    .sort((a, b) => compareIds(a.id, b.id))
    .map((row) => issueFromRows(row, byIssue.get(row.id) ?? []));
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What the replay of a report reads of the issues with ledger events at `from <= at < to`: each
 * issue's ledger and the few columns the replay needs, without reading or validating whole issues. In
 * id order.
 */
export async function readReportIssues(
  database: HeedDatabase,
  from: number,
  to: number,
  parse: Parse,
): Promise<ReportIssue[]> {
  if (to <= from) return [];
  const db = database.db;
  const touched = db.selectFrom('ledger').select('issue_id').where('at', '>=', from).where('at', '<', to);
  // Whether the issue's policy runs a next-response clock, read inside the stored body.
  const nextResponse =
    database.kind === 'postgres'
      ? sql<boolean>`(body::json #> '{sla,clocks,nextResponse}') is not null`
      : sql<boolean>`json_extract(body, '$.sla.clocks.nextResponse') is not null`;
  const rows = await db
    .selectFrom('issues')
    .select(['id', 'team', 'opened_at', 'customer', nextResponse.as('next_response')])
    .where('id', 'in', touched)
    .execute();
  const ledger = await db
    .selectFrom('ledger')
    .select(['issue_id', 'event'])
    .where('issue_id', 'in', touched)
    .orderBy('seq')
    .execute();
  const history = new Map<string, LedgerEvent[]>();
  for (const row of ledger) {
    const event = parse(() => eventFromRow(row), row.issue_id);
    const list = history.get(row.issue_id);
    if (list) list.push(event);
    else history.set(row.issue_id, [event]);
  }
  return rows
    .sort((a, b) => compareIds(a.id, b.id))
    .map((row) => ({
      id: row.id,
      team: row.team,
      openedAt: row.opened_at,
      customer: parse(() => customerFromColumn(row.customer, row.id), row.id),
      sla: { clocks: Number(row.next_response) ? { nextResponse: true } : {} },
      history: history.get(row.id) ?? [],
    }));
}

/** The newest ledger event of `kind` on any of these issues (one indexed query; no issue is read). */
export async function readLatestEvent(
  database: HeedDatabase,
  issueIds: readonly string[],
  kind: LedgerKind,
  parse: Parse,
): Promise<LedgerEvent | undefined> {
  if (issueIds.length === 0) return undefined;
  const row = await database.db
    .selectFrom('ledger')
    .select(['issue_id', 'event'])
    .where('issue_id', 'in', [...issueIds])
    // Written out, not bound, so SQLite can use a partial index on the kind (`ledger_rated`).
    .where(sql<boolean>`kind = ${sql.lit(kind)}`)
    .orderBy('at', 'desc')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? parse(() => eventFromRow(row), row.issue_id) : undefined;
}

/** Where catching up in a channel starts: the newest message handled there (epoch ms), if any. */
export async function readWatermark(database: HeedDatabase, scope: string): Promise<number | undefined> {
  const row = await database.db
    .selectFrom('watermarks')
    .select('at')
    .where('scope', '=', scope)
    .executeTakeFirst();
  return row?.at;
}

/** An open issue's thread, as catching up reads it. */
export interface ActiveThread {
  readonly issueId: string;
  readonly conversation: ConversationRef;
}

/** The threads of `platform`'s not-yet-closed issues, the most recently updated first, at most `limit`. */
export async function readActiveThreads(
  database: HeedDatabase,
  platform: Platform,
  limit: number,
): Promise<ActiveThread[]> {
  const rows = await database.db
    .selectFrom('threads')
    .innerJoin('issues', 'issues.id', 'threads.issue_id')
    .select(['threads.issue_id', 'threads.conversation'])
    .where('issues.status', '<>', 'closed')
    .where('threads.conversation', 'like', `${platform}:%`)
    .orderBy('issues.updated_at', 'desc')
    .limit(limit)
    .execute();
  return rows.flatMap((row) => {
    // conversationKey: `platform:channel:thread` (`-` for none).
    const [rowPlatform, channel, thread] = row.conversation.split(':');
    if (rowPlatform !== platform || !channel || !thread || thread === '-') return [];
    return [{ issueId: row.issue_id, conversation: { platform, channel, thread } }];
  });
}

/** The newest message each issue has seen in its thread (epoch ms), for the issues that have any. */
export async function readThreadWatermarks(
  database: HeedDatabase,
  issueIds: readonly string[],
): Promise<Map<string, number>> {
  const newest = new Map<string, number>();
  const chunk = 500;
  for (let start = 0; start < issueIds.length; start += chunk) {
    const rows = await database.db
      .selectFrom('seen_messages')
      .select(['issue_id', (eb) => eb.fn.max('at').as('at')])
      .where('issue_id', 'in', issueIds.slice(start, start + chunk))
      .groupBy('issue_id')
      .execute();
    for (const row of rows) newest.set(row.issue_id, Number(row.at));
  }
  return newest;
}

/** The issue that recorded a platform message (`seen_messages`), if any: where an edit or deletion belongs. */
export async function readIssueIdForMessage(
  database: HeedDatabase,
  platform: string,
  channel: string,
  messageId: string,
): Promise<string | undefined> {
  const row = await database.db
    .selectFrom('seen_messages')
    .select('issue_id')
    .where('platform', '=', platform)
    .where('channel', '=', channel)
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  return row?.issue_id;
}

/** A 👎 (or an NPS detractor) asked the team's managers to make it right, and nobody on staff has yet. */
export interface OpenRecovery {
  readonly issueId: string;
  readonly number: number;
  readonly team: string;
  /** When the recovery was requested. */
  readonly at: number;
  readonly customer: Customer;
}

/** What settles a recovery task: someone on staff answered the customer, apologised or left a note. */
const RECOVERY_FOLLOW_UPS = ['responded', 'apologized', 'noted'] as const;
/** Recoveries looked at per read, newest first. */
const RECOVERIES_READ = 200;

/**
 * The recovery tasks of these teams requested at or after `since` that are still open: no staff reply,
 * apology or note on the issue after the request (by a person: Heed's and the CLI's own entries do not
 * count). Newest first; one per issue (its latest request). Reads the ledger by its team index.
 */
export async function readOpenRecoveries(
  database: HeedDatabase,
  teams: readonly string[],
  since: number,
  parse: Parse,
): Promise<OpenRecovery[]> {
  if (teams.length === 0) return [];
  const db = database.db;
  const requests = await db
    .selectFrom('ledger')
    .select(['seq', 'issue_id', 'event'])
    .where('kind', '=', 'recovery-requested')
    .where('team', 'in', [...teams])
    .where('at', '>=', since)
    .orderBy('at', 'desc')
    .orderBy('seq', 'desc')
    .limit(RECOVERIES_READ)
    .execute();
  const latest = new Map<string, { seq: number; event: LedgerEvent }>();
  for (const row of requests) {
    if (latest.has(row.issue_id)) continue;
    latest.set(row.issue_id, { seq: Number(row.seq), event: parse(() => eventFromRow(row), row.issue_id) });
  }
  if (latest.size === 0) return [];
  const ids = [...latest.keys()];
  const followUps = await db
    .selectFrom('ledger')
    .select(['issue_id', (eb) => eb.fn.max('seq').as('last')])
    .where('issue_id', 'in', ids)
    .where('kind', 'in', [...RECOVERY_FOLLOW_UPS])
    .where('actor', 'not like', 'heed:%')
    .where('actor', 'not like', 'cli:%')
    .groupBy('issue_id')
    .execute();
  const followedUp = new Map(followUps.map((row) => [row.issue_id, Number(row.last)]));
  const customers = await db.selectFrom('issues').select(['id', 'customer']).where('id', 'in', ids).execute();
  const customerOf = new Map(
    customers.map((row) => [row.id, parse(() => customerFromColumn(row.customer, row.id), row.id)]),
  );
  const open: OpenRecovery[] = [];
  for (const [issueId, { seq, event }] of latest) {
    const customer = customerOf.get(issueId);
    if (!customer || (followedUp.get(issueId) ?? 0) > seq) continue;
    open.push({ issueId, number: event.issueNumber, team: event.team, at: event.at, customer });
  }
  return open;
}
