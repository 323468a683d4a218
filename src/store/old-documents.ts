/**
 * Reads the keyv documents of a Heed 0.1 store, for `heed import`, and never writes to it: an SQLite file
 * opened read-only, a PostgreSQL table read in a read-only transaction, Redis through SCAN and MGET only.
 * The layout, as Heed 0.1 wrote it: on SQLite and PostgreSQL a table `heed_documents(key, value)` with
 * keys `<namespace>:<key>`; on Redis keys `<prefix><namespace>::<key>` (prefix `heed:` unless
 * `HEED_KEY_PREFIX` said otherwise). Every value is keyv's envelope, plain JSON:
 * `{"value":<document>}`, with `"expires":<epoch ms>` for a document stored with a TTL.
 */
import { existsSync, statSync, unlinkSync } from 'node:fs';
import { createClient } from '@keyv/redis';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { HeedError } from '../core/errors.ts';
import { lockHolder } from './instance-lock.ts';
import { DOCUMENT_TABLE, MIGRATION_TABLE } from './schema-version.ts';
import { causeText, StoreError } from './store-error.ts';
import type { PostgresLocation, RedisLocation, SqliteLocation, StoreLocation } from './store-url.ts';

/** The Redis key prefix of Heed 0.1 when `HEED_KEY_PREFIX` was not set. */
export const DEFAULT_OLD_KEY_PREFIX = 'heed:';

/** Heed 0.1's namespace names: letters, digits, `.` and `-`, never `:`. */
const NAMESPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/;
/** Keys that are no document of any namespace (Redis coordination keys under the same prefix). */
export const NO_NAMESPACE = '';

const CONNECT_TIMEOUT_MS = 5_000;
const SCAN_COUNT = 1_000;

/** A Heed 0.1 store, open for reading. */
export interface OldDocumentStore {
  /** The store for messages, without its password. */
  readonly where: string;
  /** Every key, grouped by namespace (keys without their namespace); {@link NO_NAMESPACE} for the rest. */
  listKeys(): Promise<Map<string, string[]>>;
  /** The stored text of some keys of one namespace; a key deleted since it was listed is absent. */
  read(namespace: string, keys: readonly string[]): Promise<Map<string, string>>;
  close(): Promise<void>;
}

/** What one stored value holds: a document, a document whose TTL ran out, or something unreadable. */
export type StoredDocument =
  | { readonly kind: 'document'; readonly value: unknown }
  | { readonly kind: 'expired'; readonly expiredAt: number }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** Unwraps keyv's envelope. A document whose `expires` has passed is one keyv would no longer return. */
export function unwrapDocument(text: string, now: number): StoredDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'unreadable', reason: 'the stored text is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || !('value' in parsed)) {
    return { kind: 'unreadable', reason: 'the stored JSON is not a keyv document ({"value": …})' };
  }
  const { value, expires } = parsed as { value: unknown; expires?: unknown };
  if (expires !== undefined && expires !== null) {
    if (typeof expires !== 'number' || !Number.isFinite(expires)) {
      return { kind: 'unreadable', reason: 'its "expires" is not a time' };
    }
    if (expires <= now) return { kind: 'expired', expiredAt: expires };
  }
  return { kind: 'document', value };
}

/** Opens a Heed 0.1 store for reading. Throws a StoreError when it cannot be reached. */
export async function openOldDocuments(
  location: StoreLocation,
  options: { readonly redisKeyPrefix?: string | undefined } = {},
): Promise<OldDocumentStore> {
  switch (location.kind) {
    case 'sqlite':
      return openSqliteDocuments(location);
    case 'postgres':
      return openPostgresDocuments(location);
    case 'redis':
      return openRedisDocuments(location, options.redisKeyPrefix ?? DEFAULT_OLD_KEY_PREFIX);
    case 'memory':
      throw new HeedError('IMPORT_SOURCE_INVALID', 'memory:// keeps nothing, so there is nothing to import.');
  }
}

function groupKey(groups: Map<string, string[]>, namespace: string, key: string): void {
  const list = groups.get(namespace);
  if (list) list.push(key);
  else groups.set(namespace, [key]);
}

/** `issues:abc` → namespace `issues`, key `abc` (namespaces never hold `:`). */
function groupSqlKeys(fullKeys: Iterable<string>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const fullKey of fullKeys) {
    const colon = fullKey.indexOf(':');
    const namespace = colon === -1 ? '' : fullKey.slice(0, colon);
    if (NAMESPACE_PATTERN.test(namespace)) groupKey(groups, namespace, fullKey.slice(colon + 1));
    else groupKey(groups, NO_NAMESPACE, fullKey);
  }
  return groups;
}

