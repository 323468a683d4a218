import { sql, type Transaction } from 'kysely';
import type { HeedConfig } from '../config/schema.ts';
import type { Locks } from '../coordination/coordination.ts';
import type { IssueRepository } from '../core/issue-repository.ts';
import type { Customer, Issue } from '../domain/issue.ts';
import type { Platform, UserRef } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import { detectTier } from '../routing/detect-tier.ts';
import type { HeedDatabase } from '../store/database.ts';
import type { HeedTables } from '../store/tables.ts';
import { CustomerRepository, type PendingContact } from './customer-repository.ts';
import {
  type Contact,
  type CustomerProfile,
  issueCount,
  profileIssueOf,
  type RatingScore,
} from './profile.ts';

/** The author of a customer message, as the adapter described them. */
export interface CustomerAuthor {
  readonly platform: Platform;
  readonly id: string;
  readonly at: number;
  readonly name?: string | undefined;
  readonly organisation?: string | undefined;
  readonly teamId?: string | undefined;
  readonly roles?: readonly string[] | undefined;
  readonly email?: string | undefined;
}

/** The profile facts stored on a new issue's customer (see `customerSchema`). */
export type CustomerSnapshot = Pick<
  Customer,
  'profileId' | 'previousIssues' | 'lastContactAt' | 'lastRating' | 'notesOnFile' | 'name' | 'value'
>;

/** Adds a new issue (and the contact that opened it) to its customer's profile, in the issue's transaction. */
export type ContactRecorder = (trx: Transaction<HeedTables>, issue: Issue) => Promise<void>;

/** A rating found on an issue. */
export interface FoundRating {
  readonly score: RatingScore;
  readonly at: number;
  readonly issueNumber: number;
}

/** How many of a person's newest issues are read to find their latest rating. */
const RATING_LOOKBACK = 10;

/** The newest `rated` ledger event (`data.score` up or down) across the issues. Pure. */
export function latestRating(issues: readonly Pick<Issue, 'number' | 'history'>[]): FoundRating | undefined {
  let found: FoundRating | undefined;
  for (const issue of issues) {
    for (const event of issue.history) {
      const score = event.data?.score;
      if (event.kind !== 'rated' || (score !== 'up' && score !== 'down')) continue;
      if (!found || event.at >= found.at) found = { score, at: event.at, issueNumber: issue.number };
    }
  }
  return found;
}

/** What {@link Customers} needs from the core. */
export interface CustomersDeps {
  readonly database: HeedDatabase;
  readonly config: HeedConfig;
  /** Issues, to read a person's recent issues (statuses, ratings). */
  readonly issues: Pick<IssueRepository, 'getMany' | 'latestEvent'>;
  readonly logger: Logger;
  /** Serialises profile changes (across instances in shared mode). */
  readonly locks?: Locks;
}

/**
 * Customer profiles as the core uses them: at intake it records who wrote (finding or creating their
 * profile) and takes the snapshot a new issue stores; staff commands read and change profiles. Profile
 * bookkeeping never stops intake: a failure is logged and the issue opens without a snapshot.
 */
export class Customers {
  readonly repository: CustomerRepository;
  /** The store the profiles live in (forgetting a customer reaches every table: `src/privacy/forget.ts`). */
  readonly database: HeedDatabase;
  private readonly config: HeedConfig;
  private readonly issues: CustomersDeps['issues'];
  private readonly logger: Logger;

  constructor(deps: CustomersDeps) {
    this.config = deps.config;
    this.database = deps.database;
    this.issues = deps.issues;
    this.logger = deps.logger;
    this.repository = new CustomerRepository(deps.database, deps.logger, deps.locks);
  }

  /** The organisation to file a person under: what the adapter said, else their tier's name. */
  private organisationOf(author: CustomerAuthor, tier: string | undefined): string | undefined {
    if (author.organisation) return author.organisation;
    const known = this.config.tiers.find((t) => t.id === tier);
    return known ? (known.name ?? known.id) : undefined;
  }

  /** The contact a message makes: who wrote and what the adapter and config say about them. */
  private contactOf(author: CustomerAuthor): Omit<Contact, 'opened'> {
    const tier = detectTier(this.config, author);
    const organisation = this.organisationOf(author, tier);
    return {
      user: { platform: author.platform, id: author.id },
      at: author.at,
      ...(author.name ? { name: author.name } : {}),
      ...(author.email ? { email: author.email } : {}),
      ...(organisation ? { organisation } : {}),
      ...(tier ? { tier } : {}),
    };
  }

