import type { Transaction } from 'kysely';
import { type Coordination, localCoordination, type SummaryChange } from '../coordination/coordination.ts';
import { type Issue, issueSchema } from '../domain/issue.ts';
import type { LedgerDraft, LedgerEvent, LedgerKind } from '../domain/ledger.ts';
import { type ConversationRef, conversationKey } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import type { ReportFigures, ReportIssue, ReportQuery } from '../reports/report.ts';
import type { HeedDatabase } from '../store/database.ts';
import type { HeedTables } from '../store/tables.ts';
import { CatchUpMarks } from './catch-up-marks.ts';
import { HeedError } from './errors.ts';
import type { Change, Refusal, RepositoryHooks, Saved } from './issue-change.ts';
import {
  type OpenRecovery,
  type Parse,
  type Reader,
  readIssueIdForMessage,
  readIssues,
  readLatestEvent,
  readOpenRecoveries,
  readReportIssues,
  readStoredIssue,
  type StoredIssue,
} from './issue-reads.ts';
import {
  ISSUE_NUMBER_COUNTER,
  insertFired,
  insertIssues,
  insertSeen,
  issueRow,
  raiseCounter,
} from './issue-rows.ts';
import { deriveMissingFigures, stampEvents, writeLedger } from './ledger-writes.ts';
import { type IssueSummary, OpenIssues, SUMMARY_COLUMNS, summaryFromRow, summaryOf } from './open-issues.ts';
import { insertOutbox, markOutboxSent, type OutboxDraft } from './outbox.ts';
import { readReportFigures } from './report-figures.ts';

/** How often an update retries after another writer committed the issue first. */
const STALE_RETRIES = 3;

export type { Change, Refusal, RepositoryHooks, Saved } from './issue-change.ts';
export type { OpenRecovery } from './issue-reads.ts';

/**
 * Issues in tables: one row of current state each, their ledger as append-only rows, their threads and
 * the customer messages they have seen. Every create and update is one transaction (the row, its ledger
 * rows, its deadline and its seen messages commit together) and is checked against the revision it read,
 * so two writers never lose an update. Summaries of not-yet-closed issues are kept in memory for queues
 * and the SLA scheduler, loaded at start with one indexed query and, in shared mode, kept current by the
 * other instances' announcements.
 */
export class IssueRepository {
  private readonly open = new OpenIssues();
  /** Where catching up after downtime starts (channel watermarks, open threads). */
  readonly marks: CatchUpMarks;

  constructor(
    private readonly database: HeedDatabase,
    private readonly logger: Logger,
    private readonly hooks: RepositoryHooks = {},
    private readonly coordination: Coordination = localCoordination(),
  ) {
    this.marks = new CatchUpMarks(database);
  }

  /** Loads the summaries of every not-yet-closed issue (again, after a missed announcement). */
  async load(): Promise<number> {
    const rows = await this.database.db
      .selectFrom('issues')
      .select(SUMMARY_COLUMNS)
      .where('status', '<>', 'closed')
      .execute();
    this.open.reset(rows.map(summaryFromRow));
    return this.open.size;
  }

  /** Applies another instance's announcement to the in-memory summaries (shared mode). */
  applyAnnouncement(change: SummaryChange): void {
    this.open.announced(change, this.logger);
  }

  /** Summaries of every active or resolved (not yet closed) issue. */
  listOpen(): IssueSummary[] {
    return this.open.list();
  }

  /** The issue that recorded a platform message, if any (an edit or deletion finds its issue so). */
  issueIdForMessage(platform: string, channel: string, messageId: string): Promise<string | undefined> {
    return readIssueIdForMessage(this.database, platform, channel, messageId);
  }

  async get(id: string): Promise<Issue | undefined> {
    return this.read(this.database.db, id, false);
  }

