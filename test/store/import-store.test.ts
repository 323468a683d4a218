import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IssueRepository } from '../../src/core/issue-repository.ts';
import { insertIssues, issueFromRows } from '../../src/core/issue-rows.ts';
import { CustomerRepository } from '../../src/customers/customer-repository.ts';
import { customerProfileSchema } from '../../src/customers/profile.ts';
import { DIGEST_ROW } from '../../src/digest/digest-scheduler.ts';
import { type Issue, issueSchema } from '../../src/domain/issue.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { type HeedDatabase, openDatabase } from '../../src/store/database.ts';
import { type ImportProgress, type ImportSummary, importStore } from '../../src/store/import-store.ts';
import {
  copyOldStore,
  damage,
  dumpTables,
  FIXTURE,
  fileHash,
  oldDocument,
  oldRows,
  rewriteLast,
} from './old-store-fixture.ts';
import {
  deleteRedisKeys,
  dropPostgresSchema,
  postgresStoreUrl,
  runId,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  testSchema,
  withPostgres,
  withRedis,
} from './services.ts';

let dir = '';
let oldFile = '';
let oldUrl = '';
const open: HeedDatabase[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'heed-import-'));
  oldFile = await copyOldStore(dir);
  oldUrl = `sqlite://${oldFile}`;
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((database) => database.close()));
  await rm(dir, { recursive: true, force: true });
});

async function newStore(url = 'memory://', options: { pgSchema?: string } = {}): Promise<HeedDatabase> {
  const database = await openDatabase(url, options);
  open.push(database);
  return database;
}

