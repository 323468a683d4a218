import type { Transaction } from 'kysely';
import { type Locks, localCoordination } from '../coordination/coordination.ts';
import { HEED_ACTOR, type UserRef } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import type { HeedDatabase } from '../store/database.ts';
import type { HeedTables } from '../store/tables.ts';
import {
  emailPointer,
  identityPointer,
  type Pointer,
  pointIn,
  profileExists,
  readPointer,
  readProfile,
  removePointer,
  writeProfile,
} from './customer-rows.ts';
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

/** A contact being recorded inside another change (see {@link CustomerRepository.withContact}). */
export interface PendingContact {
  /** The profile the contact goes to (for someone new, the id it will have). */
  readonly profileId: string;
  /** That profile as it was before the contact; undefined for someone new. */
  readonly before: CustomerProfile | undefined;
  /** Stores the contact (and the issue it opened) in the caller's transaction. */
  write(trx: Transaction<HeedTables>, opened?: ProfileIssue): Promise<ContactOutcome>;
}

/** A profile change being made inside another change (see {@link CustomerRepository.withChange}). */
export interface PendingChange {
  /** The profile before the change; undefined for someone new. */
  readonly before: CustomerProfile | undefined;
  /** Stores the changed profile in the caller's transaction. */
  write(trx: Transaction<HeedTables>): Promise<CustomerProfile>;
}

/** What {@link CustomerRepository.link} did. */
export type LinkOutcome =
  | { readonly kind: 'already-linked'; readonly profile: CustomerProfile }
  | { readonly kind: 'linked'; readonly profile: CustomerProfile; readonly merged: boolean };

type MergeResult = 'merged' | 'keep-missing' | 'other-missing';

// Re-reads after a concurrent merge moved an identity; the last attempt stops trusting stale pointers.
const ATTEMPTS = 3;

/**
 * Customer profiles and their lookups, in tables: `customers` (one row per profile, its notes in
 * `customer_notes`), `customer_identities` (`platform:userId` → profile) and `customer_emails` (lower-cased
 * e-mail → profile). Rows are validated with zod when read. Changes are serialised by the coordination's
 * locks (in process, or across instances): identity locks first (sorted), then profile locks (sorted), so
 * two operations never wait on each other in a circle. A profile row and the pointers to it commit in one
 * transaction, and so does a merge (the kept profile, the moved pointers and notes, the folded profile's
 * removal).
 */
export class CustomerRepository {
  constructor(
    private readonly database: HeedDatabase,
    private readonly logger: Logger,
    private readonly locks: Locks = localCoordination().locks,
  ) {}

  // ------------------------------------------------------------------ reads

  /** The profile with this id, if any. */
  get(id: string): Promise<CustomerProfile | undefined> {
    return readProfile(this.database, id, this.logger);
  }

  /** The profile an identity belongs to, if any. */
  async findByIdentity(user: UserRef): Promise<CustomerProfile | undefined> {
    const id = await this.pointer('customer_identities', identityKey(user));
    return id ? this.get(id) : undefined;
  }

  /** The profile an e-mail address belongs to, if any. */
  async findByEmail(email: string): Promise<CustomerProfile | undefined> {
    const key = emailKey(email);
    const id = key ? await this.pointer('customer_emails', key) : undefined;
    return id ? this.get(id) : undefined;
  }

  private pointer(table: Pointer['table'], key: string): Promise<string | undefined> {
    return readPointer(this.database, table, key);
  }

  // ------------------------------------------------------------------ writes

  /**
   * Someone wrote: finds or creates their profile and updates name, e-mail, organisation, tier and
   * last contact. An e-mail already known on another profile links the identity to that profile
   * (merging the two when the identity had its own).
   */
  async recordContact(contact: Contact): Promise<ContactOutcome> {
    const outcome = await this.withContact(contact, (pending) =>
      this.database.change((trx) => pending.write(trx, contact.opened)),
    );
    if (outcome.linkedByEmail) this.linkedByEmail(outcome.profile.id);
    return outcome;
  }

  /** Logged once the contact that linked an identity by e-mail is stored. */
  linkedByEmail(profileId: string): void {
    this.logger.info({ profileId }, 'identity linked to a customer profile by e-mail');
  }

