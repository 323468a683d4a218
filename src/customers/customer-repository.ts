import { z } from 'zod';
import { type Locks, localCoordination } from '../coordination/coordination.ts';
import { HeedError } from '../core/errors.ts';
import { HEED_ACTOR, type UserRef } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import type { DocumentCollection, DocumentStore } from '../store/types.ts';
import { emailKey, identityKey } from './identity.ts';
import {
  applyContact,
  type Contact,
  type CustomerProfile,
  customerProfileSchema,
  hasIdentity,
  type LinkRequest,
  linkAudit,
  mergeProfiles,
  newProfile,
  type ProfileIssue,
  type ProfileNote,
  profileIdFor,
  profilePointerSchema,
  type RatingScore,
  withIdentity,
  withIssue,
  withNote,
} from './profile.ts';

/** What {@link CustomerRepository.recordContact} did. */
export interface ContactOutcome {
  readonly profile: CustomerProfile;
  /** The profile's last contact before this one (undefined for someone new). */
  readonly previousContactAt: number | undefined;
  /** True when this contact joined the identity to an existing profile through a known e-mail. */
  readonly linkedByEmail: boolean;
}

/** What {@link CustomerRepository.link} did. */
export type LinkOutcome =
  | { readonly kind: 'already-linked'; readonly profile: CustomerProfile }
  | { readonly kind: 'linked'; readonly profile: CustomerProfile; readonly merged: boolean };

type MergeResult = 'merged' | 'keep-missing' | 'other-missing';

// Re-reads after a concurrent merge moved an identity; the last attempt stops trusting stale pointers.
const ATTEMPTS = 3;

/**
 * Customer profiles and their lookups: `customers` (profile by id), `identities` (`platform:userId` →
 * profile id) and `customer-emails` (lower-cased e-mail → profile id). Every record is validated with
 * zod on read and carries a schema version. Changes are serialised by the coordination's locks (in process, or across instances): identity locks first
 * (sorted), then profile locks (sorted), so two operations never wait on each other in a circle. A
 * profile document is written before the pointers to it, so a crash leaves at worst a pointer-less
 * profile that the next contact finds again by its stable id.
 */
export class CustomerRepository {
  private readonly profiles: DocumentCollection;
  private readonly identities: DocumentCollection;
  private readonly emails: DocumentCollection;
  constructor(
    store: DocumentStore,
    private readonly logger: Logger,
    private readonly locks: Locks = localCoordination().locks,
  ) {
    this.profiles = store.collection('customers');
    this.identities = store.collection('identities');
    this.emails = store.collection('customer-emails');
  }

  // ------------------------------------------------------------------ reads

  /** The profile with this id, if any. */
  async get(id: string): Promise<CustomerProfile | undefined> {
    const value = await this.profiles.get(id);
    if (value === undefined) return undefined;
    const parsed = customerProfileSchema.safeParse(value);
    if (!parsed.success) {
      this.logger.error(
        { profileId: id, problem: z.prettifyError(parsed.error) },
        'stored customer profile failed validation',
      );
      throw new HeedError('STORE_RECORD_INVALID', `Stored customer profile ${id} is not valid`, {
        profileId: id,
      });
    }
    return parsed.data;
  }

  /** The profile an identity belongs to, if any. */
  async findByIdentity(user: UserRef): Promise<CustomerProfile | undefined> {
    const id = await this.pointer(this.identities, identityKey(user));
    return id ? this.get(id) : undefined;
  }

  /** The profile an e-mail address belongs to, if any. */
  async findByEmail(email: string): Promise<CustomerProfile | undefined> {
    const key = emailKey(email);
    const id = key ? await this.pointer(this.emails, key) : undefined;
    return id ? this.get(id) : undefined;
  }

  private async pointer(collection: DocumentCollection, key: string): Promise<string | undefined> {
    const value = await collection.get(key);
    if (value === undefined) return undefined;
    const parsed = profilePointerSchema.safeParse(value);
    if (!parsed.success) {
      this.logger.warn({ key }, 'unreadable customer pointer ignored');
      return undefined;
    }
    return parsed.data.profileId;
  }