  /**
   * A customer's message opens an issue: `open` gets the snapshot of their profile to store on it (as it
   * was before this message: the profile an e-mail or the identity points to, merged first when they are
   * two) and `record`, which it calls inside the issue's transaction so the contact and the issue join the
   * profile in the same commit. Profile bookkeeping never stops intake: when profiles cannot be read the
   * issue opens without a snapshot, and a profile write that fails is rolled back alone.
   */
  async opening<T>(
    author: CustomerAuthor,
    open: (snapshot: CustomerSnapshot, record: ContactRecorder | undefined) => Promise<T>,
  ): Promise<T> {
    let opened = false;
    let linked: string | undefined;
    try {
      const result = await this.repository.withContact(this.contactOf(author), async (pending) => {
        const snapshot = await this.snapshotOf(author, pending);
        opened = true;
        return open(snapshot, async (trx, issue) => {
          await sql`savepoint heed_profile`.execute(trx);
          try {
            const outcome = await pending.write(trx, profileIssueOf(issue));
            if (outcome.linkedByEmail) linked = outcome.profile.id;
            await sql`release savepoint heed_profile`.execute(trx);
          } catch (error) {
            await sql`rollback to savepoint heed_profile`.execute(trx);
            await sql`release savepoint heed_profile`.execute(trx);
            this.logger.warn(
              { err: error, issue: issue.number },
              'could not add the issue to the customer profile',
            );
          }
        });
      });
      if (linked) this.repository.linkedByEmail(linked);
      return result;
    } catch (error) {
      if (opened) throw error;
      this.logger.warn({ err: error }, 'customer profile unavailable; opening the issue without it');
      return open({}, undefined);
    }
  }

  private async snapshotOf(author: CustomerAuthor, pending: PendingContact): Promise<CustomerSnapshot> {
    const profile = pending.before;
    if (!profile) return { profileId: pending.profileId, previousIssues: 0 };
    const rating = await this.lastRating(profile);
    return {
      profileId: profile.id,
      previousIssues: issueCount(profile),
      ...(profile.lastContactAt !== undefined ? { lastContactAt: profile.lastContactAt } : {}),
      ...(rating ? { lastRating: rating.score } : {}),
      ...(profile.notes.length > 0 ? { notesOnFile: profile.notes.length } : {}),
      ...(!author.name && profile.name ? { name: profile.name } : {}),
      ...(profile.value !== undefined ? { value: profile.value } : {}),
    };
  }

  /** A customer wrote in an existing issue's thread: their last contact moves. */
  async contacted(author: CustomerAuthor): Promise<void> {
    try {
      await this.repository.recordContact(this.contactOf(author));
    } catch (error) {
      this.logger.warn({ err: error }, 'could not record the customer contact');
    }
  }

  /** The profile an identity belongs to. */
  /** Sets (or with `undefined` clears) what the person is worth, creating their profile if needed. */
  setValue(user: UserRef, value: number | undefined, at: number): Promise<CustomerProfile> {
    return this.repository.setDetails(user, at, { value });
  }

  find(user: UserRef): Promise<CustomerProfile | undefined> {
    return this.repository.findByIdentity(user);
  }

  /** The person's newest issues (up to `limit`), newest first. */
  async recentIssues(profile: CustomerProfile, limit: number): Promise<Issue[]> {
    const ids = profile.issues.slice(-limit).map((i) => i.id);
    const issues = await this.issues.getMany(ids);
    return issues.sort((a, b) => b.openedAt - a.openedAt || b.number - a.number);
  }

  /** The person's latest rating: the newer of the one on their profile and any on their recent issues. */
  async lastRating(profile: CustomerProfile): Promise<FoundRating | undefined> {
    const rated = await this.issues.latestEvent(
      profile.issues.slice(-RATING_LOOKBACK).map((issue) => issue.id),
      'rated',
    );
    const onIssues = rated ? latestRating([{ number: rated.issueNumber, history: [rated] }]) : undefined;
    const stored = profile.lastRating;
    if (!stored) return onIssues;
    if (!onIssues) return stored;
    return onIssues.at >= stored.at ? onIssues : stored;
  }
}
