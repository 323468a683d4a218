import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { envSchema } from '../config/env.ts';
import { HeedError } from '../core/errors.ts';
import { type HeedDatabase, openDatabase } from '../store/database.ts';
import {
  assertDifferentStores,
  type ImportNote,
  type ImportProgress,
  type ImportSummary,
  type ImportTally,
  importStore,
} from '../store/import-store.ts';
import { DEFAULT_OLD_KEY_PREFIX } from '../store/old-documents.ts';
import { causeText, StoreError } from '../store/store-error.ts';
import { parseStoreUrl, type StoreLocation, StoreUrlError } from '../store/store-url.ts';
import { type CliIo, EXIT } from './cli-io.ts';
import { fail, lockForWriting, targetStore } from './store-target.ts';
import { IMPORT_USAGE } from './usage.ts';

const keyPrefixSchema = envSchema.shape.HEED_KEY_PREFIX;

const argsSchema = z.object({
  from: z.string({ error: 'say which store to import with --from <old store URL>' }).trim().min(1, {
    error: 'say which store to import with --from <old store URL>',
  }),
  merge: z.boolean().default(false),
  'key-prefix': z
    .string()
    .regex(/^[\w:.-]{1,64}$/, {
      error: '--key-prefix may hold letters, digits and _ : . - (at most 64), as in heed: or acme-heed:',
    })
    .optional(),
});

type ImportArgs = z.infer<typeof argsSchema>;

function usageProblem(io: CliIo, problem: string): number {
  io.stderr(`heed import: ${problem}\n\n${IMPORT_USAGE}`);
  return EXIT.usage;
}

function parseImportArgs(
  argv: readonly string[],
): { kind: 'help' } | { kind: 'problem'; problem: string } | { kind: 'args'; args: ImportArgs } {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        from: { type: 'string' },
        merge: { type: 'boolean' },
        'key-prefix': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { kind: 'problem', problem: (error as Error).message };
  }
  if (values.help === true) return { kind: 'help' };
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) return { kind: 'problem', problem: parsed.error.issues[0]?.message ?? 'bad options' };
  return { kind: 'args', args: parsed.data };
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function tallyLine(label: string, tally: ImportTally, extra = ''): string {
  return `  ${label.padEnd(11)} ${tally.imported} imported, ${tally.unchanged} unchanged, ${tally.failed} failed${extra}\n`;
}

function noteLines(notes: readonly ImportNote[]): string {
  return notes.map((note) => `  ${note.namespace}/${note.key}: ${note.reason}\n`).join('');
}

/** The summary printed on stdout. */
export function formatImportSummary(summary: ImportSummary): string {
  const { issues, customers, numbering } = summary;
  let text = `From ${summary.from}\nInto ${summary.to}\n\n`;
  text += tallyLine('issues', issues, ` (${plural(issues.ledgerEvents, 'ledger event')})`);
  text += tallyLine(
    'customers',
    customers,
    ` (${plural(customers.identities, 'identity', 'identities')}, ${plural(customers.emails, 'e-mail')}, ${plural(customers.notes, 'note')})`,
  );
  text += tallyLine('threads', summary.threads);
  text += tallyLine('digest', summary.digests);
  const old =
    numbering.oldLast === undefined
      ? 'the old store had no counter'
      : `the old store's last was #${numbering.oldLast}`;
  text += `  numbering   the next issue is #${numbering.last + 1} (${old})\n`;
  const notCopied = Object.entries(summary.notCopied);
  if (notCopied.length > 0) {
    const total = notCopied.reduce((sum, [, count]) => sum + count, 0);
    text += `  not copied  ${plural(total, 'index document')} the tables replace (${notCopied.map(([namespace, count]) => `${namespace} ${count}`).join(', ')})\n`;
  }
  if (summary.skipped.length > 0) {
    text += `\nLeft out (${summary.skipped.length}):\n${noteLines(summary.skipped)}`;
  }
  if (summary.problems.length > 0) {
    text += `\nCould not copy (${summary.problems.length}):\n${noteLines(summary.problems)}`;
  }
  text += summary.changed
    ? '\n'
    : '\nNothing changed: the new store already held everything the old one has.\n';
  return text;
}

