import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FairSqliteDialect } from '../../src/store/fair-sqlite-dialect.ts';
import { GroupCommit } from '../../src/store/group-commit.ts';
import { WalFlusher } from '../../src/store/wal-flusher.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'heed-durable-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Tables {
  notes: { id: number; text: string };
}

/** A flush the test finishes (or fails) by hand. */
function manualFlushes() {
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  return {
    pending,
    durable: () =>
      new Promise<void>((resolve, reject) => {
        pending.push({ resolve, reject });
      }),
  };
}

function openNotes(): { db: Kysely<Tables>; raw: BetterSqlite3.Database } {
  const raw = new BetterSqlite3(':memory:');
  raw.exec('create table notes (id integer primary key, text text not null)');
  return { db: new Kysely<Tables>({ dialect: new FairSqliteDialect(raw) }), raw };
}

const settled = async <T>(promise: Promise<T>) => {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  promise.then(
    () => {
      state = 'resolved';
    },
    () => {
      state = 'rejected';
    },
  );
  // Let every callback already due run.
  await new Promise((resolve) => setImmediate(resolve));
  return state;
};

describe('durable group commit', () => {
  it('acknowledges a change only once its flush is done; what comes meanwhile shares the next commit', async () => {
    const { db, raw } = openNotes();
    const flushes = manualFlushes();
    const commits = new GroupCommit(db, flushes.durable);
    const count = () => raw.prepare('select count(*) as n from notes').get();
    try {
      const first = commits.run((trx) => trx.insertInto('notes').values({ id: 1, text: 'a' }).execute());
      await new Promise((resolve) => setImmediate(resolve));
      // Committed (visible) but not yet flushed: not acknowledged.
      expect(count()).toEqual({ n: 1 });
      expect(await settled(first)).toBe('pending');
      expect(flushes.pending).toHaveLength(1);

      // Changes that come while the flush runs wait for it, then commit together.
      const later = [2, 3].map((id) =>
        commits.run((trx) => trx.insertInto('notes').values({ id, text: 'b' }).execute()),
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(count()).toEqual({ n: 1 });

      flushes.pending[0]!.resolve();
      expect(await settled(first)).toBe('resolved');
      expect(count()).toEqual({ n: 3 });
      expect(commits.stats).toEqual({ transactions: 2, changes: 3 });
      expect(await settled(later[0]!)).toBe('pending');
      expect(flushes.pending).toHaveLength(2);
      flushes.pending[1]!.resolve();
      expect(await settled(Promise.all(later))).toBe('resolved');
      await commits.idle();
    } finally {
      await db.destroy();
    }
  });

  it('refuses the changes of a failed flush, while a refused change keeps its own error', async () => {
    const again = openNotes();
    const flaky = manualFlushes();
    const group = new GroupCommit(again.db, flaky.durable);
    const both = [
      group.run((trx) => trx.insertInto('notes').values({ id: 1, text: 'a' }).execute()),
      group.run(async () => {
        throw new Error('refused by its own work');
      }),
    ];
    const outcomes = Promise.allSettled(both);
    await new Promise((resolve) => setImmediate(resolve));
    flaky.pending[0]!.reject(new Error('disk refused the flush'));
    const [stored, refused] = await outcomes;
    expect(stored).toMatchObject({ status: 'rejected', reason: { message: 'disk refused the flush' } });
    expect(refused).toMatchObject({ status: 'rejected', reason: { message: 'refused by its own work' } });
    await group.idle();
    await again.db.destroy();
  });
});

describe('WAL flusher', () => {
  it('shares one flush among the callers that come while one runs', async () => {
    const wal = path.join(dir, 'heed.sqlite-wal');
    await writeFile(wal, 'log');
    const flusher = new WalFlusher(wal);
    try {
      await Promise.all(Array.from({ length: 20 }, () => flusher.flush()));
      // The first caller's flush, then one more for everyone who came while it ran.
      expect(flusher.flushes).toBe(2);
      await flusher.flush();
      expect(flusher.flushes).toBe(3);
    } finally {
      await flusher.close();
    }
  });

  it('has nothing to flush before SQLite has written a log', async () => {
    const flusher = new WalFlusher(path.join(dir, 'missing.sqlite-wal'));
    await expect(flusher.flush()).resolves.toBeUndefined();
    expect(flusher.flushes).toBe(0);
    await flusher.close();
  });
});
