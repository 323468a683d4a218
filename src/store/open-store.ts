import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { KeyvPostgres } from '@keyv/postgres';
import KeyvRedis, { createClient } from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import {
  type PostgresLocation,
  parseStoreUrl,
  type RedisLocation,
  type SqliteLocation,
  type StoreKind,
  type StoreLocation,
} from './store-url.ts';
import type { DocumentCollection, DocumentStore } from './types.ts';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Directory that relative `sqlite://./…` paths resolve against; defaults to `process.cwd()`. */
  cwd?: string;
  /**
   * Prefix of the SQLite / PostgreSQL table name (`<prefix>heed_documents`), for test isolation.
   * Lower-case letters, digits and `_`.
   */
  tablePrefix?: string;
  /** Prefix of every Redis key (default `heed:`), for test isolation. */
  keyPrefix?: string;
}

/** Why a store operation failed; `cause` holds the backend's own error. */
export type StoreErrorCode = 'STORE_UNAVAILABLE' | 'STORE_OPERATION_FAILED' | 'STORE_CLOSED';

/** A failure of the document store. Messages name the store without its password. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

const TABLE_NAME = 'heed_documents';
const DEFAULT_REDIS_KEY_PREFIX = 'heed:';
// Reserved namespace for ping(); user namespaces cannot start with `_`.
const CONTROL_NAMESPACE = '_heed';
const PING_KEY = 'ping';
const NAMESPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/;
const TABLE_PREFIX_PATTERN = /^[a-z_][a-z0-9_]{0,39}$/;
const SQLITE_BUSY_TIMEOUT_MS = 5_000;
const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;
const REDIS_CONNECT_TIMEOUT_MS = 2_000;

/**
 * Opens the document store named by `url` (see `parseStoreUrl` for the forms). SQLite opens the
 * file at once (creating its directory, turning WAL on) and throws if it cannot; Redis and
 * PostgreSQL connect lazily, so call `ping()` to check that they are reachable. Opening never takes
 * the instance lock: that is the server's job (`acquireInstanceLock`), so read-only tools can open
 * the store beside a running server.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<DocumentStore> {
  const location = parseStoreUrl(url, options.cwd ?? process.cwd());
  const tablePrefix = options.tablePrefix ?? '';
  if (tablePrefix !== '' && !TABLE_PREFIX_PATTERN.test(tablePrefix)) {
    throw new TypeError(
      `tablePrefix "${tablePrefix}" is not usable in a table name: use lower-case letters, digits and _ (at most 40), starting with a letter or _.`,
    );
  }
  const keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
  const table = `${tablePrefix}${TABLE_NAME}`;

  const backend = await openBackend(location, table, keyPrefix);
  return createStore(location, backend);
}

// One namespace's Keyv instance with its own adapter (adapters carry the namespace, so never share one).
interface NamespaceHandle {
  readonly keyv: Keyv;
  // Maps a caller's key to the key handed to Keyv.
  storeKey(key: string): string;
  // Runs before each operation (Redis: connect on demand).
  ready(): Promise<void>;
  close(): Promise<void>;
}

interface Backend {
  readonly kind: StoreKind;
  openNamespace(namespace: string): NamespaceHandle;
  close(): Promise<void>;
}

async function openBackend(location: StoreLocation, table: string, keyPrefix: string): Promise<Backend> {
  switch (location.kind) {
    case 'memory':
      return memoryBackend();
    case 'sqlite':
      return sqliteBackend(location, table);
    case 'redis':
      return redisBackend(location, keyPrefix);
    case 'postgres':
      return postgresBackend(location, table);
  }
}

// Plain JSON instead of keyv's default serializer, which rewrites strings that start with `:` and walks
// values recursively: stored rows stay ordinary JSON that other tools can read.
function keyvOptions(namespace: string) {
  return {
    namespace,
    serialize: JSON.stringify,
    deserialize: JSON.parse,
    // Without this keyv's get() turns a backend failure into `undefined`.
    throwOnErrors: true,
    // keyv leaves a key that already starts with `<namespace>:` unprefixed in get() but prefixes it in
    // getMany(), so "x" and "issues:x" would alias; we prefix keys ourselves instead.
    useKeyPrefix: false,
  };
}

const noop = async (): Promise<void> => {};

function prefixed(namespace: string): (key: string) => string {
  return (key) => `${namespace}:${key}`;
}

function memoryBackend(): Backend {
  return {
    kind: 'memory',
    openNamespace(namespace) {
      const keyv = new Keyv(new Map(), keyvOptions(namespace));
      return { keyv, storeKey: prefixed(namespace), ready: noop, close: noop };
    },
    close: noop,
  };
}

async function sqliteBackend(location: SqliteLocation, table: string): Promise<Backend> {
  const uri = `sqlite://${location.path}`;
  const makeAdapter = () => {
    // One connection per adapter; they contend for the file's write lock, hence the busy timeout.
    const adapter = new KeyvSqlite({ uri, table, busyTimeout: SQLITE_BUSY_TIMEOUT_MS });
    // Errors are emitted as well as thrown; without a listener Node's EventEmitter would throw them again.
    adapter.on('error', () => {});
    // The adapter rejects an internal promise when the file cannot be opened; touching it here
    // attaches a handler so that failure surfaces on use instead of as an unhandled rejection.
    adapter.query('SELECT 1').catch(() => {});
    return adapter;
  };

  try {
    await mkdir(path.dirname(location.path), { recursive: true });
  } catch (error) {
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `Cannot create the directory for the SQLite store ${location.describe()}: ${causeText(error)}`,
      { cause: error },
    );
  }

  // WAL lets read-only tools read while the server writes; it is a property of the file, so set it
  // once, before the namespace connections open.
  const first = makeAdapter();
  try {
    const rows = (await first.query('PRAGMA journal_mode=WAL')) as Array<{ journal_mode?: string }>;
    const mode = rows[0]?.journal_mode?.toLowerCase();
    if (mode !== 'wal') {
      throw new Error(
        `SQLite kept journal_mode=${mode ?? 'unknown'} (is the file on a network file system?)`,
      );
    }
  } catch (error) {
    await first.disconnect().catch(() => {});
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `Cannot open the SQLite store ${location.describe()}: ${causeText(error)}`,
      { cause: error },
    );
  }
  await first.disconnect();

  return {
    kind: 'sqlite',
    openNamespace(namespace) {
      const adapter = makeAdapter();
      const keyv = new Keyv(adapter, keyvOptions(namespace));
      return { keyv, storeKey: prefixed(namespace), ready: noop, close: () => adapter.disconnect() };
    },
    close: noop,
  };
}

function redisBackend(location: RedisLocation, keyPrefix: string): Backend {
  return {
    kind: 'redis',
    openNamespace(namespace) {
      const client = createClient({
        url: location.url,
        // Shows up in CLIENT LIST, so operators can tell which connection serves what.
        name: clientName(`${keyPrefix}${namespace}`),
        // Fail commands at once while disconnected instead of queueing them until Redis returns.
        disableOfflineQueue: true,
        socket: {
          connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
          // Retry once, then give up and close the client: the next operation reconnects on demand,
          // so an outage makes calls fail within seconds instead of hanging on an endless retry loop.
          reconnectStrategy: (retries: number, cause: Error) => (retries >= 1 ? cause : 200),
        },
      });
      // Failures reach callers as rejected commands; an 'error' event with no listener would crash.
      client.on('error', () => {});
      const adapter = new KeyvRedis(client, { throwOnErrors: true, throwOnConnectError: true });
      // The adapter prefixes keys itself (`<keyPrefix><namespace>::<key>`) from the namespace keyv gives it.
      const keyv = new Keyv(adapter, keyvOptions(`${keyPrefix}${namespace}`));

      let connecting: Promise<unknown> | undefined;
      const ready = async (): Promise<void> => {
        if (client.isReady) {
          return;
        }
        if (connecting === undefined) {
          if (client.isOpen) {
            // Reconnecting in the background after a drop: a blip heals within one retry, so wait for
            // that, but no longer; if Redis is still away the command fails fast (offline queue off).
            await once(client, 'ready', { signal: AbortSignal.timeout(REDIS_CONNECT_TIMEOUT_MS) }).catch(
              () => {},
            );
            return;
          }
          // One shared connect: the adapter would call connect() once per concurrent operation, and the
          // second call throws "Socket already opened" and destroys the first.
          connecting = client.connect().finally(() => {
            connecting = undefined;
          });
        }
        await connecting;
      };
      const close = async (): Promise<void> => {
        if (client.isOpen) {
          await client.close();
        }
      };
      return { keyv, storeKey: (key) => key, ready, close };
    },
    close: noop,
  };
}

// CLIENT SETNAME accepts printable ASCII without spaces only.
function clientName(label: string): string {
  return label.replace(/[^!-~]/g, '_');
}

// The few members of pg's Pool that we use (pg ships no types and @types/pg is not installed).
interface PgPool {
  query(sql: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

type PgPoolConstructor = new (config: Record<string, unknown>) => PgPool;

// Loads the `pg` that @keyv/postgres itself depends on.
function loadPgPool(): PgPoolConstructor {
  const here = createRequire(import.meta.url);
  const fromAdapter = createRequire(here.resolve('@keyv/postgres'));
  return (fromAdapter('pg') as { Pool: PgPoolConstructor }).Pool;
}

async function postgresBackend(location: PostgresLocation, table: string): Promise<Backend> {
  const Pool = loadPgPool();
  // Our own pool: @keyv/postgres keeps one module-level pool that every adapter shares and that any
  // adapter's disconnect() ends, which would break the other namespaces and other stores.
  const pool = new Pool({
    connectionString: location.url,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    max: 10,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection emits 'error' on the pool; unhandled, it kills the process.
  // The next query reports the failure to its caller.
  pool.on('error', () => {});

  const createTable = `CREATE TABLE IF NOT EXISTS public.${table}(key VARCHAR(255) PRIMARY KEY, value TEXT )`;
  const query = async (sql: string, values?: unknown[]): Promise<unknown[]> => {
    try {
      return (await pool.query(sql, values)).rows;
    } catch (error) {
      // The adapter creates its table once, when constructed; if PostgreSQL was down then, the table
      // may still be missing now that it is up.
      if (pgErrorCode(error) !== '42P01') {
        throw error;
      }
      await pool.query(createTable).catch((createError: unknown) => {
        // Concurrent CREATE TABLE IF NOT EXISTS can collide on the catalog's unique index.
        if (pgErrorCode(createError) !== '23505') {
          throw createError;
        }
      });
      return (await pool.query(sql, values)).rows;
    }
  };

  class PooledKeyvPostgres extends KeyvPostgres {
    override async connect() {
      return query;
    }

    // The store ends the pool once, after every namespace is closed.
    override async disconnect(): Promise<void> {}
  }

  return {
    kind: 'postgres',
    openNamespace(namespace) {
      // uri only labels the adapter (keyv inspects it); connections come from our pool.
      const adapter = new PooledKeyvPostgres({ uri: location.describe(), table, dialect: 'postgres' });
      const keyv = new Keyv(adapter, keyvOptions(namespace));
      return { keyv, storeKey: prefixed(namespace), ready: noop, close: noop };
    },
    close: () => pool.end(),
  };
}

function createStore(location: StoreLocation, backend: Backend): DocumentStore {
  const where = location.describe();
  const collections = new Map<string, DocumentCollection>();
  const handles: NamespaceHandle[] = [];
  let control: NamespaceHandle | undefined;
  let closed: Promise<void> | undefined;

  const assertOpen = (): void => {
    if (closed !== undefined) {
      throw new StoreError('STORE_CLOSED', `The document store ${where} is closed.`);
    }
  };

  const open = (namespace: string): NamespaceHandle => {
    const handle = backend.openNamespace(namespace);
    handles.push(handle);
    return handle;
  };

  const run = async <T>(what: string, handle: NamespaceHandle, action: () => Promise<T>): Promise<T> => {
    assertOpen();
    try {
      await handle.ready();
      return await action();
    } catch (error) {
      throw new StoreError(
        'STORE_OPERATION_FAILED',
        `Document store ${where} could not ${what}: ${causeText(error)}`,
        { cause: error },
      );
    }
  };

  const makeCollection = (namespace: string, handle: NamespaceHandle): DocumentCollection => ({
    async get(key) {
      const storeKey = handle.storeKey(checkKey(key));
      return run(`get ${namespace}/${key}`, handle, () => handle.keyv.get(storeKey));
    },
    async getMany(keys) {
      const storeKeys = keys.map((key) => handle.storeKey(checkKey(key)));
      if (storeKeys.length === 0) {
        return [];
      }
      // keyv hands the whole list to the adapter's getMany (one query; order kept, misses undefined).
      return run(`get ${keys.length} keys from ${namespace}`, handle, () => handle.keyv.getMany(storeKeys));
    },
    async set(key, value, ttlMs) {
      const storeKey = handle.storeKey(checkKey(key));
      const ttl = checkTtl(ttlMs);
      await run(`set ${namespace}/${key}`, handle, () => handle.keyv.set(storeKey, value, ttl));
    },
    async setMany(entries) {
      const batch = entries.map(([key, value]) => ({ key: handle.storeKey(checkKey(key)), value }));
      if (batch.length === 0) return;
      await run(`setMany ${namespace} (${batch.length})`, handle, () => handle.keyv.setMany(batch));
    },
    async delete(key) {
      const storeKey = handle.storeKey(checkKey(key));
      return run(`delete ${namespace}/${key}`, handle, () => handle.keyv.delete(storeKey));
    },
  });

  return {
    kind: backend.kind,
    collection(namespace) {
      assertOpen();
      if (!NAMESPACE_PATTERN.test(namespace)) {
        throw new TypeError(
          `Namespace "${namespace}" is not valid: use letters, digits, "." and "-" (at most 64), starting with a letter or digit.`,
        );
      }
      let collection = collections.get(namespace);
      if (collection === undefined) {
        collection = makeCollection(namespace, open(namespace));
        collections.set(namespace, collection);
      }
      return collection;
    },
    async ping() {
      assertOpen();
      control ??= open(CONTROL_NAMESPACE);
      const handle = control;
      try {
        await handle.ready();
        await handle.keyv.get(handle.storeKey(PING_KEY));
      } catch (error) {
        throw new StoreError(
          'STORE_UNAVAILABLE',
          `Document store ${where} is unreachable: ${causeText(error)}`,
          {
            cause: error,
          },
        );
      }
    },
    close() {
      closed ??= (async () => {
        const results = await Promise.allSettled(handles.map((handle) => handle.close()));
        results.push(...(await Promise.allSettled([backend.close()])));
        const failure = results.find((result) => result.status === 'rejected');
        if (failure !== undefined) {
          throw new StoreError(
            'STORE_OPERATION_FAILED',
            `Document store ${where} did not close cleanly: ${causeText(failure.reason)}`,
            { cause: failure.reason },
          );
        }
      })();
      return closed;
    },
  };
}

function checkKey(key: string): string {
  if (typeof key !== 'string' || key === '') {
    throw new TypeError('Document keys must be non-empty strings.');
  }
  return key;
}

function checkTtl(ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined) {
    return undefined;
  }
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}.`);
  }
  // Redis takes whole milliseconds only (SET … PX).
  return Math.ceil(ttlMs);
}

function pgErrorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

// A readable reason; Node's AggregateError (IPv4 and IPv6 both refused) has an empty message.
function causeText(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') {
    const first: unknown = error.errors[0];
    return first instanceof Error ? first.message : 'connection failed';
  }
  if (error instanceof Error) {
    return error.message !== '' ? error.message : (pgErrorCode(error) ?? error.name);
  }
  return String(error);
}