function notAnOldStore(where: string, hasTables: boolean): HeedError {
  return new HeedError(
    'IMPORT_SOURCE_INVALID',
    hasTables
      ? `${where} already keeps its records in tables: it is a store of this Heed, not one of Heed 0.1, so there is nothing to import.`
      : `${where} holds no ${DOCUMENT_TABLE} table, so it is not a Heed 0.1 store. Check --from.`,
  );
}

function openSqliteDocuments(location: SqliteLocation): OldDocumentStore {
  const where = location.describe();
  const file = location.path;
  if (!existsSync(file)) {
    throw new HeedError('IMPORT_SOURCE_INVALID', `There is no file at ${file}. Check --from.`);
  }
  // A read-only connection to a WAL file creates its -wal and -shm files when they are missing; ones
  // this import created are removed again afterwards, so the old store's directory is left as it was.
  const created = ['-wal', '-shm'].filter((suffix) => !existsSync(`${file}${suffix}`));
  let raw: BetterSqlite3.Database;
  try {
    raw = new BetterSqlite3(file, { readonly: true, fileMustExist: true, timeout: CONNECT_TIMEOUT_MS });
    raw.prepare('select count(*) from sqlite_master').get();
  } catch (error) {
    throw new StoreError('STORE_UNAVAILABLE', `Cannot read the SQLite store ${where}: ${causeText(error)}`, {
      cause: error,
    });
  }
  const hasTable = (name: string) =>
    raw.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name) !== undefined;
  const tidy = () => {
    raw.close();
    if (!created.includes('-wal')) return;
    const wal = `${file}-wal`;
    // Only an empty log is ours to remove: anything in it was written by someone else meanwhile.
    if (existsSync(wal) && statSync(wal).size > 0) return;
    for (const suffix of created) {
      try {
        unlinkSync(`${file}${suffix}`);
      } catch {
        // Already gone, or not ours to remove: either way nothing in the store depends on it.
      }
    }
  };
  if (!hasTable(DOCUMENT_TABLE)) {
    const tables = hasTable(MIGRATION_TABLE);
    tidy();
    throw notAnOldStore(where, tables);
  }
  // One read transaction: every read below sees the same snapshot of the file.
  raw.exec('BEGIN');
  const read = raw.prepare<[string], { key: string; value: string | null }>(
    `select key, value from ${DOCUMENT_TABLE} where key in (select value from json_each(?))`,
  );
  return {
    where,
    async listKeys() {
      const keys = raw.prepare(`select key from ${DOCUMENT_TABLE}`).pluck().iterate() as Iterable<string>;
      return groupSqlKeys(keys);
    },
    async read(namespace, keys) {
      const rows = read.all(JSON.stringify(keys.map((key) => `${namespace}:${key}`)));
      return new Map(
        rows.flatMap((row) => (row.value === null ? [] : [[row.key.slice(namespace.length + 1), row.value]])),
      );
    },
    async close() {
      if (!raw.open) return;
      raw.exec('COMMIT');
      tidy();
    },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function openPostgresDocuments(location: PostgresLocation): Promise<OldDocumentStore> {
  const where = location.describe();
  const schema = location.schema ?? 'public';
  const pool = new pg.Pool({
    connectionString: location.url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    max: 1,
    // The server refuses every write on this connection, whatever a bug below might try.
    options: '-c default_transaction_read_only=on',
  });
  // An idle client losing its connection emits 'error' on the pool; unhandled, it kills the process.
  pool.on('error', () => {});
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `Cannot reach the PostgreSQL store ${where}: ${causeText(error)}`,
      {
        cause: error,
      },
    );
  }
  const release = async () => {
    client.release();
    await pool.end();
  };
  try {
    const tables = await client.query<{ table_name: string }>(
      'select table_name from information_schema.tables where table_schema = $1 and table_name = any($2)',
      [schema, [DOCUMENT_TABLE, MIGRATION_TABLE]],
    );
    const names = new Set(tables.rows.map((row) => row.table_name));
    if (!names.has(DOCUMENT_TABLE))
      throw notAnOldStore(`${where} (schema ${schema})`, names.has(MIGRATION_TABLE));
    // One snapshot for the whole import, in a transaction that cannot write.
    await client.query('begin isolation level repeatable read read only');
  } catch (error) {
    await release().catch(() => undefined);
    if (error instanceof HeedError) throw error;
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `Cannot read the PostgreSQL store ${where}: ${causeText(error)}`,
      {
        cause: error,
      },
    );
  }
  const table = `${quoteIdent(schema)}.${DOCUMENT_TABLE}`;
  return {
    where,
    async listKeys() {
      const { rows } = await client.query<{ key: string }>(`select key from ${table}`);
      return groupSqlKeys(rows.map((row) => row.key));
    },
    async read(namespace, keys) {
      const { rows } = await client.query<{ key: string; value: string | null }>(
        `select key, value from ${table} where key = any($1::text[])`,
        [keys.map((key) => `${namespace}:${key}`)],
      );
      return new Map(
        rows.flatMap((row) => (row.value === null ? [] : [[row.key.slice(namespace.length + 1), row.value]])),
      );
    },
    async close() {
      await client.query('commit').catch(() => undefined);
      await release();
    },
  };
}

