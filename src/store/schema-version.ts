/**
 * The store's schema version: migrations run at start (Kysely's Migrator over the files in
 * `migrations/`), a store migrated by a newer Heed is refused, and a store still in the document format
 * of Heed 0.1 is refused with the command that imports it.
 */
import { type DatabaseIntrospector, type Kysely, type Migration, Migrator, sql } from 'kysely';
import { isPostgres } from './dialect.ts';
import type { HeedDatabase } from './heed-database.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { causeText, StoreError } from './store-error.ts';
import type { StoreLocation } from './store-url.ts';

/** `migrate` brings the schema up to date, `check` refuses an out-of-date one, `none` does neither. */
export type MigrationMode = 'migrate' | 'check' | 'none';

export const MIGRATION_TABLE = 'heed_migrations';
const MIGRATION_LOCK_TABLE = 'heed_migrations_lock';
/** The single table of the document format (Heed 0.1, keyv). */
export const DOCUMENT_TABLE = 'heed_documents';

/** One migration and whether this store ran it. */
export interface MigrationState {
  readonly name: string;
  readonly executedAt: Date | undefined;
}

/** What `heed db status` shows. */
export interface SchemaStatus {
  readonly migrations: readonly MigrationState[];
  /** Migrations this store ran that this Heed does not know: it was migrated by a newer release. */
  readonly unknown: readonly string[];
  readonly pending: readonly string[];
  /** The store holds documents of Heed 0.1 and no tables. */
  readonly documentFormat: boolean;
}

async function migrator(
  db: Kysely<unknown>,
  migrations: Readonly<Record<string, Migration>>,
): Promise<Migrator> {
  // On PostgreSQL the Migrator looks for its tables in every schema unless told which one: Heed's own
  // (`?schema=`, else public) keeps another schema's Heed from hiding them.
  const schema = isPostgres(db)
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
    : undefined;
  return new Migrator({
    db: withScopedIntrospection(db),
    provider: { getMigrations: async () => ({ ...migrations }) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/**
 * `db` with an introspector that lists only the store's own tables (what the Migrator asks it). Kysely's
 * own reads the columns of every table in every schema, which fails when another schema of the same
 * database is dropped meanwhile (a test run ending beside ours, an operator's clean-up).
 */
function withScopedIntrospection(db: Kysely<unknown>): Kysely<unknown> {
  const introspection: DatabaseIntrospector = {
    getSchemas: () => db.introspection.getSchemas(),
    async getTables() {
      const { rows } = isPostgres(db)
        ? await sql<{ name: string; schema: string }>`
            select table_name as name, table_schema as schema from information_schema.tables
            where table_schema = current_schema()`.execute(db)
        : await sql<{ name: string; schema: undefined }>`
            select name, null as schema from sqlite_master where type = 'table'`.execute(db);
      return rows.map((row) => ({
        name: row.name,
        ...(row.schema ? { schema: row.schema } : {}),
        isView: false,
        columns: [],
      }));
    },
    async getMetadata() {
      return { tables: await this.getTables() };
    },
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') return introspection;
      const value: unknown = Reflect.get(target, property);
      // Kysely keeps its state in private fields: its methods must run on the instance itself.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Whether `table` exists in the store (the current schema on PostgreSQL). */
export async function tableExists(db: Kysely<unknown>, table: string): Promise<boolean> {
  if (isPostgres(db)) {
    const { rows } = await sql<{ found: number }>`
      select 1 as found from information_schema.tables
      where table_schema = current_schema() and table_name = ${table}`.execute(db);
    return rows.length > 0;
  }
  const { rows } = await sql<{ found: number }>`
    select 1 as found from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  return rows.length > 0;
}

async function executedMigrations(db: Kysely<unknown>): Promise<Map<string, Date>> {
  if (!(await tableExists(db, MIGRATION_TABLE))) return new Map();
  const { rows } = await sql<{ name: string; timestamp: string | Date }>`
    select name, timestamp from ${sql.table(MIGRATION_TABLE)}`.execute(db);
  return new Map(rows.map((row) => [row.name, new Date(row.timestamp)]));
}

/** The schema state of a store, for `heed db status` and the checks at start. */
export async function schemaStatus(
  database: HeedDatabase,
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
): Promise<SchemaStatus> {
  const db = database.db as unknown as Kysely<unknown>;
  const executed = await executedMigrations(db);
  const known = Object.keys(migrations).sort();
  return {
    migrations: known.map((name) => ({ name, executedAt: executed.get(name) })),
    unknown: [...executed.keys()].filter((name) => !(name in migrations)).sort(),
    pending: known.filter((name) => !executed.has(name)),
    documentFormat: executed.size === 0 && (await tableExists(db, DOCUMENT_TABLE)),
  };
}

/** Runs every pending migration; returns the names it ran. */
export async function migrateToLatest(
  database: HeedDatabase,
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
): Promise<string[]> {
  const runner = await migrator(database.db as unknown as Kysely<unknown>, migrations);
  const { error, results } = await runner.migrateToLatest();
  if (error !== undefined) {
    throw new StoreError(
      'STORE_OPERATION_FAILED',
      `Could not migrate the store ${database.where}: ${causeText(error)}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

/** Checks the store can be used by this Heed and, in `migrate` mode, brings its schema up to date. */
export async function prepareSchema(
  database: HeedDatabase,
  location: StoreLocation,
  mode: MigrationMode,
): Promise<void> {
  if (mode === 'none') return;
  const status = await schemaStatus(database);
  if (status.documentFormat) {
    throw new StoreError(
      'STORE_OLD_FORMAT',
      [
        `The store ${location.describe()} was written by an earlier Heed, which kept documents instead of tables.`,
        'Copy it into a new store, then point HEED_STORE_URL at the new one:',
        `  HEED_STORE_URL=<new store> npx heed import --from ${location.describe()}`,
        'The import never writes to the old store; keep it until you are happy with the new one.',
      ].join('\n'),
    );
  }
  if (status.unknown.length > 0) {
    throw new StoreError(
      'STORE_SCHEMA_NEWER',
      [
        `The store ${location.describe()} was migrated by a newer Heed (schema ${status.unknown.at(-1)}); this Heed knows up to ${Object.keys(MIGRATIONS).sort().at(-1)}.`,
        'Run the newer Heed, or restore a backup taken before the upgrade. Heed never downgrades a schema by itself.',
      ].join('\n'),
    );
  }
  if (status.pending.length === 0) return;
  if (mode === 'check') {
    throw new StoreError(
      'STORE_SCHEMA_NEWER',
      `The store ${location.describe()} needs migrations ${status.pending.join(', ')}: start the Heed server once, or run npx heed db migrate.`,
    );
  }
  await migrateToLatest(database);
}
