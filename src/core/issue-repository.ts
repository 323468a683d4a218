import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type Coordination, localCoordination, type SummaryChange } from '../coordination/coordination.ts';
import {
  customerSchema,
  type Issue,
  issueSchema,
  issueStatusSchema,
  prioritySchema,
} from '../domain/issue.ts';
import type { LedgerDraft, LedgerEvent } from '../domain/ledger.ts';
import { type ConversationRef, conversationKey, userRefSchema } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import type { Rich } from '../messages/rich-text.ts';
import type { DocumentCollection, DocumentStore } from '../store/types.ts';
import { HeedError } from './errors.ts';

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

const shardSchema = z.object({ v: z.literal(1), entries: z.record(z.string(), issueSummarySchema) });
const dayIndexSchema = z.object({ v: z.literal(1), ids: z.array(z.string()) });
const counterSchema = z.object({ v: z.literal(1), last: z.number().int().nonnegative() });
const pointerSchema = z.object({ v: z.literal(1), issueId: z.string().min(1) });

const COUNTER_KEY = 'issue-counter';
const SHARDS = 256;
/** How many recently written issues one process keeps in memory. */
const WRITTEN_KEPT = 1_000;
/** Documents per day of the ledger-day index. */
const DAY_SHARDS = 16;
/** How many of the newest issue numbers `load` re-checks for a create interrupted by a crash. */
const RECENT_NUMBERS_CHECKED = 20;
/** How often an update re-reads and retries after finding it read a copy older than the committed one. */
const STALE_RETRIES = 3;

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
   * Told after every stored change with the ledger events it appended (the SLA due index and the
   * metrics listen; bulk imports append none).
   */
  saved?(issue: Issue, events: readonly LedgerEvent[]): void;
}

/** The ledger-day index document of an issue on the (UTC) day of `at`: `2026-11-23/7`. */
function dayKey(issueId: string, at: number): string {
  const day = new Date(at).toISOString().slice(0, 10);
  return `${day}/${createHash('sha1').update(issueId).digest()[0]! % DAY_SHARDS}`;
}

function shardOf(id: string): string {
  return `open-index.${createHash('sha1').update(id).digest()[0]! % SHARDS}`;
}

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

/**
 * Issues, their thread and number pointers, and a sharded index of summaries of every not-yet-closed
 * issue. Writes are serialised per issue by the coordination's locks: in process (embedded mode) or
 * across instances (shared mode, where each write is also fenced by the lock and checked against the
 * committed revision). Summaries are kept in memory, reloaded at start from the 256 index shards (never by
 * iterating the store) and, in shared mode, kept current by the other instances' announcements.
 */
export class IssueRepository {
  private readonly issues: DocumentCollection;
  private readonly threads: DocumentCollection;
  private readonly numbers: DocumentCollection;
  private readonly meta: DocumentCollection;
  private readonly days: DocumentCollection;
  private readonly summaries = new Map<string, IssueSummary>();
  private readonly byNumber = new Map<number, string>();
  private readonly touched = new Map<string, Set<string>>();
  private readonly written = new Map<string, Issue>();
  private lastNumber: number | undefined;

  constructor(
    store: DocumentStore,
    private readonly logger: Logger,
    private readonly hooks: RepositoryHooks = {},
    private readonly coordination: Coordination = localCoordination(),
  ) {
    this.issues = store.collection('issues');
    this.threads = store.collection('threads');
    this.numbers = store.collection('numbers');
    this.meta = store.collection('meta');
    this.days = store.collection('ledger-days');
  }

  /**
   * Records that an issue got ledger events on a (UTC) day, so reports over a period read only the issues
   * touched in it. Each day is split in 16 documents by issue id, so a busy day's index stays small to
   * rewrite; one process (embedded mode) keeps today's documents in memory and never reads them back.
   * Written before the issue itself: at worst a day lists an issue with nothing that day.
   */
  private async touch(issueId: string, at: number): Promise<void> {
    const key = dayKey(issueId, at);
    const known = this.touched.get(key);
    if (known?.has(issueId)) return;
    const alone = this.coordination.mode === 'local';
    await this.coordination.locks.run(`day:${key}`, async (held) => {
      let ids = alone ? this.touched.get(key) : undefined;
      if (!ids) {
        const stored = dayIndexSchema.safeParse((await this.days.get(key)) ?? { v: 1, ids: [] });
        ids = new Set(stored.success ? stored.data.ids : []);
      }
      if (!ids.has(issueId)) {
        ids.add(issueId);
        try {
          await held.assertHeld();
          await this.days.set(key, { v: 1, ids: [...ids] });
        } catch (error) {
          // Not stored: the next change of this issue tries again.
          ids.delete(issueId);
          throw error;
        }
      }
      if (this.touched.size > 4 * DAY_SHARDS) this.touched.clear();
      this.touched.set(key, ids);
    });
  }

