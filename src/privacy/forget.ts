/**
 * The right to be forgotten (`/heed forget`): a customer's profile, identities, e-mails, notes, name and
 * message text leave every table; their issues and ledger stay, anonymised under a pseudonym
 * (`forgotten-<random>`), so reports still count them and every ledger event keeps its id, time and kind.
 *
 * Where a person lives, and what becomes of it:
 * - `customers`, `customer_identities`, `customer_emails`, `customer_notes`: deleted.
 * - `people` (names of ids): their rows deleted.
 * - their issues (`issues.body` and `customer`): the customer becomes the pseudonym (no name); the subject,
 *   message texts and files are emptied; anything else naming them (staff notes, the resolution) is
 *   redacted; a `forgotten` event records who did it, with the pseudonym only.
 * - `ledger`: their events' actor becomes the pseudonym and loses its reason (their words: edits,
 *   deletions, comments); edit and deletion texts go; other reasons (a staff answer "Hi Dana") are redacted.
 * - `outbox`: what Heed sent or owes on their issues is deleted (cards and acknowledgements quote them);
 *   other entries naming them (a digest) are redacted.
 * - `ttl_keys` (caches such as the shared Slack directory): entries naming them are deleted.
 * - other issues, ledger rows and profiles' notes that name them (by id, e-mail or name) are redacted.
 * Each step is idempotent and the profile goes last, so a forget cut short is finished by running it again.
 */
import { randomBytes } from 'node:crypto';
import type { IssueRepository } from '../core/issue-repository.ts';
import type { CustomerRepository } from '../customers/customer-repository.ts';
import { identityKey } from '../customers/identity.ts';
import type { CustomerProfile } from '../customers/profile.ts';
import { type Issue, issueSchema } from '../domain/issue.ts';
import { type LedgerEvent, ledgerEventSchema } from '../domain/ledger.ts';
import { type ActorRef, sameUser, type UserRef } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import type { HeedDatabase } from '../store/database.ts';
import { MIN_NAME, MIN_TEXT, Redactor } from './redactor.ts';

/** How a forgotten customer is named on their issues and ledger events. */
export const PSEUDONYM_PREFIX = 'forgotten-';

/** Ledger kinds whose reason is the text of a customer message. */
const MESSAGE_TEXT_KINDS: ReadonlySet<string> = new Set(['edited', 'deleted']);

export interface ForgetDeps {
  readonly database: HeedDatabase;
  readonly issues: Pick<IssueRepository, 'getMany' | 'update'>;
  readonly customers: Pick<CustomerRepository, 'findByIdentity' | 'remove'>;
  readonly logger: Logger;
}

/** Everything Heed holds about one person, found from one of their identities. */
export interface KnownPerson {
  readonly profile: CustomerProfile | undefined;
  readonly identities: readonly UserRef[];
  readonly emails: readonly string[];
  readonly names: readonly string[];
  /** Their issues (as customer), by number. */
  readonly issues: readonly Issue[];
  readonly notes: number;
  /** Customer messages kept on their issues. */
  readonly messages: number;
}

/** What a forget removed, for the manager and the log (counts only). */
export interface ForgetReport {
  readonly pseudonym: string;
  readonly issues: readonly number[];
  readonly messages: number;
  readonly ledgerRows: number;
  readonly outboxRows: number;
  readonly otherRecords: number;
}

const isTheirs = (identities: readonly UserRef[], user: { platform: string; id: string }) =>
  identities.some((identity) => identity.platform === user.platform && identity.id === user.id);

/** A case-insensitive LIKE pattern for a term (its `%` and `_` only widen a search checked again exactly). */
const containing = (term: string) => `%${term.toLowerCase()}%`;

