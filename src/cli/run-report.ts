import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { envSchema } from '../config/env.ts';
import { loadConfigFile } from '../config/load-config.ts';
import { HeedError } from '../core/errors.ts';
import { IssueRepository } from '../core/issue-repository.ts';
import { namesIn } from '../core/people-names.ts';
import { silentLogger } from '../logging/logger.ts';
import { formatReport } from '../reports/format-report.ts';
import { loadIssuesForPeriod, loadReport } from '../reports/load-report-data.ts';
import { formatNps, npsReport } from '../reports/nps-report.ts';
import { formatMoney, moneyFigures } from '../reports/revenue-at-risk.ts';
import { formatSavedReplies, savedReplyReport } from '../reports/saved-reply-report.ts';
import { type HeedDatabase, openDatabase } from '../store/database.ts';
import { explainStoreError, StoreError } from '../store/store-error.ts';
import { DEFAULT_STORE_URL, parseStoreUrl, redactStoreUrl, StoreUrlError } from '../store/store-url.ts';
import { type CliIo, EXIT } from './cli-io.ts';
import type { ReportArgs } from './report-args.ts';

// Only the variable this command needs, so an unrelated bad variable (a mistyped token) does not
// stop a report.
const storeEnvSchema = envSchema.pick({ HEED_STORE_URL: true });

/** The tiers' values from HEED_CONFIG, when it loads (customers' own values are in the store). */
function tiersOf(io: CliIo): { tiers: { id: string; value?: number | undefined }[] } {
  const path = io.env.HEED_CONFIG ?? './heed.config.yaml';
  if (!existsSync(resolve(io.cwd, path))) return { tiers: [] };
  try {
    return { tiers: loadConfigFile(path, io.cwd).tiers };
  } catch {
    io.stderr(`heed: the config at ${path} does not load, so tier values are left out\n`);
    return { tiers: [] };
  }
}

function fail(io: CliIo, text: string): number {
  io.stderr(`heed: ${text}\n`);
  return EXIT.failed;
}

/**
 * Runs `heed report`: opens the store named by `HEED_STORE_URL` without the instance lock (so it
 * works beside a running server), sums the period's ledger figures in SQL and writes the report to
 * stdout. Returns the exit code; problems go to stderr in plain words.
 */
export async function runReport(args: ReportArgs, io: CliIo): Promise<number> {
  const env = storeEnvSchema.safeParse(io.env);
  const fromEnv = env.success ? env.data.HEED_STORE_URL : undefined;
  const url = fromEnv ?? DEFAULT_STORE_URL;
  const source =
    fromEnv === undefined
      ? 'the default, as HEED_STORE_URL is not set'
      : `HEED_STORE_URL=${redactStoreUrl(url)}`;

  let location: ReturnType<typeof parseStoreUrl>;
  try {
    location = parseStoreUrl(url, io.cwd);
  } catch (error) {
    if (error instanceof StoreUrlError) return fail(io, error.message);
    throw error;
  }
  if (location.kind === 'memory') {
    return fail(io, 'HEED_STORE_URL is memory://, which keeps nothing; point it at the server’s store.');
  }
  // Opening an SQLite file that is not there would create an empty one; say where we looked instead.
  if (location.kind === 'sqlite' && !existsSync(location.path)) {
    return fail(
      io,
      `no Heed store at ${location.path} (${source}).\nStart Heed once to create it, or set HEED_STORE_URL to the store your server uses, e.g. HEED_STORE_URL=sqlite:///var/lib/heed/heed.sqlite`,
    );
  }

  let store: HeedDatabase | undefined;
  try {
    store = await openDatabase(url, { cwd: io.cwd, migrations: 'check' });
    const repository = new IssueRepository(store, silentLogger());
    if (args.groupBy === 'nps') {
      const issues = await loadIssuesForPeriod(repository, args.period);
      io.stdout(formatNps(npsReport(issues, args.period), args.period, args.format));
      return EXIT.ok;
    }
    if (args.groupBy === 'value') {
      const issues = await loadIssuesForPeriod(repository, args.period);
      io.stdout(formatMoney(moneyFigures(tiersOf(io), issues, args.period), args.period, args.format));
      return EXIT.ok;
    }
    if (args.groupBy === 'reply') {
      const issues = await loadIssuesForPeriod(repository, args.period);
      io.stdout(formatSavedReplies(savedReplyReport(issues, args.period), args.period, args.format));
      return EXIT.ok;
    }
    const report = await loadReport(repository, args.period, args.groupBy);
    // Owners by the names Heed has seen them under; CSV and JSON keep the ids (the table only).
    const names = args.groupBy === 'owner' ? await namesIn(store) : undefined;
    io.stdout(formatReport(report, args.format, { width: io.columns ?? 100, ...(names ? { names } : {}) }));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof StoreError) {
      return fail(io, explainStoreError(error, io.env.HEED_STORE_URL));
    }
    if (error instanceof HeedError) {
      return fail(io, `the store ${location.describe()} holds a record Heed cannot read: ${error.message}`);
    }
    throw error;
  } finally {
    await store?.close().catch(() => undefined);
  }
}
