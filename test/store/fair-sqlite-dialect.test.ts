/**
 * The fair SQLite dialect: one connection handed to one holder at a time, in the order asked, so a
 * transaction is never interleaved with other queries, and a burst of queries all complete in order.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { FairSqliteDialect } from '../../src/store/fair-sqlite-dialect.ts';

interface Tables {
  items: { id: number; name: string };
}

let db: Kysely<Tables>;
afterEach(async () => {
  await db.destroy();
});

async function open(): Promise<Kysely<Tables>> {
  db = new Kysely<Tables>({ dialect: new FairSqliteDialect(new BetterSqlite3(':memory:')) });
  await sql`create table items (id integer primary key, name text not null)`.execute(db);
  return db;
}

describe('the fair SQLite dialect', () => {
  it('keeps a transaction whole: queries asked meanwhile wait for its commit', async () => {
    await open();
    let release!: () => void;
    const paused = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ id: 1, name: 'first' }).execute();
      await paused;
      await trx.insertInto('items').values({ id: 2, name: 'second' }).execute();
    });
    // Asked while the transaction holds the connection: answered only after it commits.
    const read = db.selectFrom('items').select('id').execute();
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await transaction;
    expect((await read).map((row) => row.id)).toEqual([1, 2]);
  });

  it('rolls a failed transaction back and serves the next holder', async () => {
    await open();
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ id: 1, name: 'kept?' }).execute();
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.selectFrom('items').selectAll().execute()).toEqual([]);
  });

  it('answers a burst of queries, each once, in the order asked', async () => {
    await open();
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        db
          .insertInto('items')
          .values({ id: i + 1, name: `item ${i + 1}` })
          .execute()
          .then(() => order.push(i + 1)),
      ),
    );
    expect(order).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    const { count } = await db
      .selectFrom('items')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    expect(count).toBe(500);
  });

  it('supports savepoints inside a transaction', async () => {
    await open();
    const trx = await db.startTransaction().execute();
    await trx.insertInto('items').values({ id: 1, name: 'kept' }).execute();
    const inner = await trx.savepoint('heed_change').execute();
    await inner.insertInto('items').values({ id: 2, name: 'undone' }).execute();
    await inner.rollbackToSavepoint('heed_change').execute();
    const kept = await inner.savepoint('heed_change').execute();
    await kept.insertInto('items').values({ id: 3, name: 'also kept' }).execute();
    await kept.releaseSavepoint('heed_change').execute();
    await trx.commit().execute();
    expect((await db.selectFrom('items').select('name').execute()).map((r) => r.name)).toEqual([
      'kept',
      'also kept',
    ]);
  });

  it('reuses its prepared statements, and they still answer after the schema changed', async () => {
    await open();
    const read = () => sql<Record<string, unknown>>`select * from items order by id`.execute(db);
    await db.insertInto('items').values({ id: 1, name: 'before' }).execute();
    expect((await read()).rows).toEqual([{ id: 1, name: 'before' }]);
    // A migration between two runs of the same (cached) statement.
    await sql`alter table items add column note text`.execute(db);
    expect((await read()).rows).toEqual([{ id: 1, name: 'before', note: null }]);
    await sql`drop table items`.execute(db);
    await expect(read()).rejects.toThrow(/no such table/);
  });

  it('keeps answering once more distinct statements ran than it keeps', async () => {
    await open();
    // 1,100 distinct statement texts, more than the connection keeps prepared.
    for (let id = 1; id <= 1_100; id += 1) {
      await db
        .insertInto('items')
        .values({ id, name: `n${id}` })
        .execute();
      const { rows } = await sql<{ n: number }>`select ${sql.raw(String(id))} as n`.execute(db);
      expect(rows).toEqual([{ n: id }]);
    }
    const { count } = await db
      .selectFrom('items')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    expect(count).toBe(1_100);
  });
});
