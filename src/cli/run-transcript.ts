import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../config/load-config.ts';
import type { HeedConfig } from '../config/schema.ts';
import { IssueRepository } from '../core/issue-repository.ts';
import { namesIn } from '../core/people-names.ts';
import { silentLogger } from '../logging/logger.ts';
import { type HeedDatabase, openDatabase } from '../store/database.ts';
import { StoreError } from '../store/store-error.ts';
import {
  buildTranscript,
  transcriptHtml,
  transcriptJson,
  transcriptMarkdown,
} from '../transcripts/transcript.ts';
import { type CliIo, EXIT } from './cli-io.ts';
import { fail, missingSqliteStore, targetStore } from './store-target.ts';
import { TRANSCRIPT_USAGE } from './usage.ts';

const FORMATS = { md: transcriptMarkdown, html: transcriptHtml, json: transcriptJson } as const;

const OPTIONS = { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

function readArgs(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function usage(io: CliIo, problem: string): number {
  io.stderr(`heed: ${problem}\n\n${TRANSCRIPT_USAGE}`);
  return EXIT.usage;
}

/**
 * `heed transcript <number> [--format md|html|json]`: an issue's transcript on stdout. Read-only (it
 * works beside a running server); Heed's own messages are rendered from HEED_CONFIG when it loads.
 */
export async function runTranscript(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = readArgs(argv);
  if (parsed instanceof Error) return usage(io, parsed.message);
  if (parsed.values.help) {
    io.stdout(TRANSCRIPT_USAGE);
    return EXIT.ok;
  }
  const [reference, ...extra] = parsed.positionals;
  const number = /^#?(\d{1,9})$/.exec(reference ?? '')?.[1];
  if (!number || extra.length > 0) return usage(io, 'name one issue by its number, e.g. heed transcript 42');
  const format = (parsed.values.format ?? 'md') as keyof typeof FORMATS;
  if (!Object.hasOwn(FORMATS, format))
    return usage(io, `--format must be md, html or json, not "${parsed.values.format}"`);

  const target = targetStore(io);
  if ('problem' in target) return fail(io, target.problem);
  if (target.location.kind === 'memory') return fail(io, 'HEED_STORE_URL is memory://, which keeps nothing.');
  const missing = missingSqliteStore(target);
  if (missing) return fail(io, missing);
  let config: HeedConfig | undefined;
  const path = io.env.HEED_CONFIG ?? './heed.config.yaml';
  if (existsSync(resolve(io.cwd, path))) {
    try {
      config = loadConfigFile(path, io.cwd);
    } catch {
      io.stderr(`heed: the config at ${path} does not load, so Heed's own messages are left out\n`);
    }
  }
  let database: HeedDatabase | undefined;
  try {
    database = await openDatabase(target.url, { cwd: io.cwd, migrations: 'check' });
    const issue = await new IssueRepository(database, silentLogger()).getByNumber(Number(number));
    if (!issue) return fail(io, `there is no issue #${number} in the store (${target.source}).`);
    io.stdout(FORMATS[format](buildTranscript(issue, config, await namesIn(database))));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof StoreError) return fail(io, `the store failed: ${error.message}`);
    throw error;
  } finally {
    await database?.close().catch(() => undefined);
  }
}
