import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CustomerRepository } from '../../src/customers/customer-repository.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { type HeedDatabase, openDatabase } from '../../src/store/database.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from '../store/services.ts';

const T = Date.parse('2026-11-23T09:00:00Z');
const slack = { platform: 'slack' as const, id: 'U0CUST01' };
const discord = { platform: 'discord' as const, id: '1600000000000000001' };
const staff = { platform: 'slack' as const, id: 'U0STAFF1' };

const backends: [string, () => Promise<{ database: HeedDatabase; drop: () => Promise<void> }>][] = [
  ['sqlite (memory)', async () => ({ database: await openDatabase('memory://'), drop: async () => {} })],
  [
    'postgres',
    async () => {
      const schema = testSchema('customers');
      return {
        database: await openDatabase(postgresStoreUrl(schema)),
        drop: () => dropPostgresSchema(schema),
      };
    },
  ],
];

for (const [name, open] of backends) {
  describe(`customer profiles in tables: ${name}`, () => {
    let database: HeedDatabase;
    let drop: () => Promise<void>;
    let customers: CustomerRepository;
    beforeEach(async () => {
      ({ database, drop } = await open());
      customers = new CustomerRepository(database, silentLogger());
    });
    afterEach(async () => {
      await database.close();
      await drop();
    });

    it('records a contact, keeps notes in order and finds the person by identity and e-mail', async () => {
      const { profile } = await customers.recordContact({
        user: slack,
        at: T,
        name: 'Dana',
        email: 'Dana@BigCo.com',
      });
      await customers.addNote(slack, { at: T + 1, by: staff, text: 'on the old plan' });
      await customers.addNote(slack, { at: T + 2, by: staff, text: 'prefers e-mail' });
      const found = await customers.findByEmail('dana@bigco.com');
      expect(found?.id).toBe(profile.id);
      expect(found?.notes.map((note) => note.text)).toEqual(['on the old plan', 'prefers e-mail']);
      expect((await customers.findByIdentity(slack))?.name).toBe('Dana');
      // A later contact does not rewrite the notes.
      const seqs = async () =>
        (await database.db.selectFrom('customer_notes').select('seq').orderBy('seq').execute()).map(
          (r) => r.seq,
        );
      const before = await seqs();
      await customers.recordContact({ user: slack, at: T + 3 });
      expect(await seqs()).toEqual(before);
    });

    it('links a Discord identity by the same e-mail, merging profiles, notes and pointers in one profile', async () => {
      await customers.recordContact({ user: slack, at: T, email: 'dana@bigco.com' });
      await customers.addNote(discord, { at: T + 1, by: staff, text: 'from Discord' });
      await customers.recordContact({ user: discord, at: T + 2, email: 'dana@bigco.com' });
      const merged = (await customers.findByIdentity(discord))!;
      expect(merged.links.at(-1)).toMatchObject({
        reason: 'same e-mail address',
        mergedProfile: expect.any(String),
      });
      expect((await customers.findByIdentity(slack))?.id).toBe(merged.id);
      expect(merged.identities.map((identity) => identity.platform).sort()).toEqual(['discord', 'slack']);
      expect(merged.notes.map((note) => note.text)).toEqual(['from Discord']);
      expect(await database.db.selectFrom('customers').select('id').execute()).toEqual([{ id: merged.id }]);
      const notes = await database.db.selectFrom('customer_notes').select('customer_id').execute();
      expect(notes).toEqual([{ customer_id: merged.id }]);
    });

    it('commits a profile together with the identity and e-mail rows that point at it', async () => {
      const transactions = () => database.commitStats.transactions;
      const start = transactions();
      const { profile } = await customers.recordContact({ user: slack, at: T, email: 'dana@bigco.com' });
      expect(transactions() - start).toBe(1);
      expect(await database.db.selectFrom('customer_identities').selectAll().execute()).toEqual([
        { identity: 'slack:U0CUST01', customer_id: profile.id },
      ]);
      expect(await database.db.selectFrom('customer_emails').selectAll().execute()).toEqual([
        { email: 'dana@bigco.com', customer_id: profile.id },
      ]);

      // Staff link a Discord identity nobody has seen: the profile and the new pointer, one transaction.
      const linking = transactions();
      const outcome = await customers.link(slack, discord, staff, T + 1);
      expect(outcome).toMatchObject({ kind: 'linked', merged: false, profile: { id: profile.id } });
      expect(transactions() - linking).toBe(1);
      expect((await customers.findByIdentity(discord))?.id).toBe(profile.id);
    });

    it('refuses a write over a revision it did not read (a lapsed lock), so no update is lost silently', async () => {
      await customers.recordContact({ user: slack, at: T });
      // Its own in-process locks: like a second instance whose lock lapsed while it worked.
      const other = new CustomerRepository(database, silentLogger());
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? other : customers).addNote(slack, { at: T + i, by: staff, text: `note ${i}` }),
        ),
      );
      const refused = results.filter((result) => result.status === 'rejected');
      for (const result of refused) expect(result.reason).toMatchObject({ code: 'STALE_REVISION' });
      const stored = (await customers.findByIdentity(slack))!;
      expect(stored.notes.length + refused.length).toBe(10);
    });

    it('records ratings, keeping the newest', async () => {
      await customers.recordRating(slack, { score: 'up', at: T + 10, issueNumber: 2 });
      const profile = await customers.recordRating(slack, { score: 'down', at: T, issueNumber: 1 });
      expect(profile.lastRating).toEqual({ score: 'up', at: T + 10, issueNumber: 2 });
    });
  });
}