/** Escapes Redis glob characters, so a prefix matches only itself. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}

async function openRedisDocuments(location: RedisLocation, prefix: string): Promise<OldDocumentStore> {
  const where = location.describe();
  const client = createClient({
    url: location.url,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false },
  });
  // Failures reach callers as rejected commands; an 'error' event with no listener would crash.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new StoreError('STORE_UNAVAILABLE', `Cannot reach the Redis store ${where}: ${causeText(error)}`, {
      cause: error,
    });
  }
  const fail = (what: string, error: unknown) =>
    new StoreError(
      'STORE_OPERATION_FAILED',
      `Could not ${what} in the Redis store ${where}: ${causeText(error)}`,
      {
        cause: error,
      },
    );
  const storeKey = (namespace: string, key: string) => `${prefix}${namespace}::${key}`;
  return {
    where,
    async listKeys() {
      // SCAN may return a key more than once; the sets keep each once.
      const sets = new Map<string, Set<string>>();
      const add = (namespace: string, key: string) => {
        const set = sets.get(namespace);
        if (set) set.add(key);
        else sets.set(namespace, new Set([key]));
      };
      try {
        for await (const batch of client.scanIterator({
          MATCH: `${globEscape(prefix)}*`,
          COUNT: SCAN_COUNT,
        })) {
          for (const fullKey of batch) {
            const rest = fullKey.slice(prefix.length);
            const separator = rest.indexOf('::');
            const namespace = separator === -1 ? '' : rest.slice(0, separator);
            // The coordination of several instances keeps its own keys under the same prefix.
            if (NAMESPACE_PATTERN.test(namespace)) add(namespace, rest.slice(separator + 2));
            else add(NO_NAMESPACE, fullKey);
          }
        }
      } catch (error) {
        throw fail('list the keys', error);
      }
      if (sets.size === 0) {
        throw new HeedError(
          'IMPORT_SOURCE_INVALID',
          `${where} holds no key starting with "${prefix}", so there are no Heed 0.1 documents to import. If the old server ran with HEED_KEY_PREFIX, pass the same prefix with --key-prefix.`,
        );
      }
      return new Map([...sets].map(([namespace, keys]) => [namespace, [...keys]]));
    },
    async read(namespace, keys) {
      if (keys.length === 0) return new Map();
      let values: (string | null)[];
      try {
        // MGET answers nil for a missing key or one that holds no string: neither is a document.
        values = await client.mGet(keys.map((key) => storeKey(namespace, key)));
      } catch (error) {
        throw fail(`read ${keys.length} ${namespace} documents`, error);
      }
      const out = new Map<string, string>();
      keys.forEach((key, index) => {
        const value = values[index];
        if (typeof value === 'string') out.set(key, value);
      });
      return out;
    },
    async close() {
      if (client.isOpen) await client.close();
    },
  };
}

/**
 * Refuses to read an SQLite store that a Heed server still writes: what it wrote after the import would
 * be missing from the new store.
 */
export async function assertOldStoreIdle(location: StoreLocation): Promise<void> {
  if (location.kind !== 'sqlite') return;
  const holder = await lockHolder(location.path);
  if (holder === undefined) return;
  throw new HeedError(
    'IMPORT_SOURCE_IN_USE',
    `A Heed server (process ${holder.pid} on ${holder.host}) is still using ${location.path}. Stop it first, so that nothing it writes after the import is left behind in the old store.`,
    { pid: holder.pid },
  );
}
