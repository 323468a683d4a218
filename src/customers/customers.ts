import type { HeedConfig } from '../config/schema.ts';
import type { Locks } from '../coordination/coordination.ts';
import type { IssueRepository } from '../core/issue-repository.ts';
import type { Customer, Issue } from '../domain/issue.ts';
import type { Platform, UserRef } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import { detectTier } from '../routing/detect-tier.ts';
import type { HeedDatabase } from '../store/database.ts';
import { CustomerRepository } from './customer-repository.ts';
import {
  type CustomerProfile,
  issueCount,
  type ProfileIssue,
  profileIdFor,
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

  private async record(author: CustomerAuthor, opened?: ProfileIssue) {
    const tier = detectTier(this.config, author);
    const organisation = this.organisationOf(author, tier);
    return this.repository.recordContact({
      user: { platform: author.platform, id: author.id },
      at: author.at,
      ...(author.name ? { name: author.name } : {}),
      ...(author.email ? { email: author.email } : {}),
      ...(organisation ? { organisation } : {}),
      ...(tier ? { tier } : {}),
      ...(opened ? { opened } : {}),
    });
  }

  /**
   * A customer's message is about to open an issue: the snapshot of their profile to store on it, read
   * without writing (the profile an e-mail or the identity points to; someone new gets the id their
   * profile will have) unless two profiles must be merged first. Empty when profiles are unavailable.
   */
  async beforeOpening(author: CustomerAuthor): Promise<CustomerSnapshot> {
    try {
      const user = { platform: author.platform, id: author.id };
      const mailed = author.email ? await this.repository.findByEmail(author.email) : undefined;
      const own = await this.repository.findByIdentity(user);
      // Rare: the e-mail belongs to another profile than the identity's. Merge them now, so the new issue
      // shows the person's whole history (afterOpening then adds the issue in a second write).
      const merging = mailed !== undefined && own !== undefined && mailed.id !== own.id;
      const recorded = merging ? await this.record(author) : undefined;
      const profile = recorded?.profile ?? mailed ?? own;
      if (!profile) return { profileId: profileIdFor(user), previousIssues: 0 };
      const previousContactAt = recorded ? recorded.previousContactAt : profile.lastContactAt;
      const rating = await this.lastRating(profile);
      return {
        profileId: profile.id,
        previousIssues: issueCount(profile),
        ...(previousContactAt !== undefined ? { lastContactAt: previousContactAt } : {}),
        ...(rating ? { lastRating: rating.score } : {}),
        ...(profile.notes.length > 0 ? { notesOnFile: profile.notes.length } : {}),
        ...(!author.name && profile.name ? { name: profile.name } : {}),
        ...(profile.value !== undefined ? { value: profile.value } : {}),
      };
    } catch (error) {
      this.logger.warn({ err: error }, 'customer profile unavailable; opening the issue without it');
      return {};
    }
  }

  /**
   * The opened issue's customer wrote: one write records the contact (name, e-mail, organisation, tier,
   * last contact; creating the profile for someone new) and adds the issue to their history.
   */
  async afterOpening(issue: Issue, author: CustomerAuthor): Promise<void> {
    try {
      await this.record(author, {
        id: issue.id,
        number: issue.number,
        openedAt: issue.openedAt,
        platform: issue.conversation.platform,
      });
    } catch (error) {
      this.logger.warn(
        { err: error, issue: issue.number },
        'could not add the issue to the customer profile',
      );
    }
  }

  /** A customer wrote in an existing issue's thread: their last contact moves. */
  async contacted(author: CustomerAuthor): Promise<void> {
    try {
      await this.record(author);
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
