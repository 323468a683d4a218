import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { MIGRATION_TABLE, migrateToLatest, schemaStatus } from '../../src/store/schema-version.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from './services.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'heed-db-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('opening the store', () => {
  it('runs SQLite in WAL mode and flushes the log itself before a change is acknowledged, so it survives power loss', async () => {
    const database = await openDatabase(`sqlite://${path.join(dir, 'heed.sqlite')}`);
    try {
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
      const synchronous = await sql<{ synchronous: number }>`pragma synchronous`.execute(database.db);
      expect(journal.rows[0]?.journal_mode).toBe('wal');
      // 1 = NORMAL: COMMIT only appends to the log; the flush runs off the event loop (WalFlusher).
      expect(synchronous.rows[0]?.synchronous).toBe(1);
      // 2 = MEMORY: a sort no index serves does not create a temporary file.
      const tempStore = await sql<{ temp_store: number }>`pragma temp_store`.execute(database.db);
      expect(tempStore.rows[0]?.temp_store).toBe(2);
      const before = database.commitStats.flushes ?? 0;
      await database.change((trx) => trx.insertInto('counters').values({ name: 'x', value: 1 }).execute());
      expect(database.commitStats.flushes).toBe(before + 1);
      // A change that wrote nothing (an outbox pass that found nothing to claim) has nothing to flush.
      await database.change((trx) =>
        trx.updateTable('counters').set({ value: 2 }).where('name', '=', 'none').execute(),
      );
      await database.change((trx) => trx.selectFrom('counters').selectAll().execute());
      expect(database.commitStats.flushes).toBe(before + 1);
      await database.change((trx) =>
        trx.updateTable('counters').set({ value: 2 }).where('name', '=', 'x').execute(),
      );
      expect(database.commitStats.flushes).toBe(before + 2);
    } finally {
      await database.close();
    }
  });

  it('flushes at checkpoints only with HEED_SQLITE_SYNCHRONOUS=normal', async () => {
    const database = await openDatabase(`sqlite://${path.join(dir, 'heed.sqlite')}`, {
      sqliteSynchronous: 'normal',
    });
    try {
      const synchronous = await sql<{ synchronous: number }>`pragma synchronous`.execute(database.db);
      // 1 = NORMAL, and no flush of Heed's own: the log reaches the disk at checkpoints.
      expect(synchronous.rows[0]?.synchronous).toBe(1);
      await database.change((trx) => trx.insertInto('counters').values({ name: 'x', value: 1 }).execute());
      expect(database.commitStats.flushes).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('refuses Redis as a store and names the import command', async () => {
    await expect(openDatabase('redis://:secret@127.0.0.1:6379/0')).rejects.toMatchObject({
      code: 'STORE_RETIRED_BACKEND',
      message: expect.stringMatching(/npx heed import --from redis:\/\/:\*\*\*@127\.0\.0\.1:6379\/0/),
    });
  });

  it('fails at open, clearly and without the password, when PostgreSQL cannot be reached', async () => {
    const error = await openDatabase('postgres://heed:hunter2@127.0.0.1:1/heed').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(String((error as Error).message)).not.toContain('hunter2');
  });

  it('fails at open when the SQLite directory cannot be created or the file is not a database', async () => {
    await writeFile(path.join(dir, 'file'), 'x');
    await expect(
      openDatabase(`sqlite://${path.join(dir, 'file', 'sub', 'heed.sqlite')}`),
    ).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    await writeFile(path.join(dir, 'not.sqlite'), 'this is not an SQLite database, just text '.repeat(100));
    await expect(openDatabase(`sqlite://${path.join(dir, 'not.sqlite')}`)).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
  });

  it('refuses to work after close', async () => {
    const database = await openDatabase('memory://');
    await database.close();
    expect(() => database.change(async () => 1)).toThrow(expect.objectContaining({ code: 'STORE_CLOSED' }));
    await expect(database.ping()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
});

describe('migrations', () => {
  it('migrates an empty store at start, and a second start has nothing to run', async () => {
    const url = `sqlite://${path.join(dir, 'heed.sqlite')}`;
    const bare = await openDatabase(url, { migrations: 'none' });
    const before = await schemaStatus(bare);
    expect(before.pending).toEqual(Object.keys(MIGRATIONS));
    expect(before.migrations.every((m) => m.executedAt === undefined)).toBe(true);
    await bare.close();

    const first = await openDatabase(url);
    const after = await schemaStatus(first);
    expect(after.pending).toEqual([]);
    expect(after.migrations[0]?.executedAt).toBeInstanceOf(Date);
    expect(await migrateToLatest(first)).toEqual([]);
    await first.close();
  });

  it('brings a store at every earlier schema version up to date, in order', async () => {
    const names = Object.keys(MIGRATIONS);
    for (let upTo = 1; upTo < names.length; upTo += 1) {
      const url = `sqlite://${path.join(dir, `at-${upTo}.sqlite`)}`;
      const earlier = Object.fromEntries(names.slice(0, upTo).map((name) => [name, MIGRATIONS[name]!]));
      const old = await openDatabase(url, { migrations: 'none' });
      expect(await migrateToLatest(old, earlier)).toEqual(names.slice(0, upTo));
      expect(await migrateToLatest(old)).toEqual(names.slice(upTo));
      expect((await schemaStatus(old)).pending).toEqual([]);
      await old.close();
    }
  });

  it('refuses an unmigrated store in check mode (read-only tools) and says how to migrate', async () => {
    const url = `sqlite://${path.join(dir, 'heed.sqlite')}`;
    await (await openDatabase(url, { migrations: 'none' })).close();
    await expect(openDatabase(url, { migrations: 'check' })).rejects.toMatchObject({
      message: expect.stringContaining('npx heed db migrate'),
    });
  });

  it('refuses a store migrated by a newer Heed, naming its schema', async () => {
    const url = `sqlite://${path.join(dir, 'heed.sqlite')}`;
    const database = await openDatabase(url);
    await sql`insert into ${sql.table(MIGRATION_TABLE)} (name, timestamp) values ('0099-from-the-future', '2027-01-01T00:00:00.000Z')`.execute(
      database.db,
    );
    await database.close();
    await expect(openDatabase(url)).rejects.toMatchObject({
      code: 'STORE_SCHEMA_NEWER',
      message: expect.stringContaining('0099-from-the-future'),
    });
  });

  it('migrates an empty PostgreSQL schema, and two instances starting at once both come up', async () => {
    const schema = testSchema('migrate');
    try {
      const [a, b] = await Promise.all([
        openDatabase(postgresStoreUrl(schema)),
        openDatabase(postgresStoreUrl(schema)),
      ]);
      expect((await schemaStatus(a)).pending).toEqual([]);
      expect((await schemaStatus(b)).unknown).toEqual([]);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await dropPostgresSchema(schema);
    }
  });
});

describe('migrations on PostgreSQL with several schemas', () => {
  it('migrates a schema of its own even when another schema of the database already holds Heed', async () => {
    const [first, second] = [testSchema('first'), testSchema('second')];
    try {
      await (await openDatabase(postgresStoreUrl(first))).close();
      const other = await openDatabase(postgresStoreUrl(second));
      expect((await schemaStatus(other)).pending).toEqual([]);
      await other.change((trx) => trx.insertInto('counters').values({ name: 'x', value: 1 }).execute());
      await other.close();
    } finally {
      await Promise.all([dropPostgresSchema(first), dropPostgresSchema(second)]);
    }
  });
});

describe('group commit (SQLite)', () => {
  it('lets concurrent changes share transactions, and rolls back a failing one alone', async () => {
    const database = await openDatabase(`sqlite://${path.join(dir, 'heed.sqlite')}`);
    try {
      const before = { ...database.commitStats };
      const outcomes = await Promise.allSettled(
        Array.from({ length: 200 }, (_, i) =>
          database.change(async (trx) => {
            await trx
              .insertInto('counters')
              .values({ name: `c${i}`, value: i })
              .execute();
            if (i === 57) throw new Error('this change fails');
            return i;
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
      const rows = await database.db.selectFrom('counters').select('name').execute();
      expect(rows).toHaveLength(199);
      expect(rows.map((row) => row.name)).not.toContain('c57');
      const changes = database.commitStats.changes - before.changes;
      const transactions = database.commitStats.transactions - before.transactions;
      expect(changes).toBe(199);
      expect(transactions).toBeLessThan(changes / 10);
    } finally {
      await database.close();
    }
  });

  it('under load, lets changes from separate callbacks of one event-loop turn share a transaction', async () => {
    const database = await openDatabase(`sqlite://${path.join(dir, 'heed.sqlite')}`);
    try {
      await database.change((trx) =>
        trx.insertInto('counters').values({ name: 'first', value: 1 }).execute(),
      );
      const before = { ...database.commitStats };
      // Like requests read in one poll: each callback runs to its change before the next one starts.
      const changes = await Promise.all(
        Array.from(
          { length: 20 },
          (_, i) =>
            new Promise<void>((resolve, reject) =>
              setTimeout(() => {
                database
                  .change((trx) =>
                    trx
                      .insertInto('counters')
                      .values({ name: `c${i}`, value: i })
                      .execute(),
                  )
                  .then(() => resolve(), reject);
              }, 0),
            ),
        ),
      );
      expect(changes).toHaveLength(20);
      expect(database.commitStats.changes - before.changes).toBe(20);
      expect(database.commitStats.transactions - before.transactions).toBeLessThanOrEqual(2);
    } finally {
      await database.close();
    }
  });

  it('starts a lone change at once, without waiting for company', async () => {
    const database = await openDatabase(`sqlite://${path.join(dir, 'heed.sqlite')}`);
    try {
      const done = database.change((trx) =>
        trx.insertInto('counters').values({ name: 'x', value: 1 }).execute(),
      );
      // It is already running before this tick ends: nothing is queued behind a timer.
      await Promise.resolve();
      await done;
      expect(database.commitStats.transactions).toBe(1);
    } finally {
      await database.close();
    }
  });
});
