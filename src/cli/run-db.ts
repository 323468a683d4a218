import { parseArgs } from 'node:util';
import { type HeedDatabase, openDatabase } from '../store/database.ts';
import { MIGRATIONS } from '../store/migrations/index.ts';
import { migrateToLatest, type SchemaStatus, schemaStatus } from '../store/schema-version.ts';
import { explainStoreError, StoreError } from '../store/store-error.ts';
import { type CliIo, EXIT } from './cli-io.ts';
import { fail, lockForWriting, missingSqliteStore, type TargetStore, targetStore } from './store-target.ts';
import { DB_USAGE } from './usage.ts';

function usageProblem(io: CliIo, problem: string): number {
  io.stderr(`heed db: ${problem}\n\n${DB_USAGE}`);
  return EXIT.usage;
}

function when(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function importAdvice(where: string): string {
  return [
    'This store is still in the document format of Heed 0.1 (a heed_documents table, no tables of this Heed).',
    'Copy it into a new store, then point HEED_STORE_URL at the new one:',
    `  HEED_STORE_URL=<new store> npx heed import --from ${where}`,
  ].join('\n');
}

const NEWER_ADVICE =
  'Run that Heed, or restore a backup taken before the upgrade. Heed never downgrades a schema by itself.';

/** What `heed db status` prints. */
export function formatStatus(where: string, status: SchemaStatus): string {
  let text = `Store: ${where}\n`;
  if (status.documentFormat) return `${text}${importAdvice(where)}\n`;
  const names = [...status.migrations.map((migration) => migration.name), ...status.unknown];
  const width = Math.max(0, ...names.map((name) => name.length));
  for (const migration of status.migrations) {
    const state = migration.executedAt ? `ran ${when(migration.executedAt)}` : 'pending';
    text += `  ${migration.name.padEnd(width)}  ${state}\n`;
  }
  for (const name of status.unknown) text += `  ${name.padEnd(width)}  ran, unknown to this Heed\n`;
  if (status.unknown.length > 0) {
    return `${text}The store was migrated by a newer Heed (${status.unknown.join(', ')}). ${NEWER_ADVICE}\n`;
  }
  if (status.pending.length > 0) {
    const count = status.pending.length;
    return `${text}${count} migration${count === 1 ? '' : 's'} pending: run heed db migrate, or start the server, which migrates at start.\n`;
  }
  return `${text}Up to date.\n`;
}

/** Opens the store for `db` commands without touching its schema; a failure becomes the exit code. */
async function openForDb(
  target: TargetStore,
  io: CliIo,
): Promise<{ database: HeedDatabase } | { code: number }> {
  const missing = missingSqliteStore(target);
  if (missing) return { code: fail(io, missing) };
  try {
    return { database: await openDatabase(target.url, { cwd: io.cwd, migrations: 'none' }) };
  } catch (error) {
    if (error instanceof StoreError)
      return { code: fail(io, explainStoreError(error, io.env.HEED_STORE_URL)) };
    throw error;
  }
}

async function runStatus(target: TargetStore, io: CliIo): Promise<number> {
  const opened = await openForDb(target, io);
  if ('code' in opened) return opened.code;
  const { database } = opened;
  try {
    io.stdout(formatStatus(database.where, await schemaStatus(database)));
    return EXIT.ok;
  } catch (error) {
    return fail(
      io,
      `cannot read the schema of ${database.where}: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await database.close().catch(() => undefined);
  }
}

async function runMigrate(target: TargetStore, io: CliIo): Promise<number> {
  // Checked before the lock, which would create the directory of a store that is not there.
  const missing = missingSqliteStore(target);
  if (missing) return fail(io, missing);
  const locked = await lockForWriting(target.location, io);
  if ('problem' in locked) return fail(io, locked.problem);
  try {
    const opened = await openForDb(target, io);
    if ('code' in opened) return opened.code;
    const { database } = opened;
    try {
      const status = await schemaStatus(database);
      if (status.documentFormat) {
        // Tables created beside the documents would make Heed start on an empty store.
        return fail(io, `${database.where} was not migrated.\n${importAdvice(database.where)}`);
      }
      if (status.unknown.length > 0) {
        return fail(
          io,
          `${database.where} was migrated by a newer Heed (${status.unknown.join(', ')}); this Heed knows up to ${Object.keys(MIGRATIONS).sort().at(-1)}. ${NEWER_ADVICE}`,
        );
      }
      if (status.pending.length === 0) {
        io.stdout(`Store: ${database.where}\nNothing to migrate: the schema is up to date.\n`);
        return EXIT.ok;
      }
      const ran = await migrateToLatest(database);
      io.stdout(
        `Store: ${database.where}\nRan ${ran.length} migration${ran.length === 1 ? '' : 's'}:\n${ran.map((name) => `  ${name}\n`).join('')}`,
      );
      return EXIT.ok;
    } catch (error) {
      if (error instanceof StoreError) return fail(io, error.message);
      throw error;
    } finally {
      await database.close().catch(() => undefined);
    }
  } finally {
    await locked.lock?.release().catch(() => undefined);
  }
}

/**
 * Runs `heed db status` (which migrations ran, which are pending, whether the store is still in the
 * Heed 0.1 document format; read-only, works beside a running server) and `heed db migrate` (runs the
 * pending migrations, holding the single-writer lock of an SQLite store). Returns the exit code.
 */
export async function runDb(argv: readonly string[], io: CliIo): Promise<number> {
  let positionals: string[];
  let help: boolean;
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
    positionals = parsed.positionals;
    help = parsed.values.help === true;
  } catch (error) {
    return usageProblem(io, (error as Error).message);
  }
  const [command, ...extra] = positionals;
  if (help || command === 'help') {
    io.stdout(DB_USAGE);
    return EXIT.ok;
  }
  if (command === undefined) return usageProblem(io, 'which one? heed db status or heed db migrate');
  if (command !== 'status' && command !== 'migrate')
    return usageProblem(io, `unknown command "db ${command}"`);
  if (extra.length > 0)
    return usageProblem(io, `heed db ${command} takes no arguments (got "${extra.join(' ')}")`);
  const target = targetStore(io);
  if ('problem' in target) return fail(io, target.problem);
  if (target.location.kind === 'memory') {
    return fail(io, 'HEED_STORE_URL is memory://, which keeps nothing; point it at the server’s store.');
  }
  return command === 'status' ? runStatus(target, io) : runMigrate(target, io);
}
