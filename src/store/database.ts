/**
 * Opens Heed's relational store: SQLite (embedded, the default) or PostgreSQL (several instances),
 * both through Kysely, and brings its schema up to date. Every change runs in one transaction through
 * {@link HeedDatabase.change}; on SQLite concurrent changes share a transaction (group commit).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type KyselyPlugin, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { FairSqliteDialect } from './fair-sqlite-dialect.ts';
import { GroupCommit } from './group-commit.ts';
import type { HeedDatabase } from './heed-database.ts';
import { pgNotifications } from './pg-notifications.ts';
import { type MigrationMode, prepareSchema } from './schema-version.ts';
import { causeText, StoreError } from './store-error.ts';
import {
  type PostgresLocation,
  parseStoreUrl,
  type SqliteLocation,
  type StoreLocation,
} from './store-url.ts';
import type { HeedTables } from './tables.ts';
import { WalFlusher } from './wal-flusher.ts';

export type { HeedDatabase } from './heed-database.ts';

export interface OpenDatabaseOptions {
  /** Directory that relative `sqlite://./…` paths resolve against; defaults to `process.cwd()`. */
  readonly cwd?: string;
  /** PostgreSQL only: the schema to use (created if missing), for test isolation. Default `public`. */
  readonly pgSchema?: string;
  /**
   * `migrate` (servers, the default) brings the schema up to date; `check` refuses a store that is not
   * (read-only tools); `none` skips both (`heed db status`).
   */
  readonly migrations?: MigrationMode;
  /**
   * SQLite: flush every commit before acknowledging it (`full`, the default; done off the event loop, see
   * `wal-flusher.ts`) or at checkpoints only (`normal`).
   */
  readonly sqliteSynchronous?: 'full' | 'normal';
  /** PostgreSQL pool size per instance (default 10). */
  readonly poolSize?: number;
  /** PostgreSQL: the longest one statement may run before the server cancels it (default 15 s). */
  readonly statementTimeoutMs?: number;
}

