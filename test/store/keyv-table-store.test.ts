import { Keyv } from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HeedDatabase, openDatabase } from '../../src/store/database.ts';
import { KEYV_DEFAULT_TTL_MS, KeyvTableStore } from '../../src/store/keyv-table-store.ts';
import { TtlKeys } from '../../src/store/ttl-keys.ts';
import { capturedLogger } from '../support/captured-logger.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from './services.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const backends = [
  { name: 'SQLite', open: async () => ({ database: await openDatabase('memory://'), drop: async () => {} }) },
  {
    name: 'PostgreSQL',
    open: async () => {
      const schema = testSchema('keyv_table');
      return {
        database: await openDatabase(postgresStoreUrl(schema)),
        drop: () => dropPostgresSchema(schema),
      };
    },
  },
];

describe.each(backends)('keyv on the ttl_keys table ($name)', ({ open }) => {
  let database: HeedDatabase;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ database, drop } = await open());
  });
  afterAll(async () => {
    await database.close();
    await drop();
  });

  const keyv = (namespace: string, options: ConstructorParameters<typeof KeyvTableStore>[1] = {}) =>
    new Keyv({ store: new KeyvTableStore(new TtlKeys(database), options), namespace, throwOnErrors: true });

  const expiresAt = async (key: string) =>
    (
      await database.db
        .selectFrom('ttl_keys')
        .select('expires_at')
        .where('key', '=', key)
        .executeTakeFirstOrThrow()
    ).expires_at;

  it('keeps values in ttl_keys under keyv:<namespace>:, as keyv wrote them', async () => {
    const forms = keyv('forms');
    const button = { action: 'resolve', label: 'Resolve', form: { title: 'Resolve #1', fields: [] } };
    expect(await forms.set('resolve:abc', button, 60_000)).toBe(true);
    expect(await forms.get('resolve:abc')).toEqual(button);
    expect(await forms.has('resolve:abc')).toBe(true);
    expect(await forms.get('resolve:nothing')).toBeUndefined();
    // Strings keyv escapes (a leading colon) come back as they went in.
    await forms.set('odd', ':colon', 60_000);
    expect(await forms.get('odd')).toBe(':colon');
    const row = await database.db
      .selectFrom('ttl_keys')
      .select('value')
      .where('key', '=', 'keyv:forms:resolve:abc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.value)).toMatchObject({ value: button, expires: expect.any(Number) });
  });

  it('reads and deletes many at once', async () => {
    const users = keyv('many');
    await users.setMany([
      { key: 'U1', value: { name: 'Dana' }, ttl: 60_000 },
      { key: 'U2', value: { name: 'Lee' }, ttl: 60_000 },
    ]);
    expect(await users.getMany(['U1', 'U3', 'U2'])).toEqual([{ name: 'Dana' }, undefined, { name: 'Lee' }]);
    expect(await users.hasMany(['U1', 'U3'])).toEqual([true, false]);
    expect(await users.delete('U1')).toBe(true);
    expect(await users.delete('U1')).toBe(false);
    expect(await users.deleteMany(['U2'])).toBe(true);
    expect(await users.getMany(['U1', 'U2'])).toEqual([undefined, undefined]);
  });

  it('forgets a key once its TTL has passed', async () => {
    const short = keyv('short');
    await short.set('gone', 'soon', 80);
    await short.set('kept', 'later', 60_000);
    expect(await short.get('gone')).toBe('soon');
    await sleep(120);
    expect(await short.get('gone')).toBeUndefined();
    expect(await short.get('kept')).toBe('later');
  });

  it('goes by the row’s expiry, so an expired row is absent even before it is swept', async () => {
    let now = Date.now();
    const keys = new TtlKeys(database, () => now);
    const clocked = new Keyv({ store: new KeyvTableStore(keys), namespace: 'clocked' });
    await clocked.set('key', 'value', 60_000);
    const row = () =>
      database.db
        .selectFrom('ttl_keys')
        .select('key')
        .where('key', '=', 'keyv:clocked:key')
        .executeTakeFirst();
    now += 60_001;
    expect(await clocked.get('key')).toBeUndefined();
    await keys.sweep();
    expect(await row()).toBeDefined();
    now += 60_000;
    await keys.sweep();
    expect(await row()).toBeUndefined();
  });

  it('gives a key set without a TTL the long default expiry (the table needs one)', async () => {
    const before = Date.now();
    await keyv('forever').set('key', 'value');
    const expiry = await expiresAt('keyv:forever:key');
    expect(expiry).toBeGreaterThanOrEqual(before + KEYV_DEFAULT_TTL_MS);
    expect(expiry).toBeLessThan(Date.now() + KEYV_DEFAULT_TTL_MS + 1_000);
    await keyv('timed').set('key', 'value', 5_000);
    expect(await expiresAt('keyv:timed:key')).toBeLessThan(Date.now() + 5_001);
  });

  it("clears its own namespace only, never another's keys or the coordination keys beside them", async () => {
    const keys = new TtlKeys(database);
    await keys.set('lock:issue-1', 'instance-a', 60_000);
    await keys.set('claim:digest', 'instance-a', 60_000);
    const forms = keyv('clear-forms');
    const users = keyv('clear-users');
    await forms.set('a', 1, 60_000);
    await forms.set('b', 2, 60_000);
    await users.set('a', 3, 60_000);
    await forms.clear();
    expect(await forms.getMany(['a', 'b'])).toEqual([undefined, undefined]);
    expect(await users.get('a')).toBe(3);
    expect(await keys.get('lock:issue-1')).toBe('instance-a');
    expect(await keys.get('claim:digest')).toBe('instance-a');
  });

  it('treats a corrupt row as absent, without throwing and without logging its value', async () => {
    const { logger, lines } = capturedLogger();
    const keys = new TtlKeys(database);
    await keys.set('keyv:corrupt:half', '{"value":"secret-customer-te', 60_000);
    await keys.set('keyv:corrupt:list', '["secret-customer-text"]', 60_000);
    await keys.set('keyv:corrupt:plain', 'secret-customer-text', 60_000);
    const corrupt = keyv('corrupt', { logger });
    expect(await corrupt.get('half')).toBeUndefined();
    expect(await corrupt.get('list')).toBeUndefined();
    expect(await corrupt.getMany(['plain', 'half'])).toEqual([undefined, undefined]);
    expect(await corrupt.has('plain')).toBe(false);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.join('\n')).toContain('ignored an unreadable keyv row');
    expect(lines.join('\n')).not.toContain('secret-customer');
    // A good value written over it reads back.
    await corrupt.set('half', { fine: true }, 60_000);
    expect(await corrupt.get('half')).toEqual({ fine: true });
  });

  it('refuses values keyv did not serialize (a keyv without its serializer)', async () => {
    const store = new KeyvTableStore(new TtlKeys(database));
    await expect(store.set('raw:key', { not: 'a string' }, 60_000)).rejects.toThrow(TypeError);
    expect(await store.get('raw:key')).toBeUndefined();
  });
});
