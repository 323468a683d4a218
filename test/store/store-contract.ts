import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentStore } from '../../src/store/types.ts';

/** What a backend can promise beyond the common contract. */
export interface StoreContractOptions {
  /** Values outlive closing the store and opening it again (every backend except memory). */
  persistent: boolean;
}

let namespaceCounter = 0;
// A namespace no other test uses, so tests sharing one backend location cannot see each other.
function freshNamespace(label: string): string {
  namespaceCounter += 1;
  return `${label}-${namespaceCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

// About 5 MB of JSON with nested objects and non-ASCII text.
function bigDocument(): { items: Array<{ id: number; text: string; tags: string[] }> } {
  const items = Array.from({ length: 40_000 }, (_, id) => ({
    id,
    text: `Customer ${id} writes: the invoice page still fails 😤 — ünïcødé ok? ${'x'.repeat(60)}`,
    tags: ['billing', `t${id % 17}`],
  }));
  return { items };
}

/**
 * The behaviour every DocumentStore backend must show. `makeStore` opens a store on the same
 * backend location each time it is called (so a second call sees what the first one wrote).
 */
export function runStoreContract(
  name: string,
  makeStore: () => Promise<DocumentStore>,
  options: StoreContractOptions = { persistent: true },
): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let store: DocumentStore;

    beforeEach(async () => {
      store = await makeStore();
    });

    afterEach(async () => {
      await store.close();
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('returns undefined for a missing key', async () => {
      const docs = store.collection(freshNamespace('missing'));
      expect(await docs.get('nobody-wrote-this')).toBeUndefined();
    });

    it('round-trips nested objects, arrays, numbers, booleans, null and unicode', async () => {
      const docs = store.collection(freshNamespace('roundtrip'));
      const issue = {
        id: 'ISS-1',
        schemaVersion: 3,
        title: 'Läuft nicht — 请帮忙 🚒🔥 (emoji 👩🏽‍💻, flags 🇫🇷)',
        open: true,
        closed: false,
        owner: null,
        priority: 2.5,
        negative: -17,
        nested: { deep: { deeper: { list: [1, 'two', { three: [3] }, [], {}] } } },
        tags: ['a', 'b', ':starts-with-colon', ':base64:not-really'],
        empty: '',
      };
      await docs.set('ISS-1', issue);
      expect(await docs.get('ISS-1')).toEqual(issue);

      await docs.set('array', [1, null, 'x', false]);
      expect(await docs.get('array')).toEqual([1, null, 'x', false]);
      await docs.set('number', 0);
      expect(await docs.get('number')).toBe(0);
      await docs.set('false', false);
      expect(await docs.get('false')).toBe(false);
      await docs.set('string', '🙂');
      expect(await docs.get('string')).toBe('🙂');
      await docs.set('key with spaces/and:colons 🔑', { ok: true });
      expect(await docs.get('key with spaces/and:colons 🔑')).toEqual({ ok: true });
    });

    it('overwrites a value', async () => {
      const docs = store.collection(freshNamespace('overwrite'));
      await docs.set('k', { version: 1 });
      await docs.set('k', { version: 2, extra: ['x'] });
      expect(await docs.get('k')).toEqual({ version: 2, extra: ['x'] });
    });

    it('delete reports whether something was deleted', async () => {
      const docs = store.collection(freshNamespace('delete'));
      await docs.set('k', 'v');
      expect(await docs.delete('k')).toBe(true);
      expect(await docs.get('k')).toBeUndefined();
      expect(await docs.delete('k')).toBe(false);
      expect(await docs.delete('never-existed')).toBe(false);
    });

    it('setMany stores every entry and overwrites existing ones', async () => {
      const docs = store.collection(freshNamespace('bulk'));
      await docs.set('k1', { n: 0 });
      const entries = Array.from({ length: 300 }, (_, i) => [`k${i}`, { n: i, label: `é${i}` }] as const);
      await docs.setMany(entries);
      await docs.setMany([]);
      const keys = entries.map(([key]) => key);
      expect(await docs.getMany(keys)).toEqual(entries.map(([, value]) => value));
    });

    it('getMany keeps the order of the keys and gives undefined for missing ones', async () => {
      const docs = store.collection(freshNamespace('many'));
      await docs.set('a', { n: 1 });
      await docs.set('b', { n: 2 });
      await docs.set('c', { n: 3 });
      expect(await docs.getMany(['c', 'missing', 'a', 'b', 'a'])).toEqual([
        { n: 3 },
        undefined,
        { n: 1 },
        { n: 2 },
        { n: 1 },
      ]);
      expect(await docs.getMany([])).toEqual([]);
      expect(await docs.getMany(['x', 'y'])).toEqual([undefined, undefined]);
    });

    it('keeps namespaces isolated', async () => {
      const issues = store.collection(freshNamespace('issues'));
      const threads = store.collection(freshNamespace('threads'));
      await issues.set('same-key', { from: 'issues' });
      await threads.set('same-key', { from: 'threads' });
      expect(await issues.get('same-key')).toEqual({ from: 'issues' });
      expect(await threads.get('same-key')).toEqual({ from: 'threads' });
      expect(await threads.getMany(['same-key'])).toEqual([{ from: 'threads' }]);

      expect(await issues.delete('same-key')).toBe(true);
      expect(await issues.get('same-key')).toBeUndefined();
      expect(await threads.get('same-key')).toEqual({ from: 'threads' });
    });

    it('does not confuse a key with the same key prefixed by the namespace', async () => {
      const namespace = freshNamespace('alias');
      const docs = store.collection(namespace);
      await docs.set('x', 'plain');
      await docs.set(`${namespace}:x`, 'prefixed');
      expect(await docs.get('x')).toBe('plain');
      expect(await docs.get(`${namespace}:x`)).toBe('prefixed');
      expect(await docs.getMany(['x', `${namespace}:x`])).toEqual(['plain', 'prefixed']);
    });

    it('returns the same collection object for the same namespace', () => {
      const namespace = freshNamespace('same');
      expect(store.collection(namespace)).toBe(store.collection(namespace));
    });

    it('expires a value after its ttl', async () => {
      const docs = store.collection(freshNamespace('ttl'));
      await docs.set('short', { dedupe: true }, 300);
      await docs.set('long', { dedupe: true }, 60_000);
      await docs.set('forever', { dedupe: true });
      expect(await docs.get('short')).toEqual({ dedupe: true });
      await sleep(600);
      expect(await docs.get('short')).toBeUndefined();
      expect(await docs.getMany(['short', 'long', 'forever'])).toEqual([
        undefined,
        { dedupe: true },
        { dedupe: true },
      ]);
    });

    it('refuses a ttl that is not a positive number', async () => {
      const docs = store.collection(freshNamespace('badttl'));
      await expect(docs.set('k', 1, 0)).rejects.toThrow(/ttlMs/);
      await expect(docs.set('k', 1, -5)).rejects.toThrow(/ttlMs/);
      await expect(docs.set('k', 1, Number.NaN)).rejects.toThrow(/ttlMs/);
      expect(await docs.get('k')).toBeUndefined();
    });

    it.skipIf(!options.persistent)('keeps values after the store is closed and opened again', async () => {
      const namespace = freshNamespace('durable');
      await store.collection(namespace).set('ISS-9', { title: 'survives a restart ✅', n: [1, 2] });
      await store.collection(namespace).set('gone', 'soon', 60_000);
      await store.close();

      const reopened = await makeStore();
      try {
        const docs = reopened.collection(namespace);
        expect(await docs.get('ISS-9')).toEqual({ title: 'survives a restart ✅', n: [1, 2] });
        expect(await docs.get('gone')).toBe('soon');
      } finally {
        await reopened.close();
      }
    });

    it('stores a 5 MB document', async () => {
      const docs = store.collection(freshNamespace('big'));
      const big = bigDocument();
      expect(JSON.stringify(big).length).toBeGreaterThan(5_000_000);
      await docs.set('big', big);
      const back = await docs.get('big');
      expect(back).toEqual(big);
    });

    it('survives 200 concurrent writes to different keys', async () => {
      const docs = store.collection(freshNamespace('concurrent'));
      const keys = Array.from({ length: 200 }, (_, i) => `key-${i}`);
      await Promise.all(keys.map((key, i) => docs.set(key, { i, label: `n°${i} ✨` })));
      const values = await docs.getMany(keys);
      expect(values).toEqual(keys.map((_, i) => ({ i, label: `n°${i} ✨` })));
    });

    it('refuses to work after close', async () => {
      const docs = store.collection(freshNamespace('closed'));
      await store.close();
      await expect(docs.get('k')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      expect(() => store.collection('other')).toThrow(/closed/);
      // close() is idempotent, so afterEach closing again is fine.
      await expect(store.close()).resolves.toBeUndefined();
    });
  });
}