const SQLITE_BUSY_TIMEOUT_MS = 5_000;
/** Also the longest a change waits for a free pooled connection. */
const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;
const POSTGRES_STATEMENT_TIMEOUT_MS = 15_000;
/** A transaction left open by a stuck or partitioned instance is rolled back by the server after this. */
const POSTGRES_IDLE_IN_TRANSACTION_MS = 30_000;
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Makes every query on a closed store fail with `STORE_CLOSED` instead of a driver error. */
function closedGuard(assertOpen: () => void): KyselyPlugin {
  return {
    transformQuery(args) {
      assertOpen();
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
}

/** Opens the store named by `url` (`HEED_STORE_URL`), checks it answers, and prepares its schema. */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<HeedDatabase> {
  const location = parseStoreUrl(url, options.cwd ?? process.cwd());
  const database = await openLocation(location, options);
  try {
    await database.ping();
    await prepareSchema(database, location, options.migrations ?? 'migrate');
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  return database;
}

async function openLocation(location: StoreLocation, options: OpenDatabaseOptions): Promise<HeedDatabase> {
  switch (location.kind) {
    case 'memory':
      return openSqlite(undefined, location.describe(), options);
    case 'sqlite':
      return openSqlite(location, location.describe(), options);
    case 'postgres':
      return openPostgres(location, options);
    case 'redis':
      throw new StoreError(
        'STORE_RETIRED_BACKEND',
        [
          `HEED_STORE_URL points at Redis (${location.describe()}), which Heed no longer uses as its store.`,
          'Heed keeps its records in tables: use SQLite for one instance (the default, sqlite://./data/heed.sqlite)',
          'or PostgreSQL for several (postgres://user@host:5432/heed). Copy what the Redis store holds with:',
          `  HEED_STORE_URL=<new store> npx heed import --from ${location.describe()}`,
        ].join('\n'),
      );
  }
}

function openSqliteConnection(
  file: string | undefined,
  where: string,
  synchronous: 'full' | 'normal',
): BetterSqlite3.Database {
  try {
    const raw = new BetterSqlite3(file ?? ':memory:', { timeout: SQLITE_BUSY_TIMEOUT_MS });
    if (file !== undefined) {
      const mode = raw.pragma('journal_mode = WAL', { simple: true });
      if (String(mode).toLowerCase() !== 'wal') {
        raw.close();
        throw new Error(`SQLite kept journal_mode=${String(mode)} (is the file on a network file system?)`);
      }
    }
    // A file's commits only append to the log (NORMAL); under `full` Heed flushes the log itself before
    // it acknowledges a change (WalFlusher), so an acknowledged message survives power loss. In memory
    // there is nothing to flush.
    raw.pragma(`synchronous = ${synchronous === 'normal' || file !== undefined ? 'NORMAL' : 'FULL'}`);
    raw.pragma('foreign_keys = ON');
    // Sorts and IN lists that no index serves build temporary b-trees; in a temporary file (SQLite's
    // default here) each costs a file's creation: a customer's last rating took 180 µs instead of 23.
    raw.pragma('temp_store = MEMORY');
    return raw;
  } catch (error) {
    throw new StoreError('STORE_UNAVAILABLE', `Cannot open the SQLite store ${where}: ${causeText(error)}`, {
      cause: error,
    });
  }
}

async function openSqlite(
  location: SqliteLocation | undefined,
  where: string,
  options: OpenDatabaseOptions,
): Promise<HeedDatabase> {
  const synchronous = options.sqliteSynchronous ?? 'full';
  if (location) {
    try {
      await mkdir(path.dirname(location.path), { recursive: true });
    } catch (error) {
      throw new StoreError(
        'STORE_UNAVAILABLE',
        `Cannot create the directory for the SQLite store ${where}: ${causeText(error)}`,
        { cause: error },
      );
    }
  }
  const writerRaw = openSqliteConnection(location?.path, where, synchronous);
  // A file gets a second connection for reads: with WAL it sees only committed data and never waits.
  // In memory there is one database per connection, so reads share the writer.
  const readerRaw = location ? openSqliteConnection(location.path, where, synchronous) : writerRaw;
  const writerDialect = new FairSqliteDialect(writerRaw);
  const writer = new Kysely<HeedTables>({ dialect: writerDialect });
  const reader =
    readerRaw === writerRaw ? writer : new Kysely<HeedTables>({ dialect: new FairSqliteDialect(readerRaw) });
  const flusher = location && synchronous === 'full' ? new WalFlusher(`${location.path}-wal`) : undefined;
  // A transaction that changed no row (a pass that found nothing to claim) wrote nothing to flush.
  let flushedUpTo = -1;
  const commits = new GroupCommit(
    writer,
    flusher &&
      (() => {
        const changed = writerDialect.rowsChanged;
        if (changed === flushedUpTo) return Promise.resolve();
        flushedUpTo = changed;
        return flusher.flush().catch((error: unknown) => {
          flushedUpTo = -1;
          throw new StoreError(
            'STORE_UNAVAILABLE',
            `The SQLite store ${where} could not flush a commit to disk: ${causeText(error)}`,
            { cause: error },
          );
        });
      }),
  );
  let closed: Promise<void> | undefined;
  const assertOpen = () => {
    if (closed) throw new StoreError('STORE_CLOSED', `The store ${where} is closed.`);
  };
  return {
    kind: 'sqlite',
    where,
    db: reader.withPlugin(closedGuard(assertOpen)),
    get commitStats() {
      return { ...commits.stats, flushes: flusher?.flushes ?? 0 };
    },
    change(work) {
      assertOpen();
      return commits.run(work);
    },
    async ping() {
      assertOpen();
      try {
        readerRaw.prepare('select 1').get();
      } catch (error) {
        throw new StoreError('STORE_UNAVAILABLE', `The store ${where} is unreachable: ${causeText(error)}`, {
          cause: error,
        });
      }
    },
    close() {
      closed ??= (async () => {
        await commits.idle();
        await flusher?.close();
        if (reader !== writer) await reader.destroy();
        await writer.destroy();
      })();
      return closed;
    },
  };
}

// BIGINT (epoch milliseconds, counters) as numbers: every value Heed stores fits in 2^53.
const INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

async function openPostgres(location: PostgresLocation, options: OpenDatabaseOptions): Promise<HeedDatabase> {
  const schema = options.pgSchema ?? location.schema;
  if (schema !== undefined && !SCHEMA_PATTERN.test(schema)) {
    throw new TypeError(`pgSchema "${schema}" is not usable: lower-case letters, digits and _.`);
  }
  const where = location.describe();
  const settings = [
    ...(schema ? [`-c search_path=${schema}`] : []),
    `-c statement_timeout=${options.statementTimeoutMs ?? POSTGRES_STATEMENT_TIMEOUT_MS}`,
    `-c idle_in_transaction_session_timeout=${POSTGRES_IDLE_IN_TRANSACTION_MS}`,
  ];
  const pool = new pg.Pool({
    connectionString: location.url,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    max: options.poolSize ?? 10,
    idleTimeoutMillis: 30_000,
    types: pgTypes,
    options: settings.join(' '),
  });
  // A client losing its connection emits 'error' (on the pool when idle, on the client when checked out);
  // unhandled, it kills the process. The query in flight fails with the cause and the pool replaces it.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<HeedTables>({ dialect: new PostgresDialect({ pool }) });
  let closed: Promise<void> | undefined;
  const assertOpen = () => {
    if (closed) throw new StoreError('STORE_CLOSED', `The store ${where} is closed.`);
  };
  const commitStats = { transactions: 0, changes: 0 };
  const database: HeedDatabase = {
    kind: 'postgres',
    where,
    db: db.withPlugin(closedGuard(assertOpen)),
    commitStats,
    notifications: pgNotifications({
      connectionString: location.url,
      schema,
      query: async (text, values) => {
        assertOpen();
        return pool.query(text, values);
      },
      connectTimeoutMs: POSTGRES_CONNECT_TIMEOUT_MS,
    }),
    // PostgreSQL flushes concurrent commits together by itself; each change is its own transaction.
    async change<T>(work: (trx: Transaction<HeedTables>) => Promise<T>) {
      assertOpen();
      const result = await db.transaction().execute(work);
      commitStats.transactions += 1;
      commitStats.changes += 1;
      return result;
    },
    async ping() {
      assertOpen();
      try {
        await sql`select 1`.execute(db);
      } catch (error) {
        throw new StoreError('STORE_UNAVAILABLE', `The store ${where} is unreachable: ${causeText(error)}`, {
          cause: error,
        });
      }
    },
    close() {
      closed ??= db.destroy();
      return closed;
    },
  };
  if (schema) {
    await database.ping();
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db).catch((error: unknown) => {
      // Two openers creating the schema at once collide on the catalog; the schema exists either way.
      if (!/duplicate key|already exists/.test(causeText(error))) throw error;
    });
  }
  return database;
}