  // ------------------------------------------------------------------ writes

  /**
   * Someone wrote: finds or creates their profile and updates name, e-mail, organisation, tier and
   * last contact. An e-mail already known on another profile links the identity to that profile
   * (merging the two when the identity had its own).
   */
  async recordContact(contact: Contact): Promise<ContactOutcome> {
    const email = emailKey(contact.email);
    return this.lockIdentities([contact.user], async () => {
      for (let attempt = 1; ; attempt += 1) {
        const final = attempt >= ATTEMPTS;
        const own = await this.pointer(this.identities, identityKey(contact.user));
        const mailed = email ? await this.pointer(this.emails, email) : undefined;
        const request: LinkRequest = {
          by: HEED_ACTOR,
          at: contact.at,
          identities: [contact.user],
          reason: 'same e-mail address',
        };
        if (own && mailed && own !== mailed && !final) {
          const merged = await this.merge(mailed, own, request);
          if (merged === 'keep-missing') await this.emails.delete(email!);
          continue;
        }
        const targetId = await this.target(mailed ?? own, contact.user, final);
        const outcome = await this.lockProfiles([targetId], async () => {
          const current = await this.get(targetId);
          if (!current && targetId !== profileIdFor(contact.user)) return undefined;
          const base = current ?? newProfile(contact.user, contact.at);
          const joining = current !== undefined && !hasIdentity(current, contact.user);
          let next = applyContact(base, contact, email);
          if (joining) next = { ...next, links: [...next.links, linkAudit(request)] };
          const profile = await this.write(next, contact.at);
          return { profile, previousContactAt: current?.lastContactAt, linkedByEmail: joining };
        });
        if (!outcome) continue;
        if (own !== targetId) await this.point(this.identities, identityKey(contact.user), targetId);
        if (email && mailed !== targetId) await this.point(this.emails, email, targetId);
        if (outcome.linkedByEmail) {
          this.logger.info({ profileId: targetId }, 'identity linked to a customer profile by e-mail');
        }
        return outcome;
      }
    });
  }

  /** Adds an issue to the person's history (creating their profile if needed). */
  addIssue(user: UserRef, issue: ProfileIssue): Promise<CustomerProfile> {
    return this.change(user, issue.openedAt, (profile) => withIssue(profile, issue));
  }

  /** Adds a staff note to the person's profile (creating it if needed); notes persist across issues. */
  addNote(user: UserRef, note: ProfileNote): Promise<CustomerProfile> {
    return this.change(user, note.at, (profile) => withNote(profile, note));
  }

  /** Records a satisfaction rating on the person's profile, if the newest. */
  recordRating(
    user: UserRef,
    rating: { score: RatingScore; at: number; issueNumber: number },
  ): Promise<CustomerProfile> {
    return this.change(user, rating.at, (profile) =>
      profile.lastRating && profile.lastRating.at > rating.at ? profile : { ...profile, lastRating: rating },
    );
  }

  /**
   * Joins two identities into one profile: `first`'s profile is kept and `second`'s folded into it
   * (identities, e-mails, notes and history). Identities without a profile are simply added. The kept
   * profile records who linked them and when.
   */
  async link(first: UserRef, second: UserRef, by: UserRef, at: number): Promise<LinkOutcome> {
    const request: LinkRequest = { by, at, identities: [first, second] };
    return this.lockIdentities([first, second], async () => {
      for (let attempt = 1; ; attempt += 1) {
        const final = attempt >= ATTEMPTS;
        const a = await this.pointer(this.identities, identityKey(first));
        const b = await this.pointer(this.identities, identityKey(second));
        if (a && a === b) {
          const profile = await this.get(a);
          if (profile) return { kind: 'already-linked', profile };
        }
        if (a && b && a !== b) {
          const result = await this.merge(a, b, request);
          if (result === 'merged') {
            const profile = await this.get(a);
            if (profile) return { kind: 'linked', profile, merged: true };
          }
          if (!final) continue;
        }
        const targetId = await this.target(a ?? b, first, final);
        const profile = await this.lockProfiles([targetId], async () => {
          const current = await this.get(targetId);
          if (!current && targetId !== profileIdFor(first)) return undefined;
          let next = current ?? newProfile(first, at);
          next = withIdentity(withIdentity(next, first, at), second, at);
          next = { ...next, links: [...next.links, linkAudit(request)] };
          return this.write(next, at);
        });
        if (!profile) continue;
        if (a !== targetId) await this.point(this.identities, identityKey(first), targetId);
        if (b !== targetId) await this.point(this.identities, identityKey(second), targetId);
        this.logger.info({ profileId: targetId }, 'identities linked by staff');
        return { kind: 'linked', profile, merged: false };
      }
    });
  }