/** The issue as the new store gives it back: its row and its ledger rows, validated. */
async function storedIssue(database: HeedDatabase, id: string): Promise<Issue> {
  const row = await database.db
    .selectFrom('issues')
    .select(['id', 'body'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const ledger = await database.db
    .selectFrom('ledger')
    .select('event')
    .where('issue_id', '=', id)
    .orderBy('seq')
    .execute();
  return issueFromRows(row, ledger);
}

function expectWholeFixture(summary: ImportSummary): void {
  expect(summary.problems).toEqual([]);
  expect(summary.skipped).toEqual([]);
  expect(summary.issues).toEqual({
    imported: FIXTURE.issues,
    unchanged: 0,
    failed: 0,
    ledgerEvents: FIXTURE.ledgerEvents,
  });
  expect(summary.customers).toEqual({
    imported: FIXTURE.customers,
    unchanged: 0,
    failed: 0,
    identities: 3,
    emails: 1,
    notes: 1,
  });
  expect(summary.threads).toEqual({ imported: 4, unchanged: 0, failed: 0 });
  expect(summary.digests).toEqual({ imported: 1, unchanged: 0, failed: 0 });
  expect(summary.numbering).toEqual({ oldLast: FIXTURE.lastNumber, last: FIXTURE.lastNumber, raised: true });
  // The old indexes are rebuilt by the tables: number pointers, ledger days, open-issue shards.
  expect(summary.notCopied).toEqual({ numbers: 5, 'ledger-days': 5, meta: 5 });
  expect(summary.changed).toBe(true);
}

/** What every backend must hold after importing the fixture. */
async function expectFixtureCopied(database: HeedDatabase): Promise<void> {
  const { billing } = FIXTURE;
  const issues = await database.db.selectFrom('issues').select(['id', 'number']).orderBy('number').execute();
  expect(issues.map((issue) => issue.number)).toEqual([1, 2, 3, 4, 5]);

  // #2 comes back exactly as Heed 0.1 stored it: state, ledger, SLA clocks, alerts fired.
  const before = issueSchema.parse(oldDocument(oldFile, `issues:${billing.id}`));
  const after = await storedIssue(database, billing.id);
  expect(after).toEqual(before);
  expect(after.status).toBe('resolved');
  expect(after.history).toHaveLength(billing.events);
  const row = await database.db
    .selectFrom('issues')
    .select(['status', 'revision', 'next_alert_at', 'owner'])
    .where('id', '=', billing.id)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({
    status: 'resolved',
    revision: billing.revision,
    next_alert_at: billing.nextAlertAt,
    owner: 'slack:U0BILL01',
  });
  const fired = await database.db
    .selectFrom('fired_alerts')
    .select('alert')
    .where('issue_id', '=', billing.id)
    .execute();
  expect(fired.map((f) => f.alert).sort()).toEqual([...before.sla.fired].sort());
  expect(fired).toHaveLength(billing.fired);
  const ledgerRows = await database.db.selectFrom('ledger').select('id').execute();
  expect(ledgerRows).toHaveLength(FIXTURE.ledgerEvents);

  // The follow-up keeps #2's thread: the customer writing there reaches #5.
  const thread = await database.db
    .selectFrom('threads')
    .select('issue_id')
    .where('conversation', '=', billing.thread)
    .executeTakeFirstOrThrow();
  expect(thread.issue_id).toBe(FIXTURE.followUp.id);

  // Customers: identities keyed platform:userId, e-mails lower-cased, notes in their own table.
  const customers = await database.db.selectFrom('customers').select(['id', 'body']).execute();
  expect(customers.map((c) => c.id).sort()).toEqual(
    ['cus_RZsIxKUXaKX9_T13', FIXTURE.kim.id, FIXTURE.dana.id].sort(),
  );
  const kimBody = JSON.parse(customers.find((c) => c.id === FIXTURE.kim.id)!.body) as Record<string, unknown>;
  expect(kimBody).not.toHaveProperty('notes');
  expect(kimBody).toMatchObject({ id: FIXTURE.kim.id, name: 'Kim', tier: 'enterprise' });
  const notes = await database.db.selectFrom('customer_notes').select(['customer_id', 'note']).execute();
  expect(notes).toHaveLength(1);
  expect(notes[0]!.customer_id).toBe(FIXTURE.kim.id);
  expect(JSON.parse(notes[0]!.note)).toMatchObject({
    text: 'Prefers e-mail; CTO is the escalation contact.',
  });
  const identities = await database.db.selectFrom('customer_identities').selectAll().execute();
  expect(identities).toContainEqual({ identity: FIXTURE.dana.identity, customer_id: FIXTURE.dana.id });
  expect(identities).toContainEqual({ identity: FIXTURE.kim.identity, customer_id: FIXTURE.kim.id });
  expect(await database.db.selectFrom('customer_emails').selectAll().execute()).toEqual([
    { email: FIXTURE.dana.email, customer_id: FIXTURE.dana.id },
  ]);
  // The customer repository reads every profile back as Heed 0.1 stored it, notes included.
  const customersRepository = new CustomerRepository(database, silentLogger());
  for (const id of ['cus_RZsIxKUXaKX9_T13', FIXTURE.kim.id, FIXTURE.dana.id]) {
    expect(await customersRepository.get(id)).toEqual(
      customerProfileSchema.parse(oldDocument(oldFile, `customers:${id}`)),
    );
  }
  expect((await customersRepository.findByEmail('Dana@BigCo.com'))?.id).toBe(FIXTURE.dana.id);
  expect(
    (await customersRepository.findByIdentity({ platform: 'discord', id: '1600000000000000002' }))?.id,
  ).toBe(FIXTURE.kim.id);

  expect(await database.db.selectFrom('digests').selectAll().execute()).toEqual([
    { name: DIGEST_ROW, last_slot: FIXTURE.digest.lastSlot, sent_at: FIXTURE.digest.sentAt },
  ]);
  expect(await database.db.selectFrom('counters').selectAll().execute()).toEqual([
    { name: 'issue-number', value: FIXTURE.lastNumber },
  ]);
}

describe('importing a Heed 0.1 SQLite store', () => {
  it('copies every issue, customer, thread, the digest time and the numbering into memory://', async () => {
    const before = await fileHash(oldFile);
    const to = await newStore();
    const summary = await importStore({ from: oldUrl, to });
    // The old store is only read: the same bytes, and no -wal or -shm files left beside it.
    expect(await fileHash(oldFile)).toBe(before);
    expect(await readdir(dir)).toEqual(['old.sqlite']);
    expectWholeFixture(summary);
    expect(summary.from).toBe(oldUrl);
    await expectFixtureCopied(to);
  });

  it('continues the old numbering: the next issue is #6', async () => {
    const to = await newStore();
    await importStore({ from: oldUrl, to });
    const repository = new IssueRepository(to, silentLogger());
    const template = await storedIssue(to, FIXTURE.fresh.id);
    const { issue } = await repository.create((number) => ({
      issue: {
        ...template,
        id: 'next-issue',
        number,
        conversation: { platform: 'slack', channel: 'C0CUST01', thread: '1796400000.000001' },
        seenMessages: ['1796400000.000001'],
        revision: 0,
        history: [],
      },
      events: [{ kind: 'opened', actor: { platform: 'slack', id: 'U0DANA001' } }],
    }));
    expect(issue.number).toBe(FIXTURE.lastNumber + 1);
    // The follow-up found through the thread it took over.
    const followUp = await repository.getByConversation({
      platform: 'discord',
      channel: '1300000000000000001',
      thread: '1574335194071040001',
    });
    expect(followUp?.number).toBe(FIXTURE.followUp.number);
  });

  it('is idempotent: a second run finds everything unchanged and writes nothing', async () => {
    const to = await newStore(`sqlite://${path.join(dir, 'new.sqlite')}`);
    await importStore({ from: oldUrl, to });
    const rows = await dumpTables(to);
    const transactions = to.commitStats.transactions;

    const again = await importStore({ from: oldUrl, to });
    expect(again.issues).toEqual({ imported: 0, unchanged: FIXTURE.issues, failed: 0, ledgerEvents: 0 });
    expect(again.customers).toMatchObject({ imported: 0, unchanged: FIXTURE.customers, failed: 0 });
    expect(again.threads).toEqual({ imported: 0, unchanged: 4, failed: 0 });
    expect(again.digests).toEqual({ imported: 0, unchanged: 1, failed: 0 });
    expect(again.numbering).toEqual({ oldLast: FIXTURE.lastNumber, last: FIXTURE.lastNumber, raised: false });
    expect(again.problems).toEqual([]);
    expect(again.changed).toBe(false);
    expect(to.commitStats.transactions).toBe(transactions);
    expect(await dumpTables(to)).toEqual(rows);
  });

  it('reports progress every N records of a stage', async () => {
    const to = await newStore();
    const seen: ImportProgress[] = [];
    await importStore({ from: oldUrl, to, progressEvery: 2, onProgress: (progress) => seen.push(progress) });
    expect(seen.filter((p) => p.stage === 'issues')).toEqual([
      { stage: 'issues', done: 2, total: 5 },
      { stage: 'issues', done: 4, total: 5 },
      { stage: 'issues', done: 5, total: 5 },
    ]);
    expect(seen.map((p) => p.stage)).toEqual(
      expect.arrayContaining(['customers', 'threads', 'digest', 'numbering']),
    );
    expect(seen.at(-1)).toEqual({ stage: 'numbering', done: 1, total: 1 });
  });

  it('gives a follow-up the thread of the issue it follows, as the old thread index says, whatever the order', async () => {
    // One issue per batch, and #2 read after its follow-up #5: storing #2 points its thread back at it.
    rewriteLast(oldFile, `issues:${FIXTURE.billing.id}`);
    const to = await newStore();
    const summary = await importStore({ from: oldUrl, to, progressEvery: 1 });
    expect(summary.threads).toEqual({ imported: 4, unchanged: 0, failed: 0 });
    const thread = await to.db
      .selectFrom('threads')
      .select('issue_id')
      .where('conversation', '=', FIXTURE.billing.thread)
      .executeTakeFirstOrThrow();
    expect(thread.issue_id).toBe(FIXTURE.followUp.id);
  });

  it('reports damaged records one by one, with key and reason, and copies the rest', async () => {
    damage(oldFile, `issues:${FIXTURE.urgent.id}`, '{"value":{"v":1,"id":"R_G9aIx-kREjb6jrcjjn","numb');
    const fresh = oldDocument(oldFile, `issues:${FIXTURE.fresh.id}`) as Record<string, unknown>;
    damage(oldFile, `issues:${FIXTURE.fresh.id}`, JSON.stringify({ value: { ...fresh, status: 'lost' } }));
    const to = await newStore();

    const summary = await importStore({ from: oldUrl, to });
    expect(summary.issues).toMatchObject({ imported: 3, unchanged: 0, failed: 2 });
    expect(summary.problems).toContainEqual({
      namespace: 'issues',
      key: FIXTURE.urgent.id,
      reason: 'the stored text is not JSON',
    });
    expect(summary.problems).toContainEqual({
      namespace: 'issues',
      key: FIXTURE.fresh.id,
      reason: expect.stringMatching(/^not a valid issue: status: /),
    });
    // Their threads point at issues that stayed behind: said so, not copied.
    expect(summary.problems).toContainEqual({
      namespace: 'threads',
      key: 'discord:1300000000000000001:1574343750451200002',
      reason: `points at issue ${FIXTURE.urgent.id}, which was not imported (see that issue)`,
    });
    expect(summary.threads).toMatchObject({ imported: 2, failed: 2 });
    // Everything else is there, including the customers, the digest and the numbering.
    const ids = (await to.db.selectFrom('issues').select('number').orderBy('number').execute()).map(
      (row) => row.number,
    );
    expect(ids).toEqual([1, 2, 5]);
    expect(summary.customers.imported).toBe(FIXTURE.customers);
    expect(summary.numbering.last).toBe(FIXTURE.lastNumber);

    // Once the records are mended, a second run copies exactly what is missing.
    const pristine = await copyOldStore(dir, 'mended.sqlite');
    const mended = await importStore({ from: `sqlite://${pristine}`, to });
    expect(mended.issues).toMatchObject({ imported: 2, unchanged: 3, failed: 0 });
    expect(mended.threads).toMatchObject({ imported: 2, unchanged: 2, failed: 0 });
    expect(mended.problems).toEqual([]);
  });

  it('refuses a target that holds other issues, unless merge is asked for', async () => {
    const to = await newStore();
    const own = issueSchema.parse({
      ...(oldDocument(oldFile, `issues:${FIXTURE.fresh.id}`) as object),
      id: 'opened-in-the-new-store',
      number: 42,
      conversation: { platform: 'slack', channel: 'C0NEW', thread: '1796000000.000001' },
      seenMessages: ['1796000000.000001'],
      history: [],
    });
    await to.change((trx) => insertIssues(trx, [own]));

    await expect(importStore({ from: oldUrl, to })).rejects.toMatchObject({
      code: 'IMPORT_TARGET_NOT_EMPTY',
      message: expect.stringMatching(
        /already holds 1 issue that the old store does not \(such as #42\).*--merge/s,
      ),
    });
    // Refused before anything was written.
    expect(await to.db.selectFrom('issues').select('id').execute()).toEqual([{ id: own.id }]);

    const merged = await importStore({ from: oldUrl, to, merge: true });
    expect(merged.issues).toMatchObject({ imported: FIXTURE.issues, failed: 0 });
    expect(merged.problems).toEqual([]);
    const numbers = await to.db.selectFrom('issues').select('number').orderBy('number').execute();
    expect(numbers.map((row) => row.number)).toEqual([1, 2, 3, 4, 5, 42]);
  });

  it('with merge, an issue whose number the new store has given away is reported, not overwritten', async () => {
    const to = await newStore();
    const own = issueSchema.parse({
      ...(oldDocument(oldFile, `issues:${FIXTURE.fresh.id}`) as object),
      id: 'also-number-three',
      number: FIXTURE.urgent.number,
      conversation: { platform: 'slack', channel: 'C0NEW', thread: '1796000000.000002' },
      seenMessages: ['1796000000.000002'],
      history: [],
    });
    await to.change((trx) => insertIssues(trx, [own]));
    const summary = await importStore({ from: oldUrl, to, merge: true });
    expect(summary.issues).toMatchObject({ imported: 4, failed: 1 });
    expect(summary.problems).toContainEqual({
      namespace: 'issues',
      key: FIXTURE.urgent.id,
      reason: `its number #${FIXTURE.urgent.number} is already taken by issue also-number-three in the new store`,
    });
    expect((await storedIssue(to, own.id)).number).toBe(FIXTURE.urgent.number);
  });

  it('never overwrites a record both stores hold at different revisions, and says which is newer', async () => {
    const to = await newStore();
    await importStore({ from: oldUrl, to });
    // The new server went on with #2 (revision 15); the old one went on with Kim's profile.
    await to.change(async (trx) => {
      await trx.updateTable('issues').set({ revision: 15 }).where('id', '=', FIXTURE.billing.id).execute();
      await trx.updateTable('customers').set({ revision: 1 }).where('id', '=', FIXTURE.kim.id).execute();
    });
    const rows = await dumpTables(to);
    const again = await importStore({ from: oldUrl, to });
    expect(again.issues).toMatchObject({ imported: 0, unchanged: 4, failed: 0 });
    expect(again.skipped).toEqual([
      {
        namespace: 'issues',
        key: FIXTURE.billing.id,
        reason: 'the new store holds a newer revision (15, the old store 14); left as it is',
      },
    ]);
    expect(again.customers).toMatchObject({ imported: 0, unchanged: 2, failed: 1 });
    expect(again.problems).toEqual([
      {
        namespace: 'customers',
        key: FIXTURE.kim.id,
        reason: expect.stringMatching(/^the old store holds a newer revision \(3\) than the new store \(1\)/),
      },
    ]);
    expect(await dumpTables(to)).toEqual(rows);
  });

  it('refuses to import a store into itself', async () => {
    const file = path.join(dir, 'heed.sqlite');
    const to = await newStore(`sqlite://${file}`);
    await expect(importStore({ from: `sqlite://${file}`, to })).rejects.toMatchObject({
      code: 'IMPORT_SAME_STORE',
      message: expect.stringContaining('--from and HEED_STORE_URL both name'),
    });
  });

  it('refuses a store that is not one of Heed 0.1, and an old store a server still uses', async () => {
    const to = await newStore();
    const tables = path.join(dir, 'tables.sqlite');
    await (await openDatabase(`sqlite://${tables}`)).close();
    await expect(importStore({ from: `sqlite://${tables}`, to })).rejects.toMatchObject({
      code: 'IMPORT_SOURCE_INVALID',
      message: expect.stringContaining('already keeps its records in tables'),
    });
    await expect(
      importStore({ from: `sqlite://${path.join(dir, 'none.sqlite')}`, to }),
    ).rejects.toMatchObject({
      code: 'IMPORT_SOURCE_INVALID',
      message: expect.stringContaining('There is no file at'),
    });

    const lock = { pid: process.pid, startedAt: Date.now(), host: hostname() };
    await writeFile(`${oldFile}.lock`, JSON.stringify(lock));
    await expect(importStore({ from: oldUrl, to })).rejects.toMatchObject({
      code: 'IMPORT_SOURCE_IN_USE',
      message: expect.stringContaining(`process ${process.pid}`),
    });
  });

  it('leaves out a document whose TTL ran out, as keyv would', async () => {
    const expired = JSON.stringify({ value: { v: 1, issueId: FIXTURE.fresh.id }, expires: 1_000 });
    damage(oldFile, 'threads:slack:C0CUST01:1795446300.000005', expired);
    const to = await newStore();
    const summary = await importStore({ from: oldUrl, to });
    expect(summary.skipped).toEqual([
      {
        namespace: 'threads',
        key: 'slack:C0CUST01:1795446300.000005',
        reason: 'expired on 1970-01-01T00:00:01.000Z',
      },
    ]);
    expect(summary.problems).toEqual([]);
  });
});

describe('a Heed 0.1 store is refused where a store of tables is expected', () => {
  it('refuses the old SQLite store at open with STORE_OLD_FORMAT, naming heed import', async () => {
    await expect(openDatabase(oldUrl)).rejects.toMatchObject({
      code: 'STORE_OLD_FORMAT',
      message: expect.stringContaining(`npx heed import --from ${oldUrl}`),
    });
    // Refusing it wrote nothing into it.
    expect([...oldRows(oldFile).keys()]).toHaveLength(33);
  });
});

describe('PostgreSQL', () => {
  it('imports the fixture into a PostgreSQL target, and a second run writes nothing', async () => {
    const schema = testSchema('import_to');
    try {
      const to = await newStore(TEST_POSTGRES_URL, { pgSchema: schema });
      expectWholeFixture(await importStore({ from: oldUrl, to }));
      await expectFixtureCopied(to);
      const rows = await dumpTables(to);
      const transactions = to.commitStats.transactions;
      const again = await importStore({ from: oldUrl, to });
      expect(again.issues).toMatchObject({ imported: 0, unchanged: FIXTURE.issues, failed: 0 });
      expect(again.customers).toMatchObject({ imported: 0, unchanged: FIXTURE.customers, failed: 0 });
      expect(again.changed).toBe(false);
      expect(to.commitStats.transactions).toBe(transactions);
      expect(await dumpTables(to)).toEqual(rows);
    } finally {
      await Promise.all(open.splice(0).map((database) => database.close()));
      await dropPostgresSchema(schema);
    }
  });

  it('reads an old PostgreSQL store (heed_documents) without writing to it, and refuses it as a store', async () => {
    const schema = testSchema('import_from');
    const rows = oldRows(oldFile);
    const snapshot = async () =>
      withPostgres(async (pool) => {
        const result = await pool.query<{ key: string; value: string }>(
          `select key, value from ${schema}.heed_documents order by key`,
        );
        return result.rows;
      });
    try {
      await withPostgres(async (pool) => {
        await pool.query(`create schema ${schema}`);
        // The table exactly as Heed 0.1 (@keyv/postgres) created it.
        await pool.query(`create table ${schema}.heed_documents(key varchar(255) primary key, value text)`);
        for (const [key, value] of rows) {
          await pool.query(`insert into ${schema}.heed_documents(key, value) values ($1, $2)`, [key, value]);
        }
      });
      const before = await snapshot();
      const to = await newStore();
      const summary = await importStore({ from: postgresStoreUrl(schema), to });
      expectWholeFixture(summary);
      await expectFixtureCopied(to);
      expect(await snapshot()).toEqual(before);

      await expect(openDatabase(postgresStoreUrl(schema))).rejects.toMatchObject({
        code: 'STORE_OLD_FORMAT',
        message: expect.stringContaining('heed import --from postgres://'),
      });
      expect(await snapshot()).toEqual(before);
    } finally {
      await dropPostgresSchema(schema);
    }
  });
});

describe('Redis', () => {
  it('imports the documents under the old key prefix and ignores the coordination keys beside them', async () => {
    const prefix = `heedtest-${runId()}:`;
    const rows = oldRows(oldFile);
    const { billing, dana } = FIXTURE;
    const issue1 = 'usajWlrkWXWTGZsxJ4qo';
    // The layout Heed 0.1 wrote through @keyv/redis: <prefix><namespace>::<key>, keyv's envelope as value.
    const keys: Record<string, string> = {
      [`${prefix}issues::${issue1}`]: rows.get(`issues:${issue1}`)!,
      [`${prefix}issues::${billing.id}`]: rows.get(`issues:${billing.id}`)!,
      [`${prefix}threads::slack:C0CUST01:1795420920.000001`]: JSON.stringify({
        value: { v: 1, issueId: issue1 },
      }),
      [`${prefix}threads::${billing.thread}`]: JSON.stringify({ value: { v: 1, issueId: billing.id } }),
      [`${prefix}threads::slack:C0GONE:1.000001`]: JSON.stringify({
        value: { v: 1, issueId: issue1 },
        expires: Date.now() - 60_000,
      }),
      [`${prefix}meta::issue-counter`]: rows.get('meta:issue-counter')!,
      [`${prefix}customers::${dana.id}`]: rows.get(`customers:${dana.id}`)!,
      [`${prefix}identities::${dana.identity}`]: rows.get(`identities:${dana.identity}`)!,
      [`${prefix}customer-emails::${dana.email}`]: rows.get(`customer-emails:${dana.email}`)!,
      [`${prefix}digest::last-sent`]: rows.get('digest:last-sent')!,
      // Shared mode kept its coordination under the same prefix.
      [`${prefix}rev:${issue1}`]: '10',
    };
    const snapshot = () =>
      withRedis(async (client) => {
        const found: Record<string, string | null> = {};
        for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
          for (const key of batch) found[key] = await client.get(key);
        }
        return found;
      });
    try {
      await withRedis(async (client) => {
        for (const [key, value] of Object.entries(keys)) await client.set(key, value);
      });
      const to = await newStore();
      const summary = await importStore({ from: TEST_REDIS_URL, to, redisKeyPrefix: prefix });
      expect(summary.problems).toEqual([]);
      expect(summary.issues).toMatchObject({ imported: 2, failed: 0, ledgerEvents: 9 + billing.events });
      expect(summary.customers).toMatchObject({ imported: 1, identities: 1, emails: 1 });
      expect(summary.threads).toMatchObject({ imported: 2, failed: 0 });
      expect(summary.digests.imported).toBe(1);
      expect(summary.numbering).toMatchObject({ oldLast: FIXTURE.lastNumber, last: FIXTURE.lastNumber });
      expect(summary.skipped).toEqual([
        { namespace: 'threads', key: 'slack:C0GONE:1.000001', reason: expect.stringMatching(/^expired on /) },
      ]);
      expect(summary.notCopied).toEqual({ '(not documents)': 1 });

      const before = issueSchema.parse(oldDocument(oldFile, `issues:${billing.id}`));
      expect(await storedIssue(to, billing.id)).toEqual(before);
      // Read only: every key is still there with its value.
      expect(await snapshot()).toEqual(keys);
    } finally {
      await deleteRedisKeys(prefix);
    }
  });

  it('says which prefix it looked under when it finds nothing there', async () => {
    const to = await newStore();
    const prefix = `heedtest-empty-${runId()}:`;
    await expect(importStore({ from: TEST_REDIS_URL, to, redisKeyPrefix: prefix })).rejects.toMatchObject({
      code: 'IMPORT_SOURCE_INVALID',
      message: expect.stringContaining(`no key starting with "${prefix}"`),
    });
  });
});
