/**
 * `heed import`: copies a Heed 0.1 store (keyv documents on SQLite, PostgreSQL or Redis) into the tables
 * of this Heed. Issues with their ledger, state, deadlines, fired alerts, seen messages and thread;
 * customers with identities, e-mails and notes; thread pointers (a follow-up keeps its thread); the
 * manager digest time; the issue numbering. The old store is only read. Each record is validated with
 * zod; a bad one is reported (namespace, key, reason) and the rest is copied. A record already in the
 * new store at the same revision is left alone, so a second run changes nothing.
 */
import { realpathSync } from 'node:fs';
import { type Insertable, type Selectable, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { HeedError } from '../core/errors.ts';
import { ISSUE_NUMBER_COUNTER, insertIssues, raiseCounter } from '../core/issue-rows.ts';
import { customerRow, noteRows } from '../customers/customer-rows.ts';
import { emailKey, identityKey } from '../customers/identity.ts';
import { type CustomerProfile, customerProfileSchema, profilePointerSchema } from '../customers/profile.ts';
import { DIGEST_ROW } from '../digest/digest-scheduler.ts';
import { type Issue, issueSchema } from '../domain/issue.ts';
import { conversationKey } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import type { HeedDatabase } from './database.ts';
import {
  assertOldStoreIdle,
  NO_NAMESPACE,
  type OldDocumentStore,
  openOldDocuments,
  unwrapDocument,
} from './old-documents.ts';
import { schemaStatus } from './schema-version.ts';
import { causeText, isConstraintViolation } from './store-error.ts';
import { parseStoreUrl, type StoreLocation } from './store-url.ts';
import type { CustomerNotesTable, CustomersTable, HeedTables } from './tables.ts';

/** How often `onProgress` hears from a stage, in records, unless told otherwise. */
export const PROGRESS_EVERY = 1_000;

/** Documents read and written per round trip and per transaction. */
const BATCH = 250;

/** The parts of an import, in the order they run. */
export type ImportStage = 'issues' | 'customers' | 'threads' | 'digest' | 'numbering';

/** How far one stage of an import has come. */
export interface ImportProgress {
  readonly stage: ImportStage;
  readonly done: number;
  readonly total: number;
}

/** What {@link importStore} copies from where, and how it reports. */
export interface ImportOptions {
  /** The Heed 0.1 store: `sqlite://…`, `postgres://…` (`?schema=` if not `public`) or `redis://…`. */
  readonly from: string;
  /** The new store, open and migrated. */
  readonly to: HeedDatabase;
  /** Import beside issues the new store already holds that the old one does not. */
  readonly merge?: boolean;
  /** Told every {@link ImportOptions.progressEvery} records of a stage, and when a stage ends. */
  readonly onProgress?: (progress: ImportProgress) => void;
  readonly progressEvery?: number;
  readonly logger?: Logger;
  /** Directory that relative `sqlite://./…` paths resolve against; defaults to `process.cwd()`. */
  readonly cwd?: string;
  /** Redis only: the prefix the old server used (`HEED_KEY_PREFIX`, default `heed:`). */
  readonly redisKeyPrefix?: string;
  /** The time that decides whether a document with a TTL has expired. */
  readonly now?: () => number;
}

/** What happened to the records of one kind. */
export interface ImportTally {
  /** Written to the new store by this run. */
  readonly imported: number;
  /** Already in the new store at the same revision (an earlier run), left alone. */
  readonly unchanged: number;
  /** Not copied because something is wrong with them; each one is listed in `problems`. */
  readonly failed: number;
}

/** A record that was not copied, and why. Never holds the record's content. */
export interface ImportNote {
  readonly namespace: string;
  readonly key: string;
  readonly reason: string;
}

/** What an import did, record kind by record kind. */
export interface ImportSummary {
  /** The old store, without its password. */
  readonly from: string;
  readonly to: string;
  readonly issues: ImportTally & { readonly ledgerEvents: number };
  readonly customers: ImportTally & {
    readonly identities: number;
    readonly emails: number;
    readonly notes: number;
  };
  readonly threads: ImportTally;
  readonly digests: ImportTally;
  readonly numbering: {
    /** The old store's last issue number (`meta:issue-counter`), if it had one. */
    readonly oldLast: number | undefined;
    /** The new store's counter after the import: the next issue gets the number after it. */
    readonly last: number;
    readonly raised: boolean;
  };
  /** Documents of indexes the tables replace (`numbers`, `ledger-days`, open-issue shards), per namespace. */
  readonly notCopied: Readonly<Record<string, number>>;
  /** Records deliberately left out (expired, superseded, pointing nowhere), with the reason. */
  readonly skipped: readonly ImportNote[];
  /** Records that could not be copied: bad documents, conflicts with the new store. */
  readonly problems: readonly ImportNote[];
  /** True when this run wrote anything. */
  readonly changed: boolean;
}

const threadPointerSchema = z.object({ v: z.literal(1), issueId: z.string().min(1) });
const issueCounterSchema = z.object({ v: z.literal(1), last: z.number().int().nonnegative() });
const digestStateSchema = z.object({
  v: z.literal(1),
  lastSlot: z.number().int(),
  sentAt: z.number().int().optional(),
});
/** `platform:channel:thread`, as `conversationKey` writes it. */
const CONVERSATION_KEY = /^(slack|discord):[^:]+:[^:]+$/;

const ISSUE_COUNTER_KEY = 'issue-counter';
/** Heed 0.1 kept the manager digest state as `digest:last-sent`; it goes to the `digests` row DIGEST_ROW. */
const DIGEST_STATE_KEY = 'last-sent';
/** Namespaces the import reads; the rest are indexes the tables replace. */
const READ_NAMESPACES = new Set(['issues', 'customers', 'identities', 'customer-emails', 'threads']);

/** A zod error on one line: `path: message; …`. */
function zodReason(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

interface Counts {
  imported: number;
  unchanged: number;
  failed: number;
}

const tally = (): Counts => ({ imported: 0, unchanged: 0, failed: 0 });

/** The state of one import run. */
class ImportRun {
  readonly issues = { ...tally(), ledgerEvents: 0 };
  readonly customers = { ...tally(), identities: 0, emails: 0, notes: 0 };
  readonly threads = tally();
  readonly digests = tally();
  readonly skipped: ImportNote[] = [];
  readonly problems: ImportNote[] = [];
  readonly notCopied: Record<string, number> = {};
  /** Conversations whose thread row this run wrote along with an issue. */
  readonly threadsWritten = new Set<string>();
  /** The highest number of an issue now in both stores. */
  highestNumber = 0;
  numbering: ImportSummary['numbering'] = { oldLast: undefined, last: 0, raised: false };
  private readonly every: number;
  /** Documents per round trip: at most one progress step, so progress comes every `every` records. */
  private readonly batch: number;

  constructor(
    private readonly source: OldDocumentStore,
    private readonly to: HeedDatabase,
    private readonly keys: Map<string, string[]>,
    private readonly options: ImportOptions,
  ) {
    this.every = Math.max(1, options.progressEvery ?? PROGRESS_EVERY);
    this.batch = Math.min(BATCH, this.every);
  }

  keysOf(namespace: string): string[] {
    return this.keys.get(namespace) ?? [];
  }

  problem(counts: Counts, namespace: string, key: string, reason: string): void {
    counts.failed += 1;
    this.problems.push({ namespace, key, reason });
    this.options.logger?.warn({ namespace, key, reason }, 'import: record not copied');
  }

  skip(namespace: string, key: string, reason: string): void {
    this.skipped.push({ namespace, key, reason });
    this.options.logger?.info({ namespace, key, reason }, 'import: record left out');
  }

  /**
   * A record both stores hold at different revisions is never overwritten. Newer in the new store: it
   * changed there after an earlier import, as it should. Newer in the old store: the old server went on
   * after an earlier import, and those changes are not copied, which the operator has to hear.
   */
  otherRevision(counts: Counts, namespace: string, key: string, stored: number, old: number): void {
    if (stored > old) {
      this.skip(
        namespace,
        key,
        `the new store holds a newer revision (${stored}, the old store ${old}); left as it is`,
      );
    } else {
      this.problem(
        counts,
        namespace,
        key,
        `the old store holds a newer revision (${old}) than the new store (${stored}), which is left as it is; import into an empty store to take the old store's copy`,
      );
    }
  }

  progress(stage: ImportStage, done: number, total: number, previous: number): void {
    if (total === 0) return;
    if (done === total || Math.floor(done / this.every) > Math.floor(previous / this.every)) {
      this.options.onProgress?.({ stage, done, total });
    }
  }

  /** Reads some documents of a namespace; undefined for one that is gone, expired or unreadable. */
  async documents(
    namespace: string,
    keys: readonly string[],
    counts: Counts | undefined,
  ): Promise<Map<string, unknown>> {
    const texts = await this.source.read(namespace, keys);
    const now = (this.options.now ?? Date.now)();
    const out = new Map<string, unknown>();
    for (const key of keys) {
      const text = texts.get(key);
      if (text === undefined) {
        this.skip(namespace, key, 'deleted from the old store while the import ran');
        continue;
      }
      const stored = unwrapDocument(text, now);
      if (stored.kind === 'expired') {
        this.skip(namespace, key, `expired on ${new Date(stored.expiredAt).toISOString()}`);
      } else if (stored.kind === 'unreadable') {
        if (counts) this.problem(counts, namespace, key, stored.reason);
        else this.skip(namespace, key, stored.reason);
      } else {
        out.set(key, stored.value);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ issues

  private parseIssue(key: string, value: unknown): Issue | undefined {
    const parsed = issueSchema.safeParse(value);
    if (!parsed.success) {
      this.problem(this.issues, 'issues', key, `not a valid issue: ${zodReason(parsed.error)}`);
      return undefined;
    }
    const issue = parsed.data;
    if (issue.id !== key) {
      this.problem(this.issues, 'issues', key, `the document holds issue ${issue.id}, not ${key}`);
      return undefined;
    }
    const stray = issue.history.find((event) => event.issueId !== issue.id);
    if (stray) {
      this.problem(this.issues, 'issues', key, `ledger event ${stray.id} belongs to issue ${stray.issueId}`);
      return undefined;
    }
    return issue;
  }

  async importIssues(): Promise<void> {
    const keys = this.keysOf('issues');
    let done = 0;
    for (const batch of chunks(keys, this.batch)) {
      const values = await this.documents('issues', batch, this.issues);
      const issues: Issue[] = [];
      for (const [key, value] of values) {
        const issue = this.parseIssue(key, value);
        if (issue) issues.push(issue);
      }
      await this.storeIssues(issues);
      const previous = done;
      done += batch.length;
      this.progress('issues', done, keys.length, previous);
    }
  }

  private async storeIssues(issues: readonly Issue[]): Promise<void> {
    if (issues.length === 0) return;
    const ids = issues.map((issue) => issue.id);
    const stored = new Map(
      (await this.to.db.selectFrom('issues').select(['id', 'revision']).where('id', 'in', ids).execute()).map(
        (row) => [row.id, row.revision],
      ),
    );
    const numbers = new Map(
      (
        await this.to.db
          .selectFrom('issues')
          .select(['id', 'number'])
          .where(
            'number',
            'in',
            issues.map((issue) => issue.number),
          )
          .execute()
      ).map((row) => [row.number, row.id]),
    );
    const fresh: Issue[] = [];
    for (const issue of issues) {
      const revision = stored.get(issue.id);
      const holder = numbers.get(issue.number);
      if (revision === issue.revision) {
        this.issues.unchanged += 1;
        this.highestNumber = Math.max(this.highestNumber, issue.number);
      } else if (revision !== undefined) {
        this.highestNumber = Math.max(this.highestNumber, issue.number);
        this.otherRevision(this.issues, 'issues', issue.id, revision, issue.revision);
      } else if (holder !== undefined && holder !== issue.id) {
        this.problem(
          this.issues,
          'issues',
          issue.id,
          `its number #${issue.number} is already taken by issue ${holder} in the new store`,
        );
      } else {
        fresh.push(issue);
      }
    }
    if (fresh.length === 0) return;
    // Oldest first, so a follow-up issue takes its predecessor's thread (the thread pass confirms it).
    fresh.sort((a, b) => a.number - b.number);
    try {
      await this.to.change((trx) => insertIssues(trx, fresh));
      for (const issue of fresh) this.issueStored(issue);
    } catch (error) {
      if (!isConstraintViolation(error)) throw error;
      // Something in the batch is refused: store them one by one, so only the bad one stays out.
      for (const issue of fresh) {
        try {
          await this.to.change((trx) => insertIssues(trx, [issue]));
          this.issueStored(issue);
        } catch (single) {
          if (!isConstraintViolation(single)) throw single;
          this.problem(this.issues, 'issues', issue.id, `the new store refused it: ${causeText(single)}`);
        }
      }
    }
  }

  private issueStored(issue: Issue): void {
    this.issues.imported += 1;
    this.issues.ledgerEvents += issue.history.length;
    this.highestNumber = Math.max(this.highestNumber, issue.number);
    this.threadsWritten.add(conversationKey(issue.conversation));
  }

  // ------------------------------------------------------------------ customers

  /** An old index (`identities`, `customer-emails`): key → profile id. */
  private async pointers(namespace: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const batch of chunks(this.keysOf(namespace), BATCH)) {
      for (const [key, value] of await this.documents(namespace, batch, undefined)) {
        const pointer = profilePointerSchema.safeParse(value);
        if (pointer.success) out.set(key, pointer.data.profileId);
        else this.skip(namespace, key, `not a pointer to a profile: ${zodReason(pointer.error)}`);
      }
    }
    return out;
  }

  async importCustomers(): Promise<void> {
    const keys = this.keysOf('customers');
    const owners = {
      identities: await this.pointers('identities'),
      emails: await this.pointers('customer-emails'),
    };
    const claimed = { identities: new Set<string>(), emails: new Set<string>() };
    let done = 0;
    for (const batch of chunks(keys, this.batch)) {
      const profiles: CustomerProfile[] = [];
      for (const [key, value] of await this.documents('customers', batch, this.customers)) {
        const parsed = customerProfileSchema.safeParse(value);
        if (!parsed.success) {
          this.problem(this.customers, 'customers', key, `not a valid profile: ${zodReason(parsed.error)}`);
        } else if (parsed.data.id !== key) {
          this.problem(this.customers, 'customers', key, `the document holds profile ${parsed.data.id}`);
        } else {
          profiles.push(parsed.data);
        }
      }
      await this.storeCustomers(profiles, owners, claimed);
      const previous = done;
      done += batch.length;
      this.progress('customers', done, keys.length, previous);
    }
  }

  private async storeCustomers(
    profiles: readonly CustomerProfile[],
    owners: { identities: Map<string, string>; emails: Map<string, string> },
    claimed: { identities: Set<string>; emails: Set<string> },
  ): Promise<void> {
    if (profiles.length === 0) return;
    const stored = new Map(
      (
        await this.to.db
          .selectFrom('customers')
          .select(['id', 'revision'])
          .where(
            'id',
            'in',
            profiles.map((profile) => profile.id),
          )
          .execute()
      ).map((row) => [row.id, row.revision]),
    );
    const fresh: CustomerProfile[] = [];
    for (const profile of profiles) {
      const revision = stored.get(profile.id);
      if (revision === profile.revision) this.customers.unchanged += 1;
      else if (revision !== undefined) {
        this.otherRevision(this.customers, 'customers', profile.id, revision, profile.revision);
      } else fresh.push(profile);
    }
    if (fresh.length === 0) return;

    const identityKeys = fresh.flatMap((profile) => profile.identities.map(identityKey));
    const emailKeys = fresh.flatMap((profile) => profile.emails.flatMap((email) => emailKey(email) ?? []));
    const taken = {
      identities: new Map(
        identityKeys.length === 0
          ? []
          : (
              await this.to.db
                .selectFrom('customer_identities')
                .select(['identity', 'customer_id'])
                .where('identity', 'in', identityKeys)
                .execute()
            ).map((row) => [row.identity, row.customer_id]),
      ),
      emails: new Map(
        emailKeys.length === 0
          ? []
          : (
              await this.to.db
                .selectFrom('customer_emails')
                .select(['email', 'customer_id'])
                .where('email', 'in', emailKeys)
                .execute()
            ).map((row) => [row.email, row.customer_id]),
      ),
    };
    const plans = fresh.map((profile) => this.planCustomer(profile, owners, taken, claimed));
    const write = (plan: CustomerPlan) => async (trx: Transaction<HeedTables>) => {
      await trx.insertInto('customers').values(plan.row).execute();
      if (plan.identities.length > 0) {
        await trx
          .insertInto('customer_identities')
          .values(plan.identities.map((identity) => ({ identity, customer_id: plan.row.id })))
          .execute();
      }
      if (plan.emails.length > 0) {
        await trx
          .insertInto('customer_emails')
          .values(plan.emails.map((email) => ({ email, customer_id: plan.row.id })))
          .execute();
      }
      if (plan.notes.length > 0) await trx.insertInto('customer_notes').values(plan.notes).execute();
    };
    try {
      await this.to.change(async (trx) => {
        for (const plan of plans) await write(plan)(trx);
      });
      for (const plan of plans) this.customerStored(plan);
    } catch (error) {
      if (!isConstraintViolation(error)) throw error;
      for (const plan of plans) {
        try {
          await this.to.change(write(plan));
          this.customerStored(plan);
        } catch (single) {
          if (!isConstraintViolation(single)) throw single;
          this.problem(
            this.customers,
            'customers',
            plan.row.id,
            `the new store refused it: ${causeText(single)}`,
          );
        }
      }
    }
  }

  /**
   * The rows of one profile. An identity or e-mail goes to the profile the old index names (a merge cut
   * short by a crash can leave two profiles listing one identity), and never to a second customer.
   */
  private planCustomer(
    profile: CustomerProfile,
    owners: { identities: Map<string, string>; emails: Map<string, string> },
    taken: { identities: Map<string, string>; emails: Map<string, string> },
    claimed: { identities: Set<string>; emails: Set<string> },
  ): CustomerPlan {
    const keep = (kind: 'identities' | 'emails', key: string, namespace: string): boolean => {
      const owner = owners[kind].get(key);
      const holder = taken[kind].get(key);
      let reason: string | undefined;
      if (owner !== undefined && owner !== profile.id) {
        reason = `the old store's index gives it to profile ${owner}, not ${profile.id}`;
      } else if (holder !== undefined && holder !== profile.id) {
        reason = `the new store already gives it to customer ${holder}; left there`;
      } else if (claimed[kind].has(key)) {
        reason = `another profile of the old store lists it too; ${profile.id} does not get it`;
      }
      if (reason) {
        this.skip(namespace, key, reason);
        return false;
      }
      claimed[kind].add(key);
      return true;
    };
    const identities = [...new Set(profile.identities.map(identityKey))].filter((key) =>
      keep('identities', key, 'identities'),
    );
    const emails: string[] = [];
    for (const email of new Set(profile.emails)) {
      const key = emailKey(email);
      if (key === undefined)
        this.skip('customer-emails', email, `not an e-mail address (profile ${profile.id})`);
      else if (!emails.includes(key) && keep('emails', key, 'customer-emails')) emails.push(key);
    }
    return { row: customerRow(profile), identities, emails, notes: noteRows(profile) };
  }

  private customerStored(plan: CustomerPlan): void {
    this.customers.imported += 1;
    this.customers.identities += plan.identities.length;
    this.customers.emails += plan.emails.length;
    this.customers.notes += plan.notes.length;
  }

  // ------------------------------------------------------------------ threads

  /** The old thread index, after the issues: a follow-up issue keeps the thread of the issue it follows. */
  async importThreads(sourceIssues: ReadonlySet<string>): Promise<void> {
    const keys = this.keysOf('threads');
    let done = 0;
    for (const batch of chunks(keys, this.batch)) {
      const pointers = new Map<string, string>();
      for (const [key, value] of await this.documents('threads', batch, this.threads)) {
        const pointer = threadPointerSchema.safeParse(value);
        if (!pointer.success) {
          this.problem(this.threads, 'threads', key, `not a thread pointer: ${zodReason(pointer.error)}`);
        } else if (!CONVERSATION_KEY.test(key)) {
          this.problem(
            this.threads,
            'threads',
            key,
            'the key is not a conversation (platform:channel:thread)',
          );
        } else {
          pointers.set(key, pointer.data.issueId);
        }
      }
      await this.storeThreads(pointers, sourceIssues);
      const previous = done;
      done += batch.length;
      this.progress('threads', done, keys.length, previous);
    }
  }

  private async storeThreads(
    pointers: Map<string, string>,
    sourceIssues: ReadonlySet<string>,
  ): Promise<void> {
    if (pointers.size === 0) return;
    const present = new Set(
      (
        await this.to.db
          .selectFrom('issues')
          .select('id')
          .where('id', 'in', [...new Set(pointers.values())])
          .execute()
      ).map((row) => row.id),
    );
    const rows = new Map(
      (
        await this.to.db
          .selectFrom('threads')
          .select(['conversation', 'issue_id'])
          .where('conversation', 'in', [...pointers.keys()])
          .execute()
      ).map((row) => [row.conversation, row.issue_id]),
    );
    const changes: { conversation: string; issue_id: string }[] = [];
    for (const [conversation, issueId] of pointers) {
      const current = rows.get(conversation);
      if (!present.has(issueId)) {
        if (sourceIssues.has(issueId)) {
          this.problem(
            this.threads,
            'threads',
            conversation,
            `points at issue ${issueId}, which was not imported (see that issue)`,
          );
        } else
          this.skip('threads', conversation, `points at issue ${issueId}, which the old store does not hold`);
      } else if (current === issueId) {
        if (this.threadsWritten.has(conversation)) this.threads.imported += 1;
        else this.threads.unchanged += 1;
      } else if (current !== undefined && !sourceIssues.has(current)) {
        this.skip(
          'threads',
          conversation,
          `the new store gives this thread to its own issue ${current}; left there`,
        );
      } else {
        changes.push({ conversation, issue_id: issueId });
      }
    }
    if (changes.length === 0) return;
    await this.to.change((trx) =>
      trx
        .insertInto('threads')
        .values(changes)
        .onConflict((conflict) =>
          conflict.column('conversation').doUpdateSet({ issue_id: (eb) => eb.ref('excluded.issue_id') }),
        )
        .execute(),
    );
    this.threads.imported += changes.length;
  }

  // ------------------------------------------------------------------ digest and numbering

  async importDigest(): Promise<void> {
    const keys = this.keysOf('digest');
    const others = keys.filter((key) => key !== DIGEST_STATE_KEY);
    if (others.length > 0) this.notCopied.digest = others.length;
    if (others.length === keys.length) return;
    const value = (await this.documents('digest', [DIGEST_STATE_KEY], this.digests)).get(DIGEST_STATE_KEY);
    if (value !== undefined) {
      const state = digestStateSchema.safeParse(value);
      if (!state.success) {
        this.problem(
          this.digests,
          'digest',
          DIGEST_STATE_KEY,
          `not a digest state: ${zodReason(state.error)}`,
        );
      } else {
        await this.storeDigest(state.data);
      }
    }
    this.options.onProgress?.({ stage: 'digest', done: 1, total: 1 });
  }

  private async storeDigest(state: z.infer<typeof digestStateSchema>): Promise<void> {
    const row = await this.to.db
      .selectFrom('digests')
      .select(['last_slot', 'sent_at'])
      .where('name', '=', DIGEST_ROW)
      .executeTakeFirst();
    // Never moves the digest back: a later time in the new store was sent by the new server.
    if (row !== undefined && row.last_slot >= state.lastSlot) {
      this.digests.unchanged += 1;
      return;
    }
    const values = { last_slot: state.lastSlot, sent_at: state.sentAt ?? null };
    await this.to.change((trx) =>
      trx
        .insertInto('digests')
        .values({ name: DIGEST_ROW, ...values })
        .onConflict((conflict) => conflict.column('name').doUpdateSet(values))
        .execute(),
    );
    this.digests.imported += 1;
  }

  /** Moves the numbering up to the old counter (and past every imported number), never down. */
  async importNumbering(): Promise<void> {
    const meta = this.keysOf('meta');
    const others = meta.filter((key) => key !== ISSUE_COUNTER_KEY).length;
    if (others > 0) this.notCopied.meta = others;
    let oldLast: number | undefined;
    if (others < meta.length) {
      const counts = tally();
      const value = (await this.documents('meta', [ISSUE_COUNTER_KEY], counts)).get(ISSUE_COUNTER_KEY);
      const counter = value === undefined ? undefined : issueCounterSchema.safeParse(value);
      if (counter?.success) oldLast = counter.data.last;
      else if (counter) {
        this.problem(
          counts,
          'meta',
          ISSUE_COUNTER_KEY,
          `not an issue counter (${zodReason(counter.error)}); numbering continues after the highest imported issue`,
        );
      }
    }
    const wanted = Math.max(oldLast ?? 0, this.highestNumber);
    const row = await this.to.db
      .selectFrom('counters')
      .select('value')
      .where('name', '=', ISSUE_NUMBER_COUNTER)
      .executeTakeFirst();
    const current = row?.value ?? 0;
    const raised = wanted > current;
    if (raised) await this.to.change((trx) => raiseCounter(trx, ISSUE_NUMBER_COUNTER, wanted));
    this.numbering = { oldLast, last: Math.max(current, wanted), raised };
    this.options.onProgress?.({ stage: 'numbering', done: 1, total: 1 });
  }

  countNotCopied(): void {
    for (const [namespace, keys] of this.keys) {
      if (READ_NAMESPACES.has(namespace) || namespace === 'digest' || namespace === 'meta') continue;
      this.notCopied[namespace === NO_NAMESPACE ? '(not documents)' : namespace] = keys.length;
    }
  }

  summary(): ImportSummary {
    const { issues, customers, threads, digests } = this;
    return {
      from: this.source.where,
      to: this.to.where,
      issues: { ...issues },
      customers: { ...customers },
      threads: { ...threads },
      digests: { ...digests },
      numbering: this.numbering,
      notCopied: { ...this.notCopied },
      skipped: [...this.skipped],
      problems: [...this.problems],
      changed:
        issues.imported + customers.imported + threads.imported + digests.imported > 0 ||
        this.numbering.raised,
    };
  }
}

interface CustomerPlan {
  readonly row: Selectable<CustomersTable>;
  readonly identities: readonly string[];
  readonly emails: readonly string[];
  readonly notes: readonly Insertable<CustomerNotesTable>[];
}

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** True when two locations are the same store: one SQLite file, or one PostgreSQL schema. */
export function sameStore(a: StoreLocation, b: StoreLocation): boolean {
  if (a.kind === 'sqlite' && b.kind === 'sqlite') return realPath(a.path) === realPath(b.path);
  if (a.kind === 'postgres' && b.kind === 'postgres') {
    return (
      a.host.toLowerCase() === b.host.toLowerCase() &&
      a.port === b.port &&
      a.database === b.database &&
      (a.schema ?? 'public') === (b.schema ?? 'public')
    );
  }
  return false;
}

function sameStoreError(where: string): HeedError {
  return new HeedError(
    'IMPORT_SAME_STORE',
    `--from and HEED_STORE_URL both name ${where}. The import copies an old store into a new one: point HEED_STORE_URL at a new store (another SQLite file, or another PostgreSQL database or ?schema=) and keep the old one as it is.`,
  );
}

/** Refuses an import whose source is the target itself. */
export function assertDifferentStores(from: StoreLocation, to: StoreLocation): void {
  if (sameStore(from, to)) throw sameStoreError(from.describe());
}

async function targetLocation(to: HeedDatabase, cwd: string): Promise<StoreLocation | undefined> {
  let location: StoreLocation;
  try {
    location = parseStoreUrl(to.where, cwd);
  } catch {
    return undefined;
  }
  if (location.kind !== 'postgres') return location;
  // The schema may come from an option rather than the URL: ask the database which one it uses.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(to.db);
  const schema = rows[0]?.schema ?? location.schema;
  return { ...location, schema, describe: location.describe };
}

async function assertTargetReady(to: HeedDatabase): Promise<void> {
  const status = await schemaStatus(to);
  if (status.documentFormat) {
    throw new HeedError(
      'IMPORT_TARGET_INVALID',
      `The new store ${to.where} is itself a Heed 0.1 store. Point HEED_STORE_URL at a new, empty store.`,
    );
  }
  if (status.unknown.length > 0 || status.pending.length > 0) {
    throw new HeedError(
      'IMPORT_TARGET_INVALID',
      status.unknown.length > 0
        ? `The new store ${to.where} was migrated by a newer Heed; import with that Heed.`
        : `The new store ${to.where} needs migrations (${status.pending.join(', ')}): run heed db migrate first.`,
    );
  }
}

/** Issues the new store holds that the old one does not: how many, and the lowest-numbered one. */
async function foreignIssues(
  to: HeedDatabase,
  sourceIssues: ReadonlySet<string>,
): Promise<{ count: number; example: number | undefined }> {
  let count = 0;
  let example: number | undefined;
  let after: string | undefined;
  for (;;) {
    let query = to.db.selectFrom('issues').select(['id', 'number']).orderBy('id').limit(1_000);
    if (after !== undefined) query = query.where('id', '>', after);
    const rows = await query.execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      if (sourceIssues.has(row.id)) continue;
      count += 1;
      example = Math.min(example ?? row.number, row.number);
    }
    after = rows.at(-1)!.id;
  }
  return { count, example };
}

/**
 * Copies a Heed 0.1 store into `to` (see the module comment). Throws a HeedError when the import is
 * refused (same store, a target that holds other issues without `merge`, not an old store) and a
 * StoreError when a store fails; bad records never throw, they are listed in the summary's `problems`.
 */
export async function importStore(options: ImportOptions): Promise<ImportSummary> {
  const cwd = options.cwd ?? process.cwd();
  const from = parseStoreUrl(options.from, cwd);
  const { to } = options;
  const target = await targetLocation(to, cwd);
  if (target && sameStore(from, target)) throw sameStoreError(from.describe());
  await assertTargetReady(to);
  await assertOldStoreIdle(from);
  const source = await openOldDocuments(from, { redisKeyPrefix: options.redisKeyPrefix });
  try {
    const keys = await source.listKeys();
    const sourceIssues = new Set(keys.get('issues') ?? []);
    const foreign = await foreignIssues(to, sourceIssues);
    if (foreign.count > 0 && options.merge !== true) {
      throw new HeedError(
        'IMPORT_TARGET_NOT_EMPTY',
        `The new store ${to.where} already holds ${foreign.count} issue${foreign.count === 1 ? '' : 's'} that the old store does not (such as #${foreign.example}). Add --merge to import beside them, or point HEED_STORE_URL at an empty store.`,
        { foreignIssues: foreign.count },
      );
    }
    const run = new ImportRun(source, to, keys, options);
    await run.importIssues();
    await run.importCustomers();
    await run.importThreads(sourceIssues);
    await run.importDigest();
    await run.importNumbering();
    run.countNotCopied();
    const summary = run.summary();
    options.logger?.info(
      {
        issues: summary.issues,
        customers: summary.customers,
        problems: summary.problems.length,
        changed: summary.changed,
      },
      'import finished',
    );
    return summary;
  } finally {
    await source.close();
  }
}