  /** Ids of the issues with ledger events on each UTC day from `from` to `to` (inclusive). */
  async issueIdsTouched(from: number, to: number): Promise<string[]> {
    const keys: string[] = [];
    for (let day = Date.parse(new Date(from).toISOString().slice(0, 10)); day <= to; day += 86_400_000) {
      const date = new Date(day).toISOString().slice(0, 10);
      // One document per day (bulk imports, earlier versions), and the day's shards.
      keys.push(date, ...Array.from({ length: DAY_SHARDS }, (_, shard) => `${date}/${shard}`));
    }
    const ids = new Set<string>();
    for (let start = 0; start < keys.length; start += 2_000) {
      for (const value of await this.days.getMany(keys.slice(start, start + 2_000))) {
        const parsed = dayIndexSchema.safeParse(value);
        if (parsed.success) for (const id of parsed.data.ids) ids.add(id);
      }
    }
    return [...ids];
  }

  /** Many issues at once (reports). Missing ids are skipped. */
  async getMany(ids: readonly string[]): Promise<Issue[]> {
    const out: Issue[] = [];
    for (let start = 0; start < ids.length; start += 500) {
      const batch = ids.slice(start, start + 500);
      const values = await this.issues.getMany(batch);
      values.forEach((value, index) => {
        if (value !== undefined) out.push(this.parse(value, batch[index]!));
      });
    }
    return out;
  }

  /** Loads the summaries of every not-yet-closed issue (again, after a missed announcement). */
  async load(): Promise<number> {
    this.summaries.clear();
    this.byNumber.clear();
    const keys = Array.from({ length: SHARDS }, (_, index) => `open-index.${index}`);
    const shards = await this.meta.getMany(keys);
    shards.forEach((value, index) => {
      if (value === undefined) return;
      const shard = shardSchema.safeParse(value);
      if (!shard.success) {
        throw new HeedError('STORE_RECORD_INVALID', `Open-issue index shard ${keys[index]} is not readable`);
      }
      for (const summary of Object.values(shard.data.entries)) this.remember(summary);
    });
    await this.recoverInterruptedCreates();
    return this.summaries.size;
  }

  /** A crash between storing a new issue and indexing it leaves it unindexed: look at the newest numbers. */
  private async recoverInterruptedCreates(): Promise<void> {
    const counter = counterSchema.safeParse(await this.meta.get(COUNTER_KEY));
    if (!counter.success) return;
    const last = counter.data.last;
    for (let number = last; number > Math.max(0, last - RECENT_NUMBERS_CHECKED); number -= 1) {
      if (this.byNumber.has(number)) continue;
      const pointer = pointerSchema.safeParse(await this.numbers.get(String(number)));
      if (!pointer.success) continue;
      const stored = await this.issues.get(pointer.data.issueId);
      if (stored === undefined) continue;
      const issue = this.parse(stored, pointer.data.issueId);
      if (issue.status !== 'closed') {
        this.logger.warn({ issue: issue.number }, 'recovered an issue whose indexing was interrupted');
        await this.index(issue);
      }
    }
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

  private parse(value: unknown, id: string): Issue {
    const result = issueSchema.safeParse(value);
    if (!result.success) {
      this.logger.error(
        { issueId: id, problem: z.prettifyError(result.error) },
        'stored issue failed validation',
      );
      throw new HeedError('STORE_RECORD_INVALID', `Stored issue ${id} is not valid`, { issueId: id });
    }
    return result.data;
  }

  /** Writes the issue's summary into its shard (or removes it once closed). */
  private async index(issue: Issue): Promise<void> {
    const key = shardOf(issue.id);
    const summary = issue.status === 'closed' ? undefined : summarize(issue);
    await this.coordination.locks.run(key, async (held) => {
      const stored = shardSchema.safeParse((await this.meta.get(key)) ?? { v: 1, entries: {} });
      const entries = stored.success ? stored.data.entries : {};
      if (summary) {
        entries[issue.id] = summary;
        this.remember(summary);
      } else {
        delete entries[issue.id];
        this.forget(issue.id);
      }
      await held.assertHeld();
      await this.meta.set(key, { v: 1, entries });
    });
    this.coordination.announce({ id: issue.id, ...(summary ? { summary } : {}) });
  }

  /** Summaries of every active or resolved (not yet closed) issue. */
  listOpen(): IssueSummary[] {
    return [...this.summaries.values()];
  }

  async get(id: string): Promise<Issue | undefined> {
    const written = this.written.get(id);
    if (written) return written;
    const value = await this.issues.get(id);
    return value === undefined ? undefined : this.parse(value, id);
  }

  /**
   * One process (embedded mode) is the only writer, so the issues it wrote last are served from memory
   * instead of being read and validated again (a new issue is updated several times in its first second).
   * Issues are immutable values, so sharing them is safe. Several instances always read the store.
   */
  private remembered(issue: Issue): void {
    if (this.coordination.mode !== 'local') return;
    this.written.delete(issue.id);
    this.written.set(issue.id, issue);
    if (this.written.size > WRITTEN_KEPT) this.written.delete(this.written.keys().next().value!);
  }

  async getByNumber(number: number): Promise<Issue | undefined> {
    const known = this.byNumber.get(number);
    if (known) return this.get(known);
    const pointer = pointerSchema.safeParse(await this.numbers.get(String(number)));
    const issue = pointer.success ? await this.get(pointer.data.issueId) : undefined;
    // A crash between taking a number and storing the issue leaves the number pointing at an issue that
    // was created again under the next number: that number was skipped, it names no issue.
    return issue?.number === number ? issue : undefined;
  }

  async getByConversation(ref: ConversationRef): Promise<Issue | undefined> {
    const pointer = pointerSchema.safeParse(await this.threads.get(conversationKey(ref)));
    return pointer.success ? this.get(pointer.data.issueId) : undefined;
  }

  /** Points a conversation at an issue (a follow-up issue takes over its predecessor's thread). */
  async linkConversation(ref: ConversationRef, issueId: string): Promise<void> {
    await this.threads.set(conversationKey(ref), { v: 1, issueId });
  }

  /** Runs `work` while holding the lock for `key` (issue ids, conversation keys), across instances. */
  withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.coordination.locks.run(key, () => work());
  }