  /** Applies `change` to the person's profile under its locks, creating the profile when there is none. */
  private change(
    user: UserRef,
    at: number,
    change: (profile: CustomerProfile) => CustomerProfile,
  ): Promise<CustomerProfile> {
    return this.lockIdentities([user], async () => {
      for (let attempt = 1; ; attempt += 1) {
        const final = attempt >= ATTEMPTS;
        const own = await this.pointer(this.identities, identityKey(user));
        const targetId = await this.target(own, user, final);
        const profile = await this.lockProfiles([targetId], async () => {
          const current = await this.get(targetId);
          if (!current && targetId !== profileIdFor(user)) return undefined;
          return this.write(change(current ?? newProfile(user, at)), at);
        });
        if (!profile) continue;
        if (own !== targetId) await this.point(this.identities, identityKey(user), targetId);
        return profile;
      }
    });
  }

  /**
   * The profile to change: the one a pointer names or, for someone new, the identity's stable id. On the
   * last attempt a pointer to a profile that no longer exists (a crash mid-merge) is given up on.
   */
  private async target(pointed: string | undefined, user: UserRef, final: boolean): Promise<string> {
    const fresh = profileIdFor(user);
    if (pointed === undefined) return fresh;
    if (final && pointed !== fresh && (await this.profiles.get(pointed)) === undefined) return fresh;
    return pointed;
  }

  /** Folds profile `otherId` into `keepId` and moves its identities and e-mails over. */
  private merge(keepId: string, otherId: string, request: LinkRequest): Promise<MergeResult> {
    return this.lockProfiles([keepId, otherId], async () => {
      const keep = await this.get(keepId);
      if (!keep) return 'keep-missing';
      const other = await this.get(otherId);
      if (!other) return 'other-missing';
      await this.write(mergeProfiles(keep, other, request), request.at);
      for (const identity of other.identities)
        await this.point(this.identities, identityKey(identity), keepId);
      for (const email of other.emails) await this.point(this.emails, email, keepId);
      await this.profiles.delete(otherId);
      this.logger.info({ profileId: keepId, merged: otherId }, 'customer profiles merged');
      return 'merged';
    });
  }

  private async write(profile: CustomerProfile, at: number): Promise<CustomerProfile> {
    const next = customerProfileSchema.parse({
      ...profile,
      revision: profile.revision + 1,
      updatedAt: Math.max(profile.updatedAt, at),
    });
    await this.profiles.set(next.id, next);
    return next;
  }

  private async point(collection: DocumentCollection, key: string, profileId: string): Promise<void> {
    await collection.set(key, { v: 1, profileId });
  }

  private lockIdentities<T>(users: readonly UserRef[], work: () => Promise<T>): Promise<T> {
    return this.lockAll(
      users.map((user) => `identity:${identityKey(user)}`),
      work,
    );
  }

  private lockProfiles<T>(ids: readonly string[], work: () => Promise<T>): Promise<T> {
    return this.lockAll(
      ids.map((id) => `profile:${id}`),
      work,
    );
  }

  // Sorted and de-duplicated, so every caller takes the same locks in the same order.
  private lockAll<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const run = (index: number): Promise<T> =>
      index >= sorted.length ? work() : this.locks.run(`customer:${sorted[index]!}`, () => run(index + 1));
    return run(0);
  }
}
