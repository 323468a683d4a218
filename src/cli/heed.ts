import { readFileSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';
import type { ReferenceParser } from '../ports/reference-parser.ts';
import { type CliIo, EXIT } from './cli-io.ts';
import { parseReportArgs } from './report-args.ts';
import { runCustomers } from './run-customers.ts';
import { runDb } from './run-db.ts';
import { runImport } from './run-import.ts';
import { runReport } from './run-report.ts';
import { runTranscript } from './run-transcript.ts';
import {
  CUSTOMERS_USAGE,
  DB_USAGE,
  GENERAL_USAGE,
  IMPORT_USAGE,
  REPORT_USAGE,
  TRANSCRIPT_USAGE,
} from './usage.ts';

/**
 * The version in Heed's package.json: the nearest one above this file, so it is the one being run, from
 * the sources (src/cli/) or from the compiled build (dist/src/cli/).
 */
export function heedVersion(): string {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    const manifest = readPackageJson(new URL('package.json', dir));
    if (manifest?.name === 'heed') return typeof manifest.version === 'string' ? manifest.version : 'unknown';
    if (dir.pathname === '/') return 'unknown';
  }
}

function readPackageJson(url: URL): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(url, 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return undefined;
  }
}

const COMMAND_USAGE: Readonly<Record<string, string>> = {
  report: REPORT_USAGE,
  import: IMPORT_USAGE,
  db: DB_USAGE,
  customers: CUSTOMERS_USAGE,
  transcript: TRANSCRIPT_USAGE,
};

function usageProblem(io: CliIo, problem: string, usage: string): number {
  io.stderr(`heed: ${problem}\n\n${usage}`);
  return EXIT.usage;
}

/**
 * The `heed` command line: `heed report …`, `heed import …`, `heed db status|migrate`,
 * `heed help [command]` and `heed --version`. Returns the exit code (0 done, 1 a store failed or records could not be
 * copied, 2 a mistake on the command line); never exits the process itself, so tests can call it in
 * process.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'report': {
      const parsed = parseReportArgs(rest, io.now());
      if (parsed.kind === 'help') {
        io.stdout(REPORT_USAGE);
        return EXIT.ok;
      }
      if (parsed.kind === 'problem') return usageProblem(io, parsed.problem, REPORT_USAGE);
      return runReport(parsed.args, io);
    }
    case 'import':
      return runImport(rest, io);
    case 'db':
      return runDb(rest, io);
    case 'customers':
      return runCustomers(rest, io);
    case 'transcript':
      return runTranscript(rest, io);
    case 'version':
    case '--version':
    case '-v':
      io.stdout(`heed ${heedVersion()}\n`);
      return EXIT.ok;
    case 'help':
    case '--help':
    case '-h':
      if (rest[0] === undefined) io.stdout(GENERAL_USAGE);
      else if (Object.hasOwn(COMMAND_USAGE, rest[0])) io.stdout(COMMAND_USAGE[rest[0]]!);
      else return usageProblem(io, `there is no command "${rest[0]}"`, GENERAL_USAGE);
      return EXIT.ok;
    case undefined:
      return usageProblem(io, 'which command? For example: heed report --since 7d', GENERAL_USAGE);
    default:
      return usageProblem(io, `unknown command "${command}"`, GENERAL_USAGE);
  }
}

/**
 * Runs `heed` for the real process (what `bin/heed.js` calls): reads `.env` like the server does,
 * then the arguments after the script name. Unexpected failures print one line and exit 1.
 */
export async function runFromProcess(references: readonly ReferenceParser[] = []): Promise<number> {
  loadDotenv({ quiet: true });
  // `heed report --format csv | head` closes the pipe early; that is not a failure worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
  const io: CliIo = {
    env: process.env,
    cwd: process.cwd(),
    now: () => Date.now(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    references,
  };
  try {
    return await main(process.argv.slice(2), io);
  } catch (error) {
    io.stderr(`heed: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}