  /** The highest issue number handed out, as the store knows it. */
  async lastIssueNumber(): Promise<number> {
    const stored = counterSchema.safeParse((await this.meta.get(COUNTER_KEY)) ?? { v: 1, last: 0 });
    if (!stored.success) throw new HeedError('STORE_RECORD_INVALID', 'The issue counter is not readable');
    return stored.data.last;
  }

  /**
   * The next number: from the shared counter (shared mode), else the stored one under the lock. The stored
   * counter is kept as the highest number handed out either way (crash recovery and tools read it).
   */
  private async allocateNumber(): Promise<number> {
    const shared = await this.coordination.nextIssueNumber(() => this.lastIssueNumber());
    const alone = this.coordination.mode === 'local';
    return this.coordination.locks.run(COUNTER_KEY, async (held) => {
      // One process is the only writer of the counter: after the first read it counts in memory.
      const last = alone && this.lastNumber !== undefined ? this.lastNumber : await this.lastIssueNumber();
      const next = shared ?? last + 1;
      if (next > last) {
        await held.assertHeld();
        await this.meta.set(COUNTER_KEY, { v: 1, last: next });
      }
      if (alone) this.lastNumber = Math.max(next, last);
      return next;
    });
  }

  /**
   * Creates an issue. The number and conversation pointers are written first and the issue document is
   * the commit point; `load` re-indexes a create that a crash interrupted after that point.
   */
  async create(build: (number: number) => { issue: Issue; events: readonly LedgerDraft[] }): Promise<Saved> {
    const number = await this.allocateNumber();
    const { issue: draft, events: drafts } = build(number);
    const events = stamp({ ...draft, revision: 1 }, drafts);
    const prepared = this.prepare(undefined, {
      ...draft,
      revision: 1,
      history: [...draft.history, ...events],
    });
    const issue: Issue = issueSchema.parse(prepared);
    await this.numbers.set(String(number), { v: 1, issueId: issue.id });
    await this.threads.set(conversationKey(issue.conversation), { v: 1, issueId: issue.id });
    await this.touch(issue.id, issue.updatedAt);
    await this.issues.set(issue.id, issue);
    this.remembered(issue);
    await this.coordination.revisions.commit(issue.id, issue.revision);
    await this.index(issue);
    this.hooks.saved?.(issue, events);
    return { issue, events };
  }

