/**
 * `heed import`: copies a Heed 0.1 store (keyv documents on SQLite, PostgreSQL or Redis) into the tables
 * of this Heed. Issues with their ledger, state, deadlines, fired alerts, seen messages and thread;
 * customers with identities, e-mails and notes; thread pointers (a follow-up keeps its thread); the
 * manager digest time; the issue numbering. The old store is only read. Each record is validated with
 * zod; a bad one is reported (namespace, key, reason) and the rest is copied. A record already in the
 * new store at the same revision is left alone, so a second run changes nothing.
 */
import { realpathSync } from 'node:fs';
import { sql } from 'kysely';
import { HeedError } from '../core/errors.ts';
import type { HeedDatabase } from './database.ts';
import { importDigest, importNumbering } from './import/import-counters.ts';
import { importCustomers } from './import/import-customers.ts';
import { importIssues } from './import/import-issues.ts';
import { ImportRun } from './import/import-run.ts';
import { importThreads } from './import/import-threads.ts';
import type { ImportOptions, ImportSummary } from './import/import-types.ts';
import { assertOldStoreIdle, openOldDocuments } from './old-documents.ts';
import { schemaStatus } from './schema-version.ts';
import { parseStoreUrl, type StoreLocation } from './store-url.ts';

export type {
  ImportNote,
  ImportOptions,
  ImportProgress,
  ImportStage,
  ImportSummary,
  ImportTally,
} from './import/import-types.ts';

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** True when two locations are the same store: one SQLite file, or one PostgreSQL schema. */
export function sameStore(a: StoreLocation, b: StoreLocation): boolean {
  if (a.kind === 'sqlite' && b.kind === 'sqlite') return realPath(a.path) === realPath(b.path);
  if (a.kind === 'postgres' && b.kind === 'postgres') {
    return (
      a.host.toLowerCase() === b.host.toLowerCase() &&
      a.port === b.port &&
      a.database === b.database &&
      (a.schema ?? 'public') === (b.schema ?? 'public')
    );
  }
  return false;
}

function sameStoreError(where: string): HeedError {
  return new HeedError(
    'IMPORT_SAME_STORE',
    `--from and HEED_STORE_URL both name ${where}. The import copies an old store into a new one: point HEED_STORE_URL at a new store (another SQLite file, or another PostgreSQL database or ?schema=) and keep the old one as it is.`,
  );
}

/** Refuses an import whose source is the target itself. */
export function assertDifferentStores(from: StoreLocation, to: StoreLocation): void {
  if (sameStore(from, to)) throw sameStoreError(from.describe());
}

async function targetLocation(to: HeedDatabase, cwd: string): Promise<StoreLocation | undefined> {
  let location: StoreLocation;
  try {
    location = parseStoreUrl(to.where, cwd);
  } catch {
    return undefined;
  }
  if (location.kind !== 'postgres') return location;
  // The schema may come from an option rather than the URL: ask the database which one it uses.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(to.db);
  const schema = rows[0]?.schema ?? location.schema;
  return { ...location, schema, describe: location.describe };
}

async function assertTargetReady(to: HeedDatabase): Promise<void> {
  const status = await schemaStatus(to);
  if (status.documentFormat) {
    throw new HeedError(
      'IMPORT_TARGET_INVALID',
      `The new store ${to.where} is itself a Heed 0.1 store. Point HEED_STORE_URL at a new, empty store.`,
    );
  }
  if (status.unknown.length > 0 || status.pending.length > 0) {
    throw new HeedError(
      'IMPORT_TARGET_INVALID',
      status.unknown.length > 0
        ? `The new store ${to.where} was migrated by a newer Heed; import with that Heed.`
        : `The new store ${to.where} needs migrations (${status.pending.join(', ')}): run heed db migrate first.`,
    );
  }
}

/** Issues the new store holds that the old one does not: how many, and the lowest-numbered one. */
async function foreignIssues(
  to: HeedDatabase,
  sourceIssues: ReadonlySet<string>,
): Promise<{ count: number; example: number | undefined }> {
  let count = 0;
  let example: number | undefined;
  let after: string | undefined;
  for (;;) {
    let query = to.db.selectFrom('issues').select(['id', 'number']).orderBy('id').limit(1_000);
    if (after !== undefined) query = query.where('id', '>', after);
    const rows = await query.execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      if (sourceIssues.has(row.id)) continue;
      count += 1;
      example = Math.min(example ?? row.number, row.number);
    }
    after = rows.at(-1)!.id;
  }
  return { count, example };
}

/**
 * Copies a Heed 0.1 store into `to` (see the module comment). Throws a HeedError when the import is
 * refused (same store, a target that holds other issues without `merge`, not an old store) and a
 * StoreError when a store fails; bad records never throw, they are listed in the summary's `problems`.
 */
export async function importStore(options: ImportOptions): Promise<ImportSummary> {
  const cwd = options.cwd ?? process.cwd();
  const from = parseStoreUrl(options.from, cwd);
  const { to } = options;
  const target = await targetLocation(to, cwd);
  if (target && sameStore(from, target)) throw sameStoreError(from.describe());
  await assertTargetReady(to);
  await assertOldStoreIdle(from);
  const source = await openOldDocuments(from, { redisKeyPrefix: options.redisKeyPrefix });
  try {
    const keys = await source.listKeys();
    const sourceIssues = new Set(keys.get('issues') ?? []);
    const foreign = await foreignIssues(to, sourceIssues);
    if (foreign.count > 0 && options.merge !== true) {
      throw new HeedError(
        'IMPORT_TARGET_NOT_EMPTY',
        `The new store ${to.where} already holds ${foreign.count} issue${foreign.count === 1 ? '' : 's'} that the old store does not (such as #${foreign.example}). Add --merge to import beside them, or point HEED_STORE_URL at an empty store.`,
        { foreignIssues: foreign.count },
      );
    }
    const run = new ImportRun(source, to, keys, options);
    await importIssues(run);
    await importCustomers(run);
    await importThreads(run, sourceIssues);
    await importDigest(run);
    await importNumbering(run);
    run.countNotCopied();
    const summary = run.summary();
    options.logger?.info(
      {
        issues: summary.issues,
        customers: summary.customers,
        problems: summary.problems.length,
        changed: summary.changed,
      },
      'import finished',
    );
    return summary;
  } finally {
    await source.close();
  }
}