/** The person behind an identity: their profile, identities, e-mails, names and issues; undefined if unknown. */
export async function findPerson(deps: ForgetDeps, user: UserRef): Promise<KnownPerson | undefined> {
  const profile = await deps.customers.findByIdentity(user);
  const identities: UserRef[] = profile
    ? profile.identities.map((identity) => ({ platform: identity.platform, id: identity.id }))
    : [{ platform: user.platform, id: user.id }];
  const ids = new Set(profile?.issues.map((issue) => issue.id) ?? []);
  // Issues from before profiles, or opened while the profile was unavailable, name the customer only.
  for (const identity of identities) {
    const rows = await deps.database.db
      .selectFrom('issues')
      .select(['id', 'customer'])
      .where('customer', 'like', `%${JSON.stringify(identity.id)}%`)
      .execute();
    for (const row of rows) {
      const customer = safeJson(row.customer) as { platform?: unknown; id?: unknown } | undefined;
      if (customer?.platform === identity.platform && customer.id === identity.id) ids.add(row.id);
    }
  }
  const issues = (await deps.issues.getMany([...ids])).sort((a, b) => a.number - b.number);
  const names = new Set<string>();
  if (profile?.name) names.add(profile.name);
  for (const identity of profile?.identities ?? []) if (identity.name) names.add(identity.name);
  for (const issue of issues) if (issue.customer.name) names.add(issue.customer.name);
  for (const identity of identities) {
    const rows = await deps.database.db
      .selectFrom('people')
      .select('name')
      .where('platform', '=', identity.platform)
      .where('person_id', '=', identity.id)
      .execute();
    for (const row of rows) names.add(row.name);
  }
  if (!profile && issues.length === 0 && names.size === 0) return undefined;
  return {
    profile,
    identities,
    emails: profile?.emails ?? [],
    names: [...names],
    issues,
    notes: profile?.notes.length ?? 0,
    messages: issues.reduce((sum, issue) => sum + issue.messages.length, 0),
  };
}

/**
 * Forgets the person (found by {@link findPerson}): see the module's comment for what becomes of each
 * record. `by` is the manager, recorded (with the pseudonym only) on each of their issues.
 */
