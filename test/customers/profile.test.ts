import { describe, expect, it } from 'vitest';
import { CustomerRepository } from '../../src/customers/customer-repository.ts';
import {
  type CustomerProfile,
  customerProfileSchema,
  issueCount,
  mergeProfiles,
  newProfile,
  PROFILE_ISSUE_LIMIT,
  profileIdFor,
  withIssue,
  withNote,
} from '../../src/customers/profile.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { openDatabase } from '../../src/store/database.ts';

const T = Date.parse('2026-11-23T09:00:00Z');
const slack = { platform: 'slack' as const, id: 'U0CUST01' };
const discord = { platform: 'discord' as const, id: '1600000000000000001' };
const staff = { platform: 'slack' as const, id: 'U0STAFF1' };

describe('customer profiles (pure)', () => {
  it('gets a stable id from the identity that created it', () => {
    expect(profileIdFor(slack)).toBe(profileIdFor({ ...slack }));
    expect(profileIdFor(slack)).not.toBe(profileIdFor(discord));
    expect(newProfile(slack, T)).toMatchObject({ v: 1, id: profileIdFor(slack), issues: [], notes: [] });
  });

  it('merges two profiles: identities, e-mails, notes and issues in time order, an audit entry', () => {
    let keep: CustomerProfile = {
      ...newProfile(slack, T),
      name: 'Dana',
      emails: ['dana@bigco.com'],
      lastContactAt: T + 10,
    };
    keep = withNote(withIssue(keep, { id: 'a', number: 1, openedAt: T, platform: 'slack' }), {
      at: T + 5,
      by: staff,
      text: 'first',
    });
    let other: CustomerProfile = {
      ...newProfile(discord, T + 1),
      name: 'dana_d',
      tier: 'enterprise',
      value: 12_000,
      lastContactAt: T + 20,
    };
    other = withNote(withIssue(other, { id: 'b', number: 2, openedAt: T + 1, platform: 'discord' }), {
      at: T + 2,
      by: staff,
      text: 'earlier',
    });
    other = { ...other, lastRating: { score: 'down', at: T + 3, issueNumber: 2 } };
    const merged = mergeProfiles(keep, other, { by: staff, at: T + 30, identities: [slack, discord] });
    expect(merged.id).toBe(keep.id);
    expect(merged.name).toBe('Dana');
    expect(merged.tier).toBe('enterprise');
    expect(merged.value).toBe(12_000); // the kept profile had none
    expect(merged.identities.map((i) => i.id)).toEqual([slack.id, discord.id]);
    expect(merged.notes.map((n) => n.text)).toEqual(['earlier', 'first']);
    expect(merged.issues.map((i) => i.number)).toEqual([1, 2]);
    expect(merged.lastContactAt).toBe(T + 20);
    expect(merged.lastRating?.score).toBe('down');
    expect(merged.createdAt).toBe(T);
    expect(merged.links).toEqual([
      { linkedBy: staff, linkedAt: T + 30, identities: [slack, discord], mergedProfile: other.id },
    ]);
    expect(customerProfileSchema.safeParse(merged).success).toBe(true);
  });

  it('keeps the issue list bounded but the count whole', () => {
    let profile = newProfile(slack, T);
    for (let n = 1; n <= PROFILE_ISSUE_LIMIT + 3; n += 1) {
      profile = withIssue(profile, { id: `i${n}`, number: n, openedAt: T + n, platform: 'slack' });
    }
    profile = withIssue(profile, { id: 'i5', number: 5, openedAt: T + 5, platform: 'slack' });
    expect(profile.issues).toHaveLength(PROFILE_ISSUE_LIMIT);
    expect(profile.issues[0]?.number).toBe(4);
    expect(issueCount(profile)).toBe(PROFILE_ISSUE_LIMIT + 3);
  });
});

describe('the customer repository', () => {
  it('validates what it reads: an unknown schema version is refused, not guessed at', async () => {
    const store = await openDatabase('memory://');
    const repository = new CustomerRepository(store, silentLogger());
    const profile = await repository.addNote(slack, { at: T, by: staff, text: 'hello' });
    expect(await repository.findByIdentity(slack)).toEqual(profile);
    expect(await store.db.selectFrom('customer_identities').selectAll().execute()).toEqual([
      { identity: 'slack:U0CUST01', customer_id: profile.id },
    ]);
    expect(await store.db.selectFrom('customer_notes').select(['customer_id', 'at']).execute()).toEqual([
      { customer_id: profile.id, at: T },
    ]);
    const { notes: _notes, ...body } = profile;
    await store.db
      .updateTable('customers')
      .set({ body: JSON.stringify({ ...body, v: 2 }) })
      .where('id', '=', profile.id)
      .execute();
    await expect(repository.get(profile.id)).rejects.toMatchObject({ code: 'STORE_RECORD_INVALID' });
    // A pointer to a profile that is gone finds nothing.
    await store.db
      .insertInto('customer_identities')
      .values({ identity: 'discord:1600000000000000001', customer_id: 'cus_gone' })
      .execute();
    expect(await repository.findByIdentity(discord)).toBeUndefined();
  });

  it('records ratings, keeping the newest', async () => {
    const repository = new CustomerRepository(await openDatabase('memory://'), silentLogger());
    await repository.recordRating(slack, { score: 'up', at: T + 10, issueNumber: 2 });
    const profile = await repository.recordRating(slack, { score: 'down', at: T, issueNumber: 1 });
    expect(profile.lastRating).toEqual({ score: 'up', at: T + 10, issueNumber: 2 });
  });
});
