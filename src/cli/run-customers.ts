import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { peopleReader } from '../commands/people-reader.ts';
import { ConfigError, loadConfigFile } from '../config/load-config.ts';
import { readCustomerCsv } from '../customers/customer-csv.ts';
import { CustomerRepository } from '../customers/customer-repository.ts';
import { PLATFORMS } from '../domain/refs.ts';
import { silentLogger } from '../logging/logger.ts';
import { type HeedDatabase, openDatabase } from '../store/database.ts';
import { StoreError } from '../store/store-error.ts';
import { type CliIo, EXIT } from './cli-io.ts';
import { fail, lockForWriting, missingSqliteStore, targetStore } from './store-target.ts';
import { CUSTOMERS_USAGE } from './usage.ts';

const PROGRESS_EVERY = 500;

/** The configured tier ids, to check the file's `tier` column; undefined when there is no config to read. */
function configuredTiers(io: CliIo): { tiers: Set<string> | undefined; note?: string } {
  const path = io.env.HEED_CONFIG ?? './heed.config.yaml';
  if (!existsSync(resolve(io.cwd, path))) {
    return { tiers: undefined, note: `no config at ${path}, so tiers are not checked against it` };
  }
  try {
    return { tiers: new Set(loadConfigFile(path, io.cwd).tiers.map((tier) => tier.id)) };
  } catch (error) {
    if (error instanceof ConfigError)
      return {
        tiers: undefined,
        note: `the config does not load, so tiers are not checked: ${error.message.split('\n')[0]}`,
      };
    throw error;
  }
}

/**
 * `heed customers import <file.csv>`: sets each listed customer's name, organisation, tier and value (the
 * cells given; empty cells keep what Heed knows), creating profiles for people Heed has not seen. Rows
 * that cannot be read are refused one by one (line and reason) and the rest imported. Exit codes: 0 all
 * imported, 1 some refused or the store failed, 2 a mistake on the command line.
 */
export async function runCustomers(argv: readonly string[], io: CliIo): Promise<number> {
  const [action, file, ...extra] = argv;
  if (action === '--help' || action === '-h' || action === 'help') {
    io.stdout(CUSTOMERS_USAGE);
    return EXIT.ok;
  }
  if (action !== 'import' || file === undefined || extra.length > 0) {
    io.stderr(
      `heed: ${action === 'import' ? 'name one CSV file' : 'which action? heed customers import <file.csv>'}\n\n${CUSTOMERS_USAGE}`,
    );
    return EXIT.usage;
  }
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch {
    return fail(io, `cannot read ${file}: is the path right?`, EXIT.usage);
  }
  const { tiers, note } = configuredTiers(io);
  if (note) io.stderr(`heed customers: ${note}\n`);
  // A file names people on any platform (`<platform>:<id>`), so the writer's own platform does not matter.
  const people = peopleReader(io.references ?? [], PLATFORMS[0]!);
  const read = readCustomerCsv(text, tiers, (written) => people.anyone(written));
  if ('problem' in read) return fail(io, `${file}: ${read.problem}`);

  const target = targetStore(io);
  if ('problem' in target) return fail(io, target.problem);
  if (target.location.kind === 'memory') return fail(io, 'HEED_STORE_URL is memory://, which keeps nothing.');
  const missing = missingSqliteStore(target);
  if (missing) return fail(io, missing);
  const locked = await lockForWriting(target.location, io);
  if ('problem' in locked) return fail(io, locked.problem);
  let database: HeedDatabase | undefined;
  try {
    database = await openDatabase(target.url, { cwd: io.cwd, migrations: 'check' });
    const repository = new CustomerRepository(database, silentLogger());
    let done = 0;
    for (const row of read.rows) {
      const { line: _line, user, ...details } = row;
      await repository.setDetails(user, io.now(), details);
      done += 1;
      if (done % PROGRESS_EVERY === 0) io.stderr(`heed customers: ${done} of ${read.rows.length}\n`);
    }
    io.stdout(`Imported ${done} customer${done === 1 ? '' : 's'} from ${file}.\n`);
    if (read.refused.length > 0) {
      io.stdout(
        `Refused ${read.refused.length} row${read.refused.length === 1 ? '' : 's'}:\n${read.refused.map((r) => `  line ${r.line}: ${r.reason}\n`).join('')}`,
      );
      return fail(
        io,
        'fix the refused rows and import the file again: rows already imported are simply set again.',
      );
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof StoreError) return fail(io, `the store failed: ${error.message}`);
    throw error;
  } finally {
    await database?.close().catch(() => undefined);
    await locked.lock?.release();
  }
}
