import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { type Coordination, localCoordination, type SummaryChange } from '../coordination/coordination.ts';
import {
  customerSchema,
  type Issue,
  issueSchema,
  issueStatusSchema,
  prioritySchema,
} from '../domain/issue.ts';
import type { LedgerDraft, LedgerEvent, LedgerKind } from '../domain/ledger.ts';
import { type ConversationRef, conversationKey, userRefSchema } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import type { Rich } from '../messages/rich-text.ts';
import { type LedgerFigures, ledgerFigures, sameFigures } from '../reports/ledger-figures.ts';
import type { ReportFigures, ReportIssue, ReportQuery } from '../reports/report.ts';
import type { HeedDatabase } from '../store/database.ts';
import type { HeedTables, IssuesTable } from '../store/tables.ts';
import { HeedError } from './errors.ts';
import {
  customerFromColumn,
  eventFromRow,
  FIGURE_COLUMNS,
  figureColumns,
  ISSUE_NUMBER_COUNTER,
  insertFired,
  insertIssues,
  insertSeen,
  issueFromRows,
  issueRow,
  ledgerRow,
  raiseCounter,
  storedFigures,
} from './issue-rows.ts';
import { readReportFigures } from './report-figures.ts';

/** What stays in memory for every not-yet-closed issue: enough for queues and the SLA due index. */
export const issueSummarySchema = z.object({
  id: z.string(),
  number: z.number().int().positive(),
  status: issueStatusSchema,
  priority: prioritySchema,
  team: z.string(),
  owner: userRefSchema.optional(),
  customer: customerSchema,
  openedAt: z.number().int(),
  nextAlertAt: z.number().optional(),
});
export type IssueSummary = z.infer<typeof issueSummarySchema>;

/** How often an update retries after another writer committed the issue first. */
const STALE_RETRIES = 3;
/** Issues per query when many are read at once (reports). */
const READ_BATCH = 500;

/** What a change function returns: the new issue and its ledger drafts, or a refusal. */
export type Change =
  | { readonly ok: true; readonly issue: Issue; readonly events: readonly LedgerDraft[] }
  | Refusal;
export type Refusal = { readonly ok: false; readonly code: string; readonly message: Rich };

/** The outcome of an update: the stored issue and the ledger events it appended. */
export interface Saved {
  readonly issue: Issue;
  readonly events: readonly LedgerEvent[];
}

export interface RepositoryHooks {
  /** Derives state (the SLA clocks) from every change before it is stored. Pure. */
  prepare?(before: Issue | undefined, after: Issue): Issue;
  /**
   * Told after every committed change with the ledger events it appended (the SLA due index and the
   * metrics listen; bulk imports append none).
   */
  saved?(issue: Issue, events: readonly LedgerEvent[]): void;
}

type Reader = Kysely<HeedTables> | Transaction<HeedTables>;

export function summarize(issue: Issue & { sla?: { nextAlertAt?: number | undefined } }): IssueSummary {
  return {
    id: issue.id,
    number: issue.number,
    status: issue.status,
    priority: issue.priority,
    team: issue.team,
    ...(issue.owner ? { owner: issue.owner } : {}),
    customer: issue.customer,
    openedAt: issue.openedAt,
    ...(issue.sla?.nextAlertAt !== undefined ? { nextAlertAt: issue.sla.nextAlertAt } : {}),
  };
}

type SummaryRow = Pick<
  Selectable<IssuesTable>,
  'id' | 'number' | 'status' | 'priority' | 'team' | 'owner' | 'customer' | 'opened_at' | 'next_alert_at'
>;

function summaryFromRow(row: SummaryRow): IssueSummary {
  const owner = row.owner === null ? undefined : row.owner.split(':');
  const result = issueSummarySchema.safeParse({
    id: row.id,
    number: row.number,
    status: row.status,
    priority: row.priority,
    team: row.team,
    ...(owner ? { owner: { platform: owner[0], id: owner.slice(1).join(':') } } : {}),
    // Validated once, with the rest of the summary.
    customer: parseColumn(row.customer),
    openedAt: row.opened_at,
    ...(row.next_alert_at !== null ? { nextAlertAt: row.next_alert_at } : {}),
  });
  if (!result.success) {
    throw new HeedError(
      'STORE_RECORD_INVALID',
      `Stored issue ${row.id} is not valid: ${z.prettifyError(result.error)}`,
      {
        issueId: row.id,
      },
    );
  }
  return result.data;
}

/**
 * Issues in tables: one row of current state each, their ledger as append-only rows, their threads and
 * the customer messages they have seen. Every create and update is one transaction (the row, its ledger
 * rows, its deadline and its seen messages commit together) and is checked against the revision it read,
 * so two writers never lose an update. Summaries of not-yet-closed issues are kept in memory for queues
 * and the SLA scheduler, loaded at start with one indexed query and, in shared mode, kept current by the
 * other instances' announcements.
 */
