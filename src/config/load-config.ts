import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { buildCalendar } from '../sla/business-time.ts';
import { configSchema, type HeedConfig } from './schema.ts';

/** A configuration problem, already phrased for the person who edits the file. */
export class ConfigError extends Error {
  readonly code = 'HEED_CONFIG_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_CONFIG_PATH = './heed.config.yaml';

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out || '(top level)';
}

function hintFor(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return ` (check the spelling; allowed keys are listed in heed.config.example.yaml)`;
  }
  if (issue.code !== 'invalid_type') return '';
  if (issue.input === undefined) return ' (this key is required)';
  if (issue.expected === 'string' && typeof issue.input === 'number') {
    // YAML reads 1180000000000000001 as a number and rounds it: Discord ids must be quoted.
    return Number.isSafeInteger(issue.input)
      ? ` (write it in quotes: "${issue.input}")`
      : ' (Discord ids go in quotes, as in "1100000000000000001": without them YAML reads a number and drops its last digits, so copy the id again and put it in quotes)';
  }
  return '';
}

/** Turns zod issues into "key: problem (fix)" lines. */
export function describeConfigIssues(error: z.ZodError, source: string): string {
  const lines = error.issues.map(
    (issue) => `  - ${formatPath(issue.path)}: ${issue.message}${hintFor(issue)}`,
  );
  return [
    `${source} is not a valid Heed configuration:`,
    ...lines,
    'Fix the keys above and start again. heed.config.example.yaml documents every key.',
  ].join('\n');
}

/** Validates an already-parsed config object (YAML or JSON). */
export function parseConfig(raw: unknown, source = 'the configuration'): HeedConfig {
  // reportInput: the hints tell a missing key from a value of the wrong kind (an unquoted Discord id).
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new ConfigError(describeConfigIssues(result.error, source));
  const config = result.data;
  const problems: string[] = [];
  config.sla.calendars.forEach((calendar, index) => {
    try {
      buildCalendar(calendar);
    } catch (error) {
      problems.push(`  - sla.calendars[${index}]: ${(error as Error).message}`);
    }
  });
  if (problems.length > 0) {
    throw new ConfigError([`${source} is not a valid Heed configuration:`, ...problems].join('\n'));
  }
  return config;
}

/** Reads and validates the config file (`HEED_CONFIG`, default `./heed.config.yaml`; YAML or JSON). */
export function loadConfigFile(path: string, cwd = process.cwd()): HeedConfig {
  const absolute = resolve(cwd, path);
  let source: string;
  try {
    source = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT'
        ? `No Heed configuration at ${absolute}. Copy heed.config.example.yaml to heed.config.yaml and edit it, or set HEED_CONFIG to your file.`
        : `Cannot read the Heed configuration at ${absolute} (${code ?? 'unknown error'}).`,
      { cause: error },
    );
  }
  let raw: unknown;
  try {
    raw = absolute.endsWith('.json') ? JSON.parse(source) : parseYaml(source);
  } catch (error) {
    throw new ConfigError(
      `${path} is not valid ${absolute.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (raw === null || raw === undefined) {
    throw new ConfigError(
      `${path} is empty. Copy heed.config.example.yaml to it and edit it: the channels, teams and SLA targets go there.`,
    );
  }
  return parseConfig(raw, path);
}