  /**
   * Records a contact as part of another change (a new issue's): under the person's locks it finds their
   * profile as {@link recordContact} does (merging two profiles an e-mail joins first) and hands `run`
   * the profile as it was before this contact and `write`, which stores the contact, with the issue it
   * opened, in the caller's transaction. The locks are held until `run` is done; `run` is called once.
   */
  async withContact<T>(
    contact: Omit<Contact, 'opened'>,
    run: (pending: PendingContact) => Promise<T>,
  ): Promise<T> {
    const email = emailKey(contact.email);
    return this.lockIdentities([contact.user], async () => {
      for (let attempt = 1; ; attempt += 1) {
        const final = attempt >= ATTEMPTS;
        const own = await this.pointer('customer_identities', identityKey(contact.user));
        const mailed = email ? await this.pointer('customer_emails', email) : undefined;
        const request: LinkRequest = {
          by: HEED_ACTOR,
          at: contact.at,
          identities: [contact.user],
          reason: 'same e-mail address',
        };
        if (own && mailed && own !== mailed && !final) {
          const merged = await this.merge(mailed, own, request);
          if (merged === 'keep-missing') await this.unpoint('customer_emails', email!);
          continue;
        }
        const targetId = await this.target(mailed ?? own, contact.user, final);
        const found = await this.lockProfiles([targetId], async () => {
          const current = await this.get(targetId);
          if (!current && targetId !== profileIdFor(contact.user)) return undefined;
          const joining = current !== undefined && !hasIdentity(current, contact.user);
          const pointers = [
            ...(own !== targetId ? [identityPointer(contact.user)] : []),
            ...(email && mailed !== targetId ? [emailPointer(email)] : []),
          ];
          const write = async (
            trx: Transaction<HeedTables>,
            opened?: ProfileIssue,
          ): Promise<ContactOutcome> => {
            let next = applyContact(current ?? newProfile(contact.user, contact.at), contact, email);
            if (opened) next = withIssue(next, opened);
            if (joining) next = { ...next, links: [...next.links, linkAudit(request)] };
            const profile = await this.storeIn(trx, next, contact.at, current, pointers);
            return { profile, previousContactAt: current?.lastContactAt, linkedByEmail: joining };
          };
          return { value: await run({ profileId: targetId, before: current, write }) };
        });
        if (found) return found.value;
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

  /**
   * Sets facts staff or an import give (name, organisation, tier, value) on the person's profile, creating
   * it if needed; a key given as `undefined` clears that fact, a key left out keeps it.
   */
  setDetails(
    user: UserRef,
    at: number,
    details: Partial<Record<'name' | 'organisation' | 'tier', string | undefined>> & {
      value?: number | undefined;
    },
  ): Promise<CustomerProfile> {
    return this.change(user, at, (profile) => {
      const next: CustomerProfile = { ...profile };
      for (const key of ['name', 'organisation', 'tier', 'value'] as const) {
        if (!(key in details)) continue;
        const value = details[key];
        if (value === undefined) delete next[key];
        else (next as Record<string, unknown>)[key] = value;
      }
      return next;
    });
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
        const a = await this.pointer('customer_identities', identityKey(first));
        const b = await this.pointer('customer_identities', identityKey(second));
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
          return this.write(next, at, current, [
            ...(a !== targetId ? [identityPointer(first)] : []),
            ...(b !== targetId ? [identityPointer(second)] : []),
          ]);
        });
        if (!profile) continue;
        this.logger.info({ profileId: targetId }, 'identities linked by staff');
        return { kind: 'linked', profile, merged: false };
      }
    });
  }

  /**
   * Removes a profile and everything pointing at it (identities, e-mails, notes) in one transaction, under
   * its locks: forgetting a customer (`src/privacy/forget.ts`).
   */
  async remove(profile: CustomerProfile): Promise<void> {
    await this.lockIdentities(profile.identities, () =>
      this.lockProfiles([profile.id], () =>
        this.database.change(async (trx) => {
          await trx.deleteFrom('customer_notes').where('customer_id', '=', profile.id).execute();
          await trx.deleteFrom('customer_identities').where('customer_id', '=', profile.id).execute();
          await trx.deleteFrom('customer_emails').where('customer_id', '=', profile.id).execute();
          await trx.deleteFrom('customers').where('id', '=', profile.id).execute();
          // Pointers left by an older Heed to a profile that is gone name them too.
          const identities = profile.identities.map((identity) => identityKey(identity));
          await trx.deleteFrom('customer_identities').where('identity', 'in', identities).execute();
          if (profile.emails.length > 0)
            await trx.deleteFrom('customer_emails').where('email', 'in', profile.emails).execute();
        }),
      ),
    );
  }

  /** Applies `change` to the person's profile under its locks, creating the profile when there is none. */
  private change(
    user: UserRef,
    at: number,
    change: (profile: CustomerProfile) => CustomerProfile,
  ): Promise<CustomerProfile> {
    return this.withChange(user, at, change, (pending) => this.database.change((trx) => pending.write(trx)));
  }

  /**
   * Applies `change` to the person's profile as part of another change: under the profile's locks `run`
   * gets the profile as it is (`before`, undefined for someone new) and `write`, which stores
   * `change(before)` in the caller's transaction. The locks are held until `run` is done; `run` is
   * called once, and need not write.
   */
  async withChange<T>(
    user: UserRef,
    at: number,
    change: (profile: CustomerProfile) => CustomerProfile,
    run: (pending: PendingChange) => Promise<T>,
  ): Promise<T> {
    return this.lockIdentities([user], async () => {
      for (let attempt = 1; ; attempt += 1) {
        const final = attempt >= ATTEMPTS;
        const own = await this.pointer('customer_identities', identityKey(user));
        const targetId = await this.target(own, user, final);
        const found = await this.lockProfiles([targetId], async () => {
          const current = await this.get(targetId);
          if (!current && targetId !== profileIdFor(user)) return undefined;
          const pointers = own !== targetId ? [identityPointer(user)] : [];
          const write = (trx: Transaction<HeedTables>) =>
            this.storeIn(trx, change(current ?? newProfile(user, at)), at, current, pointers);
          return { value: await run({ before: current, write }) };
        });
        if (found) return found.value;
      }
    });
  }

  /**
   * The profile to change: the one a pointer names or, for someone new, the identity's stable id. On the
   * last attempt a pointer to a profile that no longer exists (written by an older Heed) is given up on.
   */
  private async target(pointed: string | undefined, user: UserRef, final: boolean): Promise<string> {
    const fresh = profileIdFor(user);
    if (pointed === undefined) return fresh;
    if (final && pointed !== fresh && !(await this.exists(pointed))) return fresh;
    return pointed;
  }

  /** Folds profile `otherId` into `keepId` and moves its identities and e-mails over. */
  private merge(keepId: string, otherId: string, request: LinkRequest): Promise<MergeResult> {
    return this.lockProfiles([keepId, otherId], async () => {
      const keep = await this.get(keepId);
      if (!keep) return 'keep-missing';
      const other = await this.get(otherId);
      if (!other) return 'other-missing';
      const merged = this.next(mergeProfiles(keep, other, request), request.at);
      await this.database.change(async (trx) => {
        await writeProfile(trx, merged, keep);
        await trx
          .updateTable('customer_identities')
          .set({ customer_id: keepId })
          .where('customer_id', '=', otherId)
          .execute();
        await trx
          .updateTable('customer_emails')
          .set({ customer_id: keepId })
          .where('customer_id', '=', otherId)
          .execute();
        await trx.deleteFrom('customer_notes').where('customer_id', '=', otherId).execute();
        await trx.deleteFrom('customers').where('id', '=', otherId).execute();
      });
      this.logger.info({ profileId: keepId, merged: otherId }, 'customer profiles merged');
      return 'merged';
    });
  }

  private next(profile: CustomerProfile, at: number): CustomerProfile {
    return customerProfileSchema.parse({
      ...profile,
      revision: profile.revision + 1,
      updatedAt: Math.max(profile.updatedAt, at),
    });
  }

  /**
   * Stores the profile and points `pointers` at it, in one transaction; `before` is what was read, so
   * unchanged notes are not rewritten.
   */
  private write(
    profile: CustomerProfile,
    at: number,
    before: CustomerProfile | undefined,
    pointers: readonly Pointer[],
  ): Promise<CustomerProfile> {
    return this.database.change((trx) => this.storeIn(trx, profile, at, before, pointers));
  }

  /** Stores `profile` (stamped at `at`) over `before` in the caller's transaction, with the pointers to it. */
  private async storeIn(
    trx: Transaction<HeedTables>,
    profile: CustomerProfile,
    at: number,
    before: CustomerProfile | undefined,
    pointers: readonly Pointer[],
  ): Promise<CustomerProfile> {
    const next = this.next(profile, at);
    await writeProfile(trx, next, before);
    for (const pointer of pointers) await pointIn(trx, pointer, next.id);
    return next;
  }

  private exists(id: string): Promise<boolean> {
    return profileExists(this.database, id);
  }

  private unpoint(table: Pointer['table'], key: string): Promise<void> {
    return removePointer(this.database, table, key);
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
