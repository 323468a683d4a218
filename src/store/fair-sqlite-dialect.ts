/**
 * Kysely's SQLite dialect with a fair connection lock. SQLite through better-sqlite3 is one synchronous
 * connection, which Kysely's driver locks around every query and transaction; but its mutex wakes every
 * waiter on each release, and all but one go back to waiting: with many queries in flight (a burst of
 * customer messages) that is work quadratic in the queue, measured at about a tenth of intake's CPU. This
 * driver hands the connection to the next waiter in line, in order, and runs a query at once when
 * nobody holds it. Its connection also keeps the statements it prepared, so a query Heed runs on every
 * message is parsed and planned by SQLite once, not on each run.
 */
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDatabase,
  SqliteDialect,
} from 'kysely';
import { LRUCache } from 'lru-cache';

/**
 * How many prepared statements a connection keeps. Heed's queries are a few hundred distinct texts; a
 * multi-row insert has one text per row count, so the cache is bounded, least recently used out first.
 */
const STATEMENT_CACHE_SIZE = 1_000;

type Statement = ReturnType<SqliteDatabase['prepare']>;

class SyncConnection implements DatabaseConnection {
  private readonly statements = new LRUCache<string, Statement>({ max: STATEMENT_CACHE_SIZE });
  /** Rows inserted, updated or deleted through this connection (committed or not). */
  rowsChanged = 0;

  constructor(private readonly database: SqliteDatabase) {}

  /** The statement for `sql`, prepared once (better-sqlite3 re-prepares it itself after a schema change). */
  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.database.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.prepare(query.sql);
    if (statement.reader) {
      return Promise.resolve({ rows: statement.all(query.parameters) as R[] });
    }
    const { changes, lastInsertRowid } = statement.run(query.parameters);
    this.rowsChanged += Number(changes);
    return Promise.resolve({
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
      rows: [],
    });
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield { rows: this.prepare(query.sql).all(query.parameters) as R[] };
  }
}

/** A lock handed from one holder to the next in line (first come, first served). */
class FairLock {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

/** Savepoint names are Heed's own identifiers; quoted all the same. */
const savepointName = (name: string) => `"${name.replaceAll('"', '""')}"`;

class FairSqliteDriver implements Driver {
  private readonly lock = new FairLock();

  constructor(
    private readonly database: SqliteDatabase,
    private readonly connection: SyncConnection,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.lock.acquire();
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${savepointName(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${savepointName(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${savepointName(name)}`));
  }

  async releaseConnection(): Promise<void> {
    this.lock.release();
  }

  async destroy(): Promise<void> {
    this.database.close();
  }
}

/** Kysely's SQLite dialect with the fair driver above. */
export class FairSqliteDialect extends SqliteDialect {
  private readonly connection: SyncConnection;

  constructor(private readonly database: SqliteDatabase) {
    super({ database });
    this.connection = new SyncConnection(database);
  }

  /** Rows changed through the connection so far: unchanged across a commit, nothing needs flushing. */
  get rowsChanged(): number {
    return this.connection.rowsChanged;
  }

  override createDriver(): Driver {
    return new FairSqliteDriver(this.database, this.connection);
  }
}