function progressLine(progress: ImportProgress): string {
  return `heed import: ${progress.stage} ${progress.done} of ${progress.total}\n`;
}

/**
 * Runs `heed import --from <old store> [--merge] [--key-prefix <prefix>]`: copies a Heed 0.1 store into
 * the store at `HEED_STORE_URL`, taking the single-writer lock of an SQLite target. Progress goes to
 * stderr, the summary to stdout. Exit codes: 0 everything copied, 1 some records could not be copied or
 * a store failed or the import was refused, 2 a mistake on the command line.
 */
export async function runImport(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseImportArgs(argv);
  if (parsed.kind === 'help') {
    io.stdout(IMPORT_USAGE);
    return EXIT.ok;
  }
  if (parsed.kind === 'problem') return usageProblem(io, parsed.problem);
  const { args } = parsed;

  let from: StoreLocation;
  try {
    from = parseStoreUrl(args.from, io.cwd);
  } catch (error) {
    if (error instanceof StoreUrlError) return usageProblem(io, `--from: ${error.message}`);
    throw error;
  }
  if (from.kind === 'memory') return usageProblem(io, '--from memory:// names a store that keeps nothing.');
  // Before the new store is created: a mistyped path should not leave an empty store behind.
  if (from.kind === 'sqlite' && !existsSync(from.path)) {
    return usageProblem(io, `--from: there is no file at ${from.path}.`);
  }
  const target = targetStore(io);
  if ('problem' in target) return fail(io, target.problem);
  if (target.location.kind === 'memory') {
    return fail(
      io,
      'HEED_STORE_URL is memory://, which keeps nothing; point it at the store the server will use.',
    );
  }
  try {
    assertDifferentStores(from, target.location);
  } catch (error) {
    if (error instanceof HeedError) return usageProblem(io, error.message);
    throw error;
  }
  const env = keyPrefixSchema.safeParse(io.env.HEED_KEY_PREFIX);
  const keyPrefix = args['key-prefix'] ?? (env.success ? env.data : undefined) ?? DEFAULT_OLD_KEY_PREFIX;

  const locked = await lockForWriting(target.location, io);
  if ('problem' in locked) return fail(io, locked.problem);
  const { lock } = locked;
  let database: HeedDatabase | undefined;
  try {
    try {
      database = await openDatabase(target.url, { cwd: io.cwd, migrations: 'migrate' });
    } catch (error) {
      if (error instanceof StoreError) {
        return fail(io, `cannot open the new store (${target.source}): ${error.message}`);
      }
      throw error;
    }
    io.stderr(`heed import: reading ${from.describe()}\n`);
    const summary = await importStore({
      from: args.from,
      to: database,
      merge: args.merge,
      cwd: io.cwd,
      redisKeyPrefix: keyPrefix,
      now: io.now,
      onProgress: (progress) => io.stderr(progressLine(progress)),
    });
    io.stdout(formatImportSummary(summary));
    if (summary.problems.length > 0) {
      return fail(
        io,
        `${plural(summary.problems.length, 'record')} could not be copied (listed above); everything else was. Once they are fixed in the old store, run the import again: it copies only what is missing.`,
      );
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof HeedError) return fail(io, error.message);
    // A store failing (unreachable, a lost connection, a full disk): what was copied stays, a rerun goes on.
    return fail(
      io,
      `the import stopped: ${error instanceof StoreError ? error.message : causeText(error)}\nRun it again once that is fixed: it copies only what is still missing.`,
    );
  } finally {
    await database?.close().catch(() => undefined);
    await lock?.release().catch(() => undefined);
  }
}