  /**
   * Writes many already-built issues at once (imports, benchmarks): documents, pointers, index shards
   * and the counter, in bulk. Not for live traffic: it bypasses the per-issue locks.
   */
  async bulkImport(drafts: readonly Issue[]): Promise<void> {
    const issues = drafts.map((draft) => issueSchema.parse(this.prepare(undefined, draft)));
    for (const issue of issues) this.written.delete(issue.id);
    this.lastNumber = undefined;
    const chunk = 1_000;
    for (let start = 0; start < issues.length; start += chunk) {
      const part = issues.slice(start, start + chunk);
      await this.issues.setMany(part.map((issue) => [issue.id, issue] as const));
      await this.numbers.setMany(
        part.map((issue) => [String(issue.number), { v: 1, issueId: issue.id }] as const),
      );
      await this.threads.setMany(
        part.map((issue) => [conversationKey(issue.conversation), { v: 1, issueId: issue.id }] as const),
      );
    }
    const days = new Map<string, Set<string>>();
    for (const issue of issues) {
      for (const event of issue.history) {
        const key = dayKey(issue.id, event.at);
        days.set(key, (days.get(key) ?? new Set()).add(issue.id));
      }
    }
    for (const key of days.keys()) this.touched.delete(key);
    const existing = await this.days.getMany([...days.keys()]);
    await this.days.setMany(
      [...days].map(([day, ids], index) => {
        const stored = dayIndexSchema.safeParse(existing[index]);
        return [
          day,
          { v: 1, ids: [...new Set([...(stored.success ? stored.data.ids : []), ...ids])] },
        ] as const;
      }),
    );
    const shards = new Map<string, Record<string, IssueSummary>>();
    for (const issue of issues) {
      if (issue.status === 'closed') continue;
      const key = shardOf(issue.id);
      const entries = shards.get(key) ?? {};
      entries[issue.id] = summarize(issue);
      shards.set(key, entries);
      this.remember(entries[issue.id]!);
    }
    await this.meta.setMany([...shards].map(([key, entries]) => [key, { v: 1, entries }] as const));
    const last = Math.max(0, ...issues.map((issue) => issue.number));
    await this.meta.set(COUNTER_KEY, { v: 1, last });
    for (const issue of issues) this.hooks.saved?.(issue, []);
  }

  private prepare(before: Issue | undefined, after: Issue): Issue {
    return this.hooks.prepare ? this.hooks.prepare(before, after) : after;
  }

  /**
   * Applies `change` to the freshest stored copy under the issue's lock, appends the ledger events and
   * bumps the revision. A refusal leaves the store untouched.
   */
  async update(id: string, change: (issue: Issue) => Change): Promise<Saved | Refusal> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.updateOnce(id, change);
      } catch (error) {
        const stale = error instanceof HeedError && error.code === 'STALE_REVISION';
        if (!stale || attempt >= STALE_RETRIES) throw error;
        this.logger.warn({ issueId: id, attempt }, 'read a stale copy of an issue; reading it again');
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
  }

  private updateOnce(id: string, change: (issue: Issue) => Change): Promise<Saved | Refusal> {
    return this.coordination.locks.run(id, async (held) => {
      const current = await this.get(id);
      if (!current) throw new HeedError('ISSUE_NOT_FOUND', `Issue ${id} does not exist`, { issueId: id });
      const result = change(current);
      if (!result.ok) return result;
      const revision = current.revision + 1;
      const events = stamp({ ...result.issue, revision }, result.events);
      const next = this.prepare(current, {
        ...result.issue,
        revision,
        history: [...result.issue.history, ...events],
      });
      if (events.length > 0) await this.touch(id, next.updatedAt);
      // Fence the write: still holding the lock, and nobody committed a newer revision than we read.
      await held.assertHeld();
      await this.coordination.revisions.check(id, current.revision);
      await this.issues.set(id, next);
      this.remembered(next);
      await this.coordination.revisions.commit(id, revision);
      const before = this.summaries.get(id);
      const summary = summarize(next);
      if (next.status === 'closed' || needsIndexWrite(before, summary)) await this.index(next);
      else this.remember(summary);
      this.hooks.saved?.(next, events);
      return { issue: next, events };
    });
  }
}

/**
 * The stored summary may lag behind on one thing only: an alert time that moved later (alerts fired,
 * snoozes). An earlier stored time is harmless (the scheduler re-checks the fresh issue and re-tracks it),
 * so the shard is rewritten only when something else changed or the next alert moved earlier.
 */
function needsIndexWrite(before: IssueSummary | undefined, after: IssueSummary): boolean {
  if (!before) return true;
  const { nextAlertAt: was, ...restBefore } = before;
  const { nextAlertAt: now, ...restAfter } = after;
  if (JSON.stringify(restBefore) !== JSON.stringify(restAfter)) return true;
  return now !== undefined && (was === undefined || now < was);
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
