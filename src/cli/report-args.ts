import { parseArgs } from 'node:util';
import { REPORT_FORMATS, type ReportFormat } from '../reports/format-report.ts';
import type { GroupBy, Period } from '../reports/report.ts';
import { DurationError, parseDuration } from '../sla/duration.ts';

/** What `heed report` was asked for. */
export interface ReportArgs {
  readonly period: Period;
  /**
   * `reply`: the saved-reply report (uses and first-contact resolution per saved reply); `value`: revenue
   * at risk and value-weighted breaches and waits.
   */
  readonly groupBy: GroupBy | 'reply' | 'value' | 'nps';
  readonly format: ReportFormat;
}

/** The outcome of reading `heed report`'s arguments: a request, a request for help, or a problem. */
export type ParsedReportArgs =
  | { readonly kind: 'report'; readonly args: ReportArgs }
  | { readonly kind: 'help' }
  | { readonly kind: 'problem'; readonly problem: string };

const OPTIONS = {
  since: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  by: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
type OptionName = Exclude<keyof typeof OPTIONS, 'help'>;
const GROUPS: readonly (GroupBy | 'reply' | 'value' | 'nps')[] = ['owner', 'team', 'reply', 'value', 'nps'];
const DAY_MS = 86_400_000;
const DEFAULT_SINCE = '7d';

const problem = (text: string): ParsedReportArgs => ({ kind: 'problem', problem: text });

// A UTC day as YYYY-MM-DD, or undefined for anything else (including 2026-02-30).
function parseDay(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const at = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== text ? undefined : at;
}

/** `node:util`'s parse errors, in the words the rest of `heed` uses. */
function parseProblem(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted.split('=')[0]}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted}"`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `${quoted.split(' ')[0]} needs a value`;
    default:
      return message;
  }
}

function readOptions(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Reads `heed report` arguments (with `node:util` parseArgs): `--since <duration>` (a period ending at
 * `now`, default 7d) or `--from YYYY-MM-DD [--to YYYY-MM-DD]` (UTC days, `--to` included, default up to
 * `now`), `--by owner|team`, `--format table|csv|json`, `-h`/`--help`. Options take their value as the
 * next word or after `=`. Pure: `now` is passed in.
 */
export function parseReportArgs(argv: readonly string[], now: number): ParsedReportArgs {
  const parsed = readOptions(argv);
  if (parsed instanceof Error) {
    if (argv.includes('-h') || argv.includes('--help')) return { kind: 'help' };
    return problem(parseProblem(parsed));
  }
  if (parsed.values.help) return { kind: 'help' };
  const given = new Map<OptionName, string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option' || token.name === 'help') continue;
    const name = token.name as OptionName;
    if (token.value === undefined || token.value === '') return problem(`--${name} needs a value`);
    if (given.has(name)) return problem(`--${name} is given twice`);
    given.set(name, token.value);
  }

  const by = given.get('by') ?? 'owner';
  const groupBy = GROUPS.find((group) => group === by);
  if (!groupBy) return problem(`--by must be owner, team, reply, value or nps, not "${by}"`);
  const formatText = given.get('format') ?? 'table';
  const format = REPORT_FORMATS.find((known) => known === formatText);
  if (!format) return problem(`--format must be table, csv or json, not "${formatText}"`);

  const since = given.get('since');
  const fromText = given.get('from');
  const toText = given.get('to');
  if (since !== undefined && (fromText !== undefined || toText !== undefined)) {
    return problem('use either --since or --from/--to, not both');
  }
  if (toText !== undefined && fromText === undefined) return problem('--to needs --from');

  let period: Period;
  if (fromText !== undefined) {
    const from = parseDay(fromText);
    if (from === undefined) return problem(`--from must be a date like 2026-11-01, not "${fromText}"`);
    let to = now;
    if (toText !== undefined) {
      const last = parseDay(toText);
      if (last === undefined) return problem(`--to must be a date like 2026-11-30, not "${toText}"`);
      to = last + DAY_MS;
    }
    if (from >= to) {
      return problem(toText === undefined ? '--from is in the future' : '--to must not be before --from');
    }
    period = { from, to };
  } else {
    let length: number;
    try {
      length = parseDuration(since ?? DEFAULT_SINCE);
    } catch (error) {
      if (error instanceof DurationError) return problem(`--since: ${error.message}`);
      throw error;
    }
    if (length <= 0) return problem('--since must be longer than 0');
    period = { from: now - length, to: now };
  }
  return { kind: 'report', args: { period, groupBy, format } };
}
