import { DEFAULT_STORE_URL } from '../store/store-url.ts';

/** `heed help`: what the command line does. */
export const GENERAL_USAGE = `Usage: heed <command> [options]

Commands:
  report    Ownership report over a period (per owner or team), as a table, CSV or JSON
  help      Show this help, or \`heed help report\` for the report options

The store is read from HEED_STORE_URL (default ${DEFAULT_STORE_URL}), read-only, so these
commands work while the Heed server is running.
`;

/** `heed help report` and `heed report --help`. */
export const REPORT_USAGE = `Usage: heed report [--since 7d | --from YYYY-MM-DD [--to YYYY-MM-DD]] [--by owner|team] [--format table|csv|json]

Ownership figures over a period: issues claimed and resolved, first-response and resolution times
(median, p90), SLA attainment, breaches, apologies, hand-offs, reopens, one-touch resolutions, CSAT.

Options:
  --since <duration>   The period ending now, such as 24h, 7d, 30d or 1w (default 7d)
  --from <date>        First UTC day of the period (YYYY-MM-DD)
  --to <date>          Last UTC day of the period, included (default: up to now)
  --by owner|team      Group rows by the person an event is attributed to, or by team (default owner)
  --format <format>    table (default), csv (durations in seconds) or json (durations in ms)
  -h, --help           Show this help

Examples:
  heed report --since 30d --by team
  heed report --from 2026-11-01 --to 2026-11-30 --format csv > november.csv

Environment:
  HEED_STORE_URL       Where Heed keeps its data (default ${DEFAULT_STORE_URL})

Exit codes: 0 done, 1 the store could not be read, 2 a mistake on the command line.
`;
