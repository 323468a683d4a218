import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, StoreError } from '../../src/store/open-store.ts';
import type { DocumentStore } from '../../src/store/types.ts';
import {
  deleteRedisKeys,
  dropPostgresTable,
  runId,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  withPostgres,
  withRedis,
} from './services.ts';

const id = runId();

// Runs `action` and returns how long it took to reject, failing if it resolves.
async function timeToReject(action: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await action();
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected the operation to fail');
}

describe('openStore on an unreachable backend', () => {
  const cases = [
    { name: 'redis', url: 'redis://:s3cret-pw@127.0.0.1:1/0' },
    { name: 'postgres', url: 'postgres://heed:s3cret-pw@127.0.0.1:1/test' },
  ];

  for (const { name, url } of cases) {
    it(`${name}: ping and every operation throw within seconds, without the password`, async () => {
      const store = await openStore(url);
      try {
        const ping = await timeToReject(() => store.ping());
        expect(ping.error).toBeInstanceOf(StoreError);
        expect(ping.error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
        expect(String((ping.error as Error).message)).toMatch(/unreachable.*ECONNREFUSED/);
        expect(ping.ms).toBeLessThan(5_000);

        const docs = store.collection('issues');
        for (const operation of [
          () => docs.get('ISS-1'),
          () => docs.getMany(['ISS-1', 'ISS-2']),
          () => docs.set('ISS-1', { title: 'x' }),
          () => docs.set('dedupe', true, 1_000),
          () => docs.delete('ISS-1'),
        ]) {
          const { error, ms } = await timeToReject(operation);
          expect(error).toMatchObject({ code: 'STORE_OPERATION_FAILED' });
          expect(ms).toBeLessThan(5_000);
          expect((error as Error).message).not.toContain('s3cret-pw');
        }
        expect((ping.error as Error).message).not.toContain('s3cret-pw');
      } finally {
        await store.close();
      }
    });
  }

  it('sqlite: a path that cannot be created fails at open', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'heed-unreachable-'));
    try {
      // A regular file where a directory should be.
      await writeFile(path.join(dir, 'file'), 'x');
      const started = Date.now();
      await expect(
        openStore(`sqlite://${path.join(dir, 'file', 'sub', 'heed.sqlite')}`),
      ).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
      });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('openStore options', () => {
  it('rejects a table prefix that would be unsafe in SQL', async () => {
    await expect(openStore('memory://', { tablePrefix: 'x; DROP TABLE y' })).rejects.toThrow(/tablePrefix/);
    await expect(openStore('memory://', { tablePrefix: 'Upper' })).rejects.toThrow(/lower-case/);
  });

  it('rejects bad namespaces and empty keys', async () => {
    const store = await openStore('memory://');
    try {
      expect(() => store.collection('')).toThrow(/Namespace/);
      expect(() => store.collection('a:b')).toThrow(/Namespace/);
      expect(() => store.collection('_heed')).toThrow(/Namespace/);
      await expect(store.collection('ok').get('')).rejects.toThrow(/non-empty/);
    } finally {
      await store.close();
    }
  });

  it('reports a bad URL before touching anything', async () => {
    await expect(openStore('mysql://localhost/heed')).rejects.toMatchObject({ code: 'STORE_URL_INVALID' });
  });
});

describe('sqlite specifics', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'heed-sqlite-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('turns WAL on and keeps everything in one table of one file', async () => {
    const file = path.join(dir, 'wal', 'heed.sqlite');
    const store = await openStore(`sqlite://${file}`);
    await store.collection('issues').set('a', 1);
    await store.collection('threads').set('a', 2);
    await store.close();

    const raw = new KeyvSqlite({ uri: `sqlite://${file}` });
    try {
      expect(await raw.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      const rows = (await raw.query('SELECT key, value FROM heed_documents ORDER BY key')) as unknown[];
      expect(rows).toEqual([
        { key: 'issues:a', value: '{"value":1}' },
        { key: 'threads:a', value: '{"value":2}' },
      ]);
    } finally {
      await raw.disconnect();
    }
  });

  it('lets two stores in one process (a server and a read-only tool) use the same file at once', async () => {
    const url = `sqlite://${path.join(dir, 'shared.sqlite')}`;
    const server = await openStore(url);
    const tool = await openStore(url);
    try {
      const writes = Array.from({ length: 100 }, (_, i) =>
        (i % 2 === 0 ? server : tool).collection('issues').set(`k${i}`, i),
      );
      await Promise.all(writes);
      const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
      expect(await tool.collection('issues').getMany(keys)).toEqual(keys.map((_, i) => i));
      expect(await server.collection('issues').getMany(keys)).toEqual(keys.map((_, i) => i));
    } finally {
      await Promise.all([server.close(), tool.close()]);
    }
  });

  it('refuses a file that is not an SQLite database', async () => {
    const file = path.join(dir, 'not-a-db.sqlite');
    await writeFile(file, 'this is not a database, just text '.repeat(100));
    await expect(openStore(`sqlite://${file}`)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});

describe('redis specifics', () => {
  const keyPrefix = `heed-test-${id}-specifics:`;
  beforeAll(async () => {
    await withRedis(async (client) => client.ping());
  });
  afterAll(async () => {
    await deleteRedisKeys(keyPrefix);
  });

  it('uses native TTL and the documented key layout', async () => {
    const store = await openStore(TEST_REDIS_URL, { keyPrefix });
    try {
      await store.collection('dedupe').set('Ev123', true, 5_000);
      await store.collection('issues').set('ISS-1', { a: 1 });
      await withRedis(async (client) => {
        const ttl = await client.pTTL(`${keyPrefix}dedupe::Ev123`);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(5_000);
        expect(await client.pTTL(`${keyPrefix}issues::ISS-1`)).toBe(-1);
        expect(await client.get(`${keyPrefix}issues::ISS-1`)).toBe('{"value":{"a":1}}');
      });
    } finally {
      await store.close();
    }
  });

  it('reconnects on demand after its connections are killed', async () => {
    const reconnectPrefix = `${keyPrefix}reconnect:`;
    const store = await openStore(TEST_REDIS_URL, { keyPrefix: reconnectPrefix });
    try {
      const docs = store.collection('issues');
      await docs.set('survivor', 'v1');
      await store.ping();
      await withRedis(async (client) => {
        const list = await client.clientList();
        // Only this store's connections: other test files may be using Redis at the same time.
        const ours = list.filter((entry) => entry.name.startsWith(reconnectPrefix));
        expect(ours.length).toBeGreaterThanOrEqual(2);
        for (const entry of ours) {
          await client.clientKill({ filter: 'ID', id: Number(entry.id) });
        }
      });
      // Each client reconnects in the background; calls made meanwhile wait for it.
      expect(await docs.get('survivor')).toBe('v1');
      await expect(store.ping()).resolves.toBeUndefined();
      await docs.set('after-kill', 'v2');
      expect(await docs.get('after-kill')).toBe('v2');
    } finally {
      await store.close();
    }
  });
});

describe('postgres specifics', () => {
  const tablePrefix = `t_${id}_spec_`.toLowerCase();
  const otherPrefix = `t_${id}_other_`.toLowerCase();
  beforeAll(async () => {
    await withPostgres((pool) => pool.query('SELECT 1'));
  });
  afterAll(async () => {
    await dropPostgresTable(`${tablePrefix}heed_documents`);
    await dropPostgresTable(`${otherPrefix}heed_documents`);
  });

  it('two stores in one process do not break each other when one closes', async () => {
    const first = await openStore(TEST_POSTGRES_URL, { tablePrefix });
    const second = await openStore(TEST_POSTGRES_URL, { tablePrefix });
    const third: DocumentStore = await openStore(TEST_POSTGRES_URL, { tablePrefix: otherPrefix });
    try {
      for (const ns of ['issues', 'threads', 'dedupe']) {
        await first.collection(ns).set('k', ns);
        await third.collection(ns).set('k', `other-${ns}`);
      }
      await first.close();
      // With @keyv/postgres's shared module pool, this close would have ended the others' pool.
      expect(await second.collection('issues').get('k')).toBe('issues');
      expect(await third.collection('threads').get('k')).toBe('other-threads');
      await second.ping();
      await third.ping();
    } finally {
      await Promise.all([first.close(), second.close(), third.close()]);
    }
  });

  it('recreates its table if it disappears (as when PostgreSQL was down at start)', async () => {
    const store = await openStore(TEST_POSTGRES_URL, { tablePrefix });
    try {
      const docs = store.collection('issues');
      await docs.set('before', 1);
      await dropPostgresTable(`${tablePrefix}heed_documents`);
      expect(await docs.get('before')).toBeUndefined();
      await docs.set('after', 2);
      expect(await docs.get('after')).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('writes plain JSON rows', async () => {
    const store = await openStore(TEST_POSTGRES_URL, { tablePrefix });
    try {
      await store.collection('issues').set('json', { title: 'ünï 😀', tags: [':x'] });
    } finally {
      await store.close();
    }
    const rows = await withPostgres((pool) =>
      pool.query(`SELECT value FROM ${tablePrefix}heed_documents WHERE key = $1`, ['issues:json']),
    );
    expect(JSON.parse(String(rows.rows[0]?.value))).toEqual({ value: { title: 'ünï 😀', tags: [':x'] } });
  });
});