  async getByNumber(number: number): Promise<Issue | undefined> {
    const known = this.open.idOf(number);
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
  getMany(ids: readonly string[]): Promise<Issue[]> {
    return readIssues(this.database, ids);
  }

  /**
   * What the replay of a report reads of the issues with ledger events at `from <= at < to`: each
   * issue's ledger and the few columns the replay needs, without reading or validating whole issues. In
   * id order. Reports themselves read {@link reportFigures}; this is what they are checked against.
   */
  reportIssuesBetween(from: number, to: number): Promise<ReportIssue[]> {
    return readReportIssues(this.database, from, to, this.parse);
  }

  /**
   * The ownership figures of a period as SQL sums over the ledger rows' stored figures (no ledger is
   * read or replayed; rows written without figures get them first). {@link reportIssuesBetween} is the
   * replay they agree with.
   */
  async reportFigures(query: ReportQuery): Promise<ReportFigures> {
    await deriveMissingFigures(this.database, this.parse);
    try {
      return await readReportFigures(this.database.db, query);
    } catch (error) {
      if (error instanceof HeedError)
        this.logger.error({ problem: error.message }, 'stored figures failed validation');
      throw error;
    }
  }

  /** The newest ledger event of `kind` on any of these issues (one indexed query; no issue is read). */
  latestEvent(issueIds: readonly string[], kind: LedgerKind): Promise<LedgerEvent | undefined> {
    return readLatestEvent(this.database, issueIds, kind, this.parse);
  }

  /**
   * The recovery tasks (a 👎, an NPS detractor) of these teams requested since `since` that nobody on staff
   * has followed up yet (a reply, an apology or a note), newest first.
   */
  openRecoveries(teams: readonly string[], since: number): Promise<OpenRecovery[]> {
    return readOpenRecoveries(this.database, teams, since, this.parse);
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
   * Creates an issue in one transaction: its number, row, ledger, thread, first seen message, what it
   * owes (the outbox) and whatever `alongside` writes. The number comes from the counter row in the same
   * transaction, so it is never handed out twice and a failed create leaves no gap.
   */
  async create(
    build: (number: number) => { issue: Issue; events: readonly LedgerDraft[] },
    owes?: { readonly at: number; readonly drafts: (issue: Issue) => readonly OutboxDraft[] },
    /** Other rows that commit with the issue (its customer's profile). */
    alongside?: (trx: Transaction<HeedTables>, issue: Issue) => Promise<void>,
  ): Promise<Saved> {
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
      const events = stampEvents({ ...draft, revision: 1 }, drafts);
      const prepared = this.prepare(undefined, {
        ...draft,
        revision: 1,
        history: [...draft.history, ...events],
      });
      const issue: Issue = issueSchema.parse(prepared);
      await insertIssues(trx, [issue]);
      await alongside?.(trx, issue);
      const outbox = owes
        ? await insertOutbox(trx, issue.id, owes.drafts(issue), {
            holder: this.coordination.instanceId,
            now: owes.at,
          })
        : [];
      await this.announceWithin(trx, issue);
      return { issue, events, outbox };
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
    // Bulk writes announce after their (large) transactions.
    for (const issue of issues) this.committed(issue, [], false);
  }

  private prepare(before: Issue | undefined, after: Issue): Issue {
    return this.hooks.prepare ? this.hooks.prepare(before, after) : after;
  }

  /**
   * Applies `change` to the stored issue in one transaction: reads it (row-locked on PostgreSQL), appends
   * the ledger events, bumps the revision and writes it back only if nobody committed a newer one. A
   * refusal leaves the store untouched. `alongside`, when given, writes more in the same transaction once
   * the change is accepted (a refusal skips it, so nothing of either is stored).
   */
  async update(
    id: string,
    change: (issue: Issue) => Change,
    alongside?: (trx: Transaction<HeedTables>, issue: Issue) => Promise<void>,
  ): Promise<Saved | Refusal> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const outcome = await this.database.change(async (trx) => {
          const updated = await this.updateIn(trx, id, change);
          if (updated.ok) await alongside?.(trx, updated.issue);
          return updated;
        });
        if (outcome.ok) this.committed(outcome.issue, outcome.events);
        return outcome.ok
          ? {
              issue: outcome.issue,
              events: outcome.events,
              ...(outcome.outbox ? { outbox: outcome.outbox } : {}),
            }
          : outcome;
      } catch (error) {
        const stale = error instanceof HeedError && error.code === 'STALE_REVISION';
        if (!stale || attempt >= STALE_RETRIES) throw error;
        this.logger.warn({ issueId: id, attempt }, 'another writer changed the issue first; trying again');
      }
    }
  }

  /**
   * Stores what the adapters answered for an issue's messages (the acknowledgement, the card) on the
   * issue as the caller last saw it: one row update, no read, no ledger event, and marks the outbox
   * entries `sent` in the same transaction. If another writer committed first, it is applied over the
   * stored issue instead.
   */
  async attach(
    seen: Issue,
    refs: Partial<Pick<Issue, 'acknowledgement' | 'card'>>,
    sent?: { readonly ids: readonly string[]; readonly at: number },
  ): Promise<Issue> {
    const next: Issue = { ...seen, ...refs, revision: seen.revision + 1 };
    const markSent = (trx: Transaction<HeedTables>) => markOutboxSent(trx, sent?.ids ?? [], sent?.at ?? 0);
    const written = await this.database.change(async (trx) => {
      const result = await writeOver(trx, next, seen.revision);
      if (result) {
        await markSent(trx);
        await this.announceWithin(trx, next);
      }
      return result;
    });
    if (written) {
      this.committed(next, []);
      return next;
    }
    const saved = await this.database.change(async (trx) => {
      const outcome = await this.updateIn(trx, seen.id, (issue) => ({
        ok: true,
        issue: { ...issue, ...refs },
        events: [],
      }));
      if (outcome.ok) await markSent(trx);
      return outcome;
    });
    if (!saved.ok) throw new HeedError('ISSUE_NOT_FOUND', `Issue ${seen.id} refused its references`);
    this.committed(saved.issue, saved.events);
    return saved.issue;
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
    const events = stampEvents({ ...result.issue, revision }, result.events);
    const next = this.prepare(current, {
      ...result.issue,
      revision,
      history: [...current.history, ...events],
    });
    if (!(await writeOver(trx, next, current.revision))) {
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
    const outbox = result.outbox
      ? await insertOutbox(trx, id, result.outbox.drafts, {
          holder: this.coordination.instanceId,
          now: result.outbox.at,
        })
      : undefined;
    await this.announceWithin(trx, next);
    return { ok: true, issue: next, events, ...(outbox ? { outbox } : {}) };
  }

  /** After a commit: the in-memory summaries, the other instances, and the hooks. */
  private committed(issue: Issue, events: readonly LedgerEvent[], announcedWithin = true): void {
    const summary = this.open.committed(issue);
    // Announced inside the transaction where the coordination can (PostgreSQL), else now.
    if (!announcedWithin || !this.coordination.announceIn) {
      this.coordination.announce({ id: issue.id, ...(summary ? { summary } : {}) });
    }
    this.hooks.saved?.(issue, events);
  }

  /** Tells the other instances about the change in its own transaction (delivered on commit). */
  private async announceWithin(trx: Transaction<HeedTables>, issue: Issue): Promise<void> {
    if (!this.coordination.announceIn) return;
    const summary = summaryOf(issue);
    await this.coordination.announceIn(trx, { id: issue.id, ...(summary ? { summary } : {}) });
  }

  private async read(reader: Reader, id: string, lock: boolean): Promise<Issue | undefined> {
    return (await this.readStored(reader, id, lock))?.issue;
  }

  private readStored(reader: Reader, id: string, lock: boolean): Promise<StoredIssue | undefined> {
    return readStoredIssue(reader, id, lock, this.parse);
  }

  private readonly parse: Parse = (read, id) => {
    try {
      return read();
    } catch (error) {
      if (error instanceof HeedError)
        this.logger.error({ issueId: id, problem: error.message }, 'stored issue failed validation');
      throw error;
    }
  };
}

/** Writes the issue's row only over the revision that was read; false when another writer came first. */
async function writeOver(trx: Transaction<HeedTables>, next: Issue, readRevision: number): Promise<boolean> {
  const { id, ...row } = issueRow(next);
  const written = await trx
    .updateTable('issues')
    .set(row)
    .where('id', '=', id)
    .where('revision', '=', readRevision)
    .executeTakeFirst();
  return written.numUpdatedRows === 1n;
}