export class IssueRepository {
  private readonly summaries = new Map<string, IssueSummary>();
  private readonly byNumber = new Map<number, string>();

  constructor(
    private readonly database: HeedDatabase,
    private readonly logger: Logger,
    private readonly hooks: RepositoryHooks = {},
    private readonly coordination: Coordination = localCoordination(),
  ) {}

  /** Loads the summaries of every not-yet-closed issue (again, after a missed announcement). */
  async load(): Promise<number> {
    const rows = await this.database.db
      .selectFrom('issues')
      .select([
        'id',
        'number',
        'status',
        'priority',
        'team',
        'owner',
        'customer',
        'opened_at',
        'next_alert_at',
      ])
      .where('status', '<>', 'closed')
      .execute();
    this.summaries.clear();
    this.byNumber.clear();
    for (const row of rows) this.remember(summaryFromRow(row));
    return this.summaries.size;
  }

  /** Applies another instance's announcement to the in-memory summaries (shared mode). */
  applyAnnouncement(change: SummaryChange): void {
    if (change.summary === undefined) {
      this.forget(change.id);
      return;
    }
    const parsed = issueSummarySchema.safeParse(change.summary);
    if (parsed.success && parsed.data.id === change.id) this.remember(parsed.data);
    else this.logger.warn({ issueId: change.id }, 'ignored an unreadable issue announcement');
  }

  private remember(summary: IssueSummary): void {
    this.summaries.set(summary.id, summary);
    this.byNumber.set(summary.number, summary.id);
  }

  private forget(id: string): void {
    const summary = this.summaries.get(id);
    if (summary) this.byNumber.delete(summary.number);
    this.summaries.delete(id);
  }

  /** Summaries of every active or resolved (not yet closed) issue. */
  listOpen(): IssueSummary[] {
    return [...this.summaries.values()];
  }

  async get(id: string): Promise<Issue | undefined> {
    return this.read(this.database.db, id, false);
  }

  async getByNumber(number: number): Promise<Issue | undefined> {
    const known = this.byNumber.get(number);
    if (known) return this.get(known);
    const row = await this.database.db
      .selectFrom('issues')
      .select('id')
      .where('number', '=', number)
      .executeTakeFirst();
    return row ? this.get(row.id) : undefined;
  }

  async getByConversation(ref: ConversationRef): Promise<Issue | undefined> {
    const row = await this.database.db
      .selectFrom('threads')
      .select('issue_id')
      .where('conversation', '=', conversationKey(ref))
      .executeTakeFirst();
    return row ? this.get(row.issue_id) : undefined;
  }

  /** Many issues at once (reports). Missing ids are skipped; issues come back in id order. */
  async getMany(ids: readonly string[]): Promise<Issue[]> {
    const out: Issue[] = [];
    const sorted = [...new Set(ids)].sort();
    for (let start = 0; start < sorted.length; start += READ_BATCH) {
      const batch = sorted.slice(start, start + READ_BATCH);
      const rows = await this.database.db
        .selectFrom('issues')
        .select(['id', 'body'])
        .where('id', 'in', batch)
        .execute();
      const ledger = await this.database.db
        .selectFrom('ledger')
        .select(['issue_id', 'event'])
        .where('issue_id', 'in', batch)
        .orderBy('seq')
        .execute();
      out.push(...assemble(rows, ledger));
    }
    return out;
  }