export async function forgetPerson(
  deps: ForgetDeps,
  person: KnownPerson,
  by: ActorRef,
): Promise<ForgetReport> {
  const { database } = deps;
  // Again after a forget cut short: the issues already anonymised carry the pseudonym to reuse.
  const pseudonym =
    person.issues.find((issue) => issue.customer.id.startsWith(PSEUDONYM_PREFIX))?.customer.id ??
    `${PSEUDONYM_PREFIX}${randomBytes(6).toString('hex')}`;
  const strong = strongTerms(person);
  const redactor = new Redactor([...strong, ...wordsOf(person)]);
  const issueIds = new Set(person.issues.map((issue) => issue.id));

  let ledgerRows = 0;
  for (const issue of person.issues) {
    await deps.issues.update(issue.id, (current) => ({
      ok: true,
      issue: anonymiseIssue(current, person, pseudonym, redactor),
      events: current.history.some((event) => event.kind === 'forgotten')
        ? []
        : [{ kind: 'forgotten', actor: { platform: by.platform, id: by.id }, data: { pseudonym } }],
    }));
    ledgerRows += await rewriteLedger(database, { issueId: issue.id }, (event) =>
      anonymiseEvent(event, person.identities, pseudonym, redactor, true),
    );
  }

  // Other records naming them: by id, e-mail or name (their message texts live only on their issues).
  const elsewhere = new Redactor(strong);
  let otherRecords = 0;
  ledgerRows += await rewriteLedger(database, { matching: elsewhere }, (event) =>
    anonymiseEvent(event, person.identities, pseudonym, elsewhere, false),
  );
  for (const key of await idsMatching(database, 'issues', ['body', 'customer'], elsewhere)) {
    const id = String(key);
    if (issueIds.has(id)) continue;
    await deps.issues.update(id, (current) => ({
      ok: true,
      issue: redactIssue(current, elsewhere),
      events: [],
    }));
    otherRecords += 1;
  }

  let outboxRows = 0;
  if (issueIds.size > 0) {
    const deleted = await database.change((trx) =>
      trx
        .deleteFrom('outbox')
        .where('issue_id', 'in', [...issueIds])
        .executeTakeFirst(),
    );
    outboxRows += Number(deleted.numDeletedRows);
  }
  for (const key of await idsMatching(database, 'outbox', ['message', 'target'], elsewhere)) {
    const id = String(key);
    await database.change(async (trx) => {
      const row = await trx
        .selectFrom('outbox')
        .select(['message', 'target'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return;
      await trx
        .updateTable('outbox')
        .set({ message: elsewhere.json(row.message), target: elsewhere.json(row.target) })
        .where('id', '=', id)
        .execute();
    });
    outboxRows += 1;
  }

  otherRecords += await redactNotesOfOthers(database, person, elsewhere);

  await database.change(async (trx) => {
    for (const identity of person.identities) {
      await trx
        .deleteFrom('people')
        .where('platform', '=', identity.platform)
        .where('person_id', '=', identity.id)
        .execute();
    }
  });
  // Caches (the shared Slack directory, forms); a held lock is left to expire (it names only an id).
  const cached = await database.db
    .selectFrom('ttl_keys')
    .select('key')
    .where('key', 'not like', 'lock:%')
    .where((eb) =>
      eb.or(
        elsewhere.terms.flatMap((term) => [
          eb(eb.fn('lower', [eb.ref('key')]), 'like', containing(term)),
          eb(eb.fn('lower', [eb.ref('value')]), 'like', containing(term)),
        ]),
      ),
    )
    .execute();
  if (cached.length > 0) {
    await database.change((trx) =>
      trx
        .deleteFrom('ttl_keys')
        .where(
          'key',
          'in',
          cached.map((row) => row.key),
        )
        .execute(),
    );
    otherRecords += cached.length;
  }

  if (person.profile) await deps.customers.remove(person.profile);

  const report: ForgetReport = {
    pseudonym,
    issues: person.issues.map((issue) => issue.number),
    messages: person.messages,
    ledgerRows,
    outboxRows,
    otherRecords,
  };
  // Counts and the pseudonym only: the log keeps no trace of who it was.
  deps.logger.info({ by: `${by.platform}:${by.id}`, ...report }, 'a customer was forgotten');
  return report;
}

/** Ids, e-mails and names (long enough to search for): what names the person anywhere. */
function strongTerms(person: KnownPerson): string[] {
  return [
    ...person.identities.flatMap((identity) => [identityKey(identity), identity.id]),
    ...(person.profile ? [person.profile.id] : []),
    ...person.emails,
    ...person.names.filter((name) => name.trim().length >= MIN_NAME),
  ];
}

/** Their own words, searched for in what remains of their issues (a staff answer quoting them). */
function wordsOf(person: KnownPerson): string[] {
  const words: string[] = [];
  for (const issue of person.issues) {
    words.push(issue.subject);
    for (const message of issue.messages) {
      words.push(message.text);
      for (const file of message.files) words.push(file.name, file.url);
    }
    for (const event of issue.history) {
      if (event.reason && (isTheirs(person.identities, event.actor) || MESSAGE_TEXT_KINDS.has(event.kind)))
        words.push(event.reason);
    }
  }
  // On their own issues a part of their name is them too ("Hi Dana").
  const nameParts = person.names.flatMap((name) =>
    name.split(/[^\p{L}\p{N}'-]+/u).filter((part) => part.length >= MIN_NAME),
  );
  return [...nameParts, ...words.filter((word) => word.trim().length >= MIN_TEXT)];
}

/** Their issue, anonymised: the pseudonym as customer, no words of theirs, anything naming them redacted. */
export function anonymiseIssue(
  issue: Issue,
  person: Pick<KnownPerson, 'identities'>,
  pseudonym: string,
  redactor: Redactor,
): Issue {
  const { history, customer, ...rest } = issue;
  const { name: _name, profileId: _profileId, ...kept } = customer;
  const anonymous: Issue = {
    ...redactor.value(rest),
    customer: {
      ...kept,
      id: isTheirs(person.identities, customer) ? pseudonym : customer.id,
      profileId: pseudonym,
    },
    subject: '',
    messages: issue.messages.map(({ files: _files, moreFiles: _more, ...message }) => ({
      ...message,
      text: '',
      files: [],
    })),
    forgottenAt: issue.forgottenAt ?? issue.updatedAt,
    history,
  };
  return issueSchema.parse(anonymous);
}

/** Another issue that names them: every string redacted (its ledger is the caller's). */
function redactIssue(issue: Issue, redactor: Redactor): Issue {
  const { history, ...rest } = issue;
  return issueSchema.parse({ ...redactor.value(rest), history });
}

/**
 * A ledger event, anonymised: their own events take the pseudonym and lose their reason (their words); on
 * their issues edit and deletion texts go too; every other reason and data string is redacted.
 */
export function anonymiseEvent(
  event: LedgerEvent,
  identities: readonly UserRef[],
  pseudonym: string,
  redactor: Redactor,
  onTheirIssue: boolean,
): LedgerEvent {
  const theirs = isTheirs(identities, event.actor);
  const { reason, data, ...rest } = event;
  const dropReason = theirs || (onTheirIssue && MESSAGE_TEXT_KINDS.has(event.kind));
  const kept = reason !== undefined && !dropReason ? redactor.text(reason) : undefined;
  return {
    ...rest,
    actor: theirs ? { platform: event.actor.platform, id: pseudonym } : event.actor,
    ...(kept !== undefined ? { reason: kept } : {}),
    ...(data !== undefined ? { data: redactor.value(data) } : {}),
  };
}

/** Rewrites ledger rows (of one issue, or those matching the redactor); how many changed. */
async function rewriteLedger(
  database: HeedDatabase,
  which: { readonly issueId: string } | { readonly matching: Redactor },
  change: (event: LedgerEvent) => LedgerEvent,
): Promise<number> {
  const seqs =
    'issueId' in which
      ? (
          await database.db.selectFrom('ledger').select('seq').where('issue_id', '=', which.issueId).execute()
        ).map((row) => row.seq)
      : await idsMatching(database, 'ledger', ['event', 'actor'], which.matching);
  let changed = 0;
  await database.change(async (trx) => {
    for (const seq of seqs) {
      const row = await trx
        .selectFrom('ledger')
        .select(['event', 'actor'])
        .where('seq', '=', Number(seq))
        .executeTakeFirst();
      if (!row) continue;
      const parsed = ledgerEventSchema.safeParse(safeJson(row.event));
      if (!parsed.success) continue;
      const next = change(parsed.data);
      const event = JSON.stringify(next);
      const actor = `${next.actor.platform}:${next.actor.id}`;
      if (event === row.event && actor === row.actor) continue;
      await trx.updateTable('ledger').set({ event, actor }).where('seq', '=', Number(seq)).execute();
      changed += 1;
    }
  });
  return changed;
}

/** Other profiles' notes that name them (a teammate's note "same company as Dana"), redacted. */
async function redactNotesOfOthers(
  database: HeedDatabase,
  person: KnownPerson,
  redactor: Redactor,
): Promise<number> {
  const seqs = await idsMatching(database, 'customer_notes', ['note'], redactor);
  let changed = 0;
  await database.change(async (trx) => {
    for (const seq of seqs) {
      const row = await trx
        .selectFrom('customer_notes')
        .select(['note', 'customer_id'])
        .where('seq', '=', Number(seq))
        .executeTakeFirst();
      if (!row || row.customer_id === person.profile?.id) continue;
      await trx
        .updateTable('customer_notes')
        .set({ note: redactor.json(row.note) })
        .where('seq', '=', Number(seq))
        .execute();
      changed += 1;
    }
  });
  return changed;
}

type Searchable = {
  issues: 'body' | 'customer';
  ledger: 'event' | 'actor';
  outbox: 'message' | 'target';
  customer_notes: 'note';
};

/** The keys of rows whose columns hold a term (a case-insensitive LIKE, checked again exactly). */
async function idsMatching<T extends keyof Searchable>(
  database: HeedDatabase,
  table: T,
  columns: readonly Searchable[T][],
  redactor: Redactor,
): Promise<Array<string | number>> {
  if (redactor.terms.length === 0) return [];
  const key = table === 'ledger' || table === 'customer_notes' ? 'seq' : 'id';
  // Kysely cannot type a table chosen at run time; the columns are fixed by `Searchable`.
  // biome-ignore lint/suspicious/noExplicitAny: the table and its columns are checked by `Searchable`.
  const db = database.db as any;
  const rows: Array<Record<string, unknown>> = await db
    .selectFrom(table)
    .select([key, ...columns])
    // biome-ignore lint/suspicious/noExplicitAny: Kysely's expression builder of a dynamic table.
    .where((eb: any) =>
      eb.or(
        redactor.terms.flatMap((term) =>
          columns.map((column) => eb(eb.fn('lower', [eb.ref(column)]), 'like', containing(term))),
        ),
      ),
    )
    .execute();
  return rows
    .filter((row) => columns.some((column) => redactor.matches(String(row[column] ?? ''))))
    .map((row) => row[key] as string | number);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Whether the identity is one of theirs (for callers checking a target before forgetting). */
export const isIdentityOf = (person: Pick<KnownPerson, 'identities'>, user: UserRef) =>
  person.identities.some((identity) => sameUser(identity, user));