  /**
   * What the replay of a report reads of the issues with ledger events at `from <= at < to`: each
   * issue's ledger and the few columns the replay needs, without reading or validating whole issues. In
   * id order. Reports themselves read {@link reportFigures}; this is what they are checked against.
   */
  async reportIssuesBetween(from: number, to: number): Promise<ReportIssue[]> {
    if (to <= from) return [];
    const db = this.database.db;
    const touched = db.selectFrom('ledger').select('issue_id').where('at', '>=', from).where('at', '<', to);
    // Whether the issue's policy runs a next-response clock, read inside the stored body.
    const nextResponse =
      this.database.kind === 'postgres'
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
      const event = this.parsed(() => eventFromRow(row), row.issue_id);
      const list = history.get(row.issue_id);
      if (list) list.push(event);
      else history.set(row.issue_id, [event]);
    }
    return rows
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((row) => ({
        id: row.id,
        team: row.team,
        openedAt: row.opened_at,
        customer: this.parsed(() => customerFromColumn(row.customer, row.id), row.id),
        sla: { clocks: Number(row.next_response) ? { nextResponse: true } : {} },
        history: history.get(row.id) ?? [],
      }));
  }

  /**
   * The ownership figures of a period as SQL sums over the ledger rows' stored figures (no ledger is
   * read or replayed; rows written without figures get them first). {@link reportIssuesBetween} is the
   * replay they agree with.
   */
  async reportFigures(query: ReportQuery): Promise<ReportFigures> {
    await this.deriveMissingFigures();
    try {
      return await readReportFigures(this.database.db, query);
    } catch (error) {
      if (error instanceof HeedError)
        this.logger.error({ problem: error.message }, 'stored figures failed validation');
      throw error;
    }
  }

  /** The newest ledger event of `kind` on any of these issues (one indexed query; no issue is read). */
  async latestEvent(issueIds: readonly string[], kind: LedgerKind): Promise<LedgerEvent | undefined> {
    if (issueIds.length === 0) return undefined;
    const row = await this.database.db
      .selectFrom('ledger')
      .select(['issue_id', 'event'])
      .where('issue_id', 'in', [...issueIds])
      .where('kind', '=', kind)
      .orderBy('at', 'desc')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? this.parsed(() => eventFromRow(row), row.issue_id) : undefined;
  }

  /** Runs `work` while holding the lock for `key` (conversation keys during intake), across instances. */
  withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.coordination.locks.run(key, () => work());
  }

  /** The highest issue number handed out. */
  async lastIssueNumber(): Promise<number> {
    const row = await this.database.db
      .selectFrom('counters')
      .select('value')
      .where('name', '=', ISSUE_NUMBER_COUNTER)
      .executeTakeFirst();
    return row?.value ?? 0;
  }

  /**
   * Creates an issue in one transaction: its number, row, ledger, thread and first seen message. The
   * number comes from the counter row in the same transaction, so it is never handed out twice and a
   * failed create leaves no gap.
   */
  async create(build: (number: number) => { issue: Issue; events: readonly LedgerDraft[] }): Promise<Saved> {
    const saved = await this.database.change(async (trx) => {
      const { value: number } = await trx
        .insertInto('counters')
        .values({ name: ISSUE_NUMBER_COUNTER, value: 1 })
        .onConflict((conflict) =>
          conflict.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })),
        )
        .returning('value')
        .executeTakeFirstOrThrow();
      const { issue: draft, events: drafts } = build(number);
      const events = stamp({ ...draft, revision: 1 }, drafts);
      const prepared = this.prepare(undefined, {
        ...draft,
        revision: 1,
        history: [...draft.history, ...events],
      });
      const issue: Issue = issueSchema.parse(prepared);
      await insertIssues(trx, [issue]);
      return { issue, events };
    });
    this.committed(saved.issue, saved.events);
    return saved;
  }

  /**
   * Writes many already-built issues at once (imports, benchmarks) in large transactions, and moves the
   * numbering past them. Not for live traffic.
   */
  async bulkImport(drafts: readonly Issue[]): Promise<void> {
    const issues = drafts.map((draft) => issueSchema.parse(this.prepare(undefined, draft)));
    const chunk = 5_000;
    for (let start = 0; start < issues.length; start += chunk) {
      const part = issues.slice(start, start + chunk);
      await this.database.change(async (trx) => {
        await insertIssues(trx, part);
        await raiseCounter(trx, ISSUE_NUMBER_COUNTER, Math.max(0, ...part.map((issue) => issue.number)));
      });
    }
    for (const issue of issues) this.committed(issue, []);
  }

  private prepare(before: Issue | undefined, after: Issue): Issue {
    return this.hooks.prepare ? this.hooks.prepare(before, after) : after;
  }

  /**
   * Applies `change` to the stored issue in one transaction: reads it (row-locked on PostgreSQL), appends
   * the ledger events, bumps the revision and writes it back only if nobody committed a newer one. A
   * refusal leaves the store untouched.
   */
  async update(id: string, change: (issue: Issue) => Change): Promise<Saved | Refusal> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const outcome = await this.database.change((trx) => this.updateIn(trx, id, change));
        if (outcome.ok) this.committed(outcome.issue, outcome.events);
        return outcome.ok ? { issue: outcome.issue, events: outcome.events } : outcome;
      } catch (error) {
        const stale = error instanceof HeedError && error.code === 'STALE_REVISION';
        if (!stale || attempt >= STALE_RETRIES) throw error;
        this.logger.warn({ issueId: id, attempt }, 'another writer changed the issue first; trying again');
      }
    }
  }

  private async updateIn(
    trx: Transaction<HeedTables>,
    id: string,
    change: (issue: Issue) => Change,
  ): Promise<(Saved & { ok: true }) | Refusal> {
    // SQLite's single writer needs no row lock; PostgreSQL's instances do.
    const stored = await this.readStored(trx, id, this.database.kind === 'postgres');
    if (!stored) throw new HeedError('ISSUE_NOT_FOUND', `Issue ${id} does not exist`, { issueId: id });
    const current = stored.issue;
    const result = change(current);
    if (!result.ok) return result;
    const revision = current.revision + 1;
    const events = stamp({ ...result.issue, revision }, result.events);
    const next = this.prepare(current, {
      ...result.issue,
      revision,
      history: [...current.history, ...events],
    });
    const { id: _id, ...row } = issueRow(next);
    const written = await trx
      .updateTable('issues')
      .set(row)
      .where('id', '=', id)
      .where('revision', '=', current.revision)
      .executeTakeFirst();
    if (written.numUpdatedRows !== 1n) {
      throw new HeedError(
        'STALE_REVISION',
        `Issue ${id} changed after revision ${current.revision} was read`,
        {
          issueId: id,
        },
      );
    }
    await writeLedger(trx, stored, next);
    const seen = new Set(current.seenMessages);
    await insertSeen(
      trx,
      next,
      next.seenMessages.filter((messageId) => !seen.has(messageId)),
    );
    const fired = new Set(current.sla.fired);
    await insertFired(
      trx,
      id,
      next.sla.fired.filter((alert) => !fired.has(alert)),
    );
    return { ok: true, issue: next, events };
  }

  /** After a commit: the in-memory summaries, the other instances, and the hooks. */
  private committed(issue: Issue, events: readonly LedgerEvent[]): void {
    const summary = issue.status === 'closed' ? undefined : summarize(issue);
    if (summary) this.remember(summary);
    else this.forget(issue.id);
    this.coordination.announce({ id: issue.id, ...(summary ? { summary } : {}) });
    this.hooks.saved?.(issue, events);
  }

  private async read(reader: Reader, id: string, lock: boolean): Promise<Issue | undefined> {
    return (await this.readStored(reader, id, lock))?.issue;
  }

  /** The issue, and the report figures its ledger rows hold (in `seq` order). */
  private async readStored(reader: Reader, id: string, lock: boolean): Promise<StoredIssue | undefined> {
    const query = reader.selectFrom('issues').select(['id', 'body']).where('id', '=', id);
    const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
    if (!row) return undefined;
    const ledger = await reader
      .selectFrom('ledger')
      .select(['event', ...FIGURE_COLUMNS])
      .where('issue_id', '=', id)
      .orderBy('seq')
      .execute();
    return { issue: this.parsed(() => issueFromRows(row, ledger), id), figures: ledger.map(storedFigures) };
  }

  /**
   * Gives the ledger rows written without report figures (by a Heed from before them, during a rolling
   * upgrade) the figures of their issue's ledger, so that sums over the rows are whole. Usually there is
   * none, and one indexed query says so. A damaged issue is skipped: it is refused by name wherever it
   * is read, and its rows count for nothing.
   */
  private async deriveMissingFigures(): Promise<void> {
    const missing = await this.database.db
      .selectFrom('ledger')
      .select('issue_id')
      .distinct()
      .where('flag', 'is', null)
      .execute();
    for (const { issue_id: id } of missing) {
      try {
        await this.database.change(async (trx) => {
          const stored = await this.readStored(trx, id, this.database.kind === 'postgres');
          if (stored) await writeLedger(trx, stored, stored.issue);
        });
      } catch (error) {
        // Already logged by name when it failed validation; the report goes on without it.
        if (!(error instanceof HeedError && error.code === 'STORE_RECORD_INVALID')) throw error;
      }
    }
  }

  private parsed<T>(read: () => T, id: string): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof HeedError)
        this.logger.error({ issueId: id, problem: error.message }, 'stored issue failed validation');
      throw error;
    }
  }
}

function parseColumn(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
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
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((row) => issueFromRows(row, byIssue.get(row.id) ?? []));
}

/** An issue as stored: its ledger rows' report figures (`undefined`: none derived yet) beside it. */
interface StoredIssue {
  readonly issue: Issue;
  readonly figures: readonly (LedgerFigures | undefined)[];
}

/**
 * Appends the ledger rows `next` adds to the stored issue, with their report figures, and rewrites the
 * figures of stored rows that no longer hold what the whole ledger gives them: an event out of time
 * order or a next-response clock that starts late changes how earlier events count, and rows written
 * without figures get theirs. The rows' events themselves never change.
 */
async function writeLedger(trx: Transaction<HeedTables>, stored: StoredIssue, next: Issue): Promise<void> {
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

function stamp(issue: Issue, drafts: readonly LedgerDraft[]): LedgerEvent[] {
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
