import { DEFAULT_STORE_URL } from '../store/store-url.ts';

/** `heed help`: what the command line does. */
export const GENERAL_USAGE = `Usage: heed <command> [options]

Commands:
  report    Ownership report over a period (per owner or team), as a table, CSV or JSON
  import    Copy a store of Heed 0.1 (keyv documents) into the store at HEED_STORE_URL
  db        \`db status\`: which schema migrations ran, which are pending; \`db migrate\`: run them
  customers \`customers import <file.csv>\`: set customers' names, organisations, tiers and values
  transcript  An issue's transcript (messages, Heed's answers, the ledger) as Markdown, HTML or JSON
  help      Show this help, or \`heed help <command>\` for its options
  version   Print Heed's version (also --version)

The store is HEED_STORE_URL (default ${DEFAULT_STORE_URL}). report and db status only read it,
so they work while the Heed server is running; import and db migrate write it and refuse to run
beside a server on the same SQLite file.
`;

/** `heed help transcript` and `heed transcript --help`. */
export const TRANSCRIPT_USAGE = `Usage: heed transcript <issue number> [--format md|html|json]

Prints an issue's transcript: every customer message kept (the first and the latest; with edits and
deletions marked, and files as links), every staff answer, what Heed said in the thread (rendered from
the templates of HEED_CONFIG when it loads), and the ledger's events, by time. HTML escapes all text.
It only reads the store, so it works while the server runs. Message text older than retention.messages
(default 180d) has been purged; the events stay.

Examples:
  heed transcript 42
  heed transcript 42 --format html > issue-42.html
`;

/** `heed help customers` and `heed customers --help`. */
export const CUSTOMERS_USAGE = `Usage: heed customers import <file.csv>

Sets what Heed knows of customers from a CSV file: the first row names the columns, identity (required:
slack:U0123ABC or discord:123456789012345678) and any of name, organisation, tier (a tier id of the
config) and value (what the customer is worth, such as ARR: 12000, 12,000, 12k or 1.5M). Empty cells keep
what Heed knows; people Heed has not seen get a profile. Rows that cannot be read are listed with their
line and reason, and the rest is imported. Importing the same file again sets the same facts again.

Like import, it writes the store at HEED_STORE_URL and refuses to run beside a server on the same SQLite
file (on PostgreSQL it runs beside the servers). Tiers are checked against HEED_CONFIG when it loads.

Example:
  identity,name,organisation,tier,value
  slack:U0DANA001,Dana Novak,BigCo,enterprise,12000
  discord:1600000000000000001,Lee,,,"1,500"
`;

/** `heed help import` and `heed import --help`. */
export const IMPORT_USAGE = `Usage: heed import --from <old store URL> [--merge] [--key-prefix <prefix>]

Copies a store written by Heed 0.1 (keyv documents: a heed_documents table on SQLite or PostgreSQL,
or keys on Redis) into the tables of the store at HEED_STORE_URL: every issue with its ledger, state,
deadlines, fired alerts and thread; every customer with identities, e-mails and notes; the manager
digest time; and the issue numbering, so the next issue continues the old numbers.

The old store is only read, never written. Bad records are listed one by one and the rest is copied.
Running the import again changes nothing that is already there and copies what is missing.

Options:
  --from <url>           The old store: sqlite://./data/heed.sqlite, postgres://user@host:5432/db
                         (?schema=name if not public) or redis://host:6379/0
  --merge                Import even though the new store already holds issues the old one does not
  --key-prefix <prefix>  Redis only: the key prefix the old server used (default HEED_KEY_PREFIX, else heed:)
  -h, --help             Show this help

Examples:
  HEED_STORE_URL=sqlite://./data/heed-tables.sqlite heed import --from sqlite://./data/heed.sqlite
  HEED_STORE_URL=postgres://heed@db:5432/heed heed import --from redis://redis:6379/0

Stop the old server first, run the import, point HEED_STORE_URL at the new store, start Heed.
Progress goes to stderr, the summary to stdout.

Exit codes: 0 everything copied, 1 some records could not be copied, a store failed or the import
was refused, 2 a mistake on the command line.
`;

/** `heed help db` and `heed db --help`. */
export const DB_USAGE = `Usage: heed db status | heed db migrate

  status    Which schema migrations the store ran, which are pending, which it ran that this Heed
            does not know (a newer Heed migrated it), and whether it is still in the document
            format of Heed 0.1. Only reads the store.
  migrate   Runs the pending migrations (a server also runs them when it starts). Refuses a store
            of Heed 0.1 (use heed import) and one migrated by a newer Heed.

Environment:
  HEED_STORE_URL       Where Heed keeps its data (default ${DEFAULT_STORE_URL})

Exit codes: 0 done, 1 the store could not be read or migrated, 2 a mistake on the command line.
`;

/** `heed help report` and `heed report --help`. */
export const REPORT_USAGE = `Usage: heed report [--since 7d | --from YYYY-MM-DD [--to YYYY-MM-DD]] [--by owner|team|reply|value|nps] [--format table|csv|json]

Ownership figures over a period: issues claimed and resolved, first-response and resolution times
(median, p90), SLA attainment, breaches, apologies, hand-offs, reopens, one-touch resolutions, CSAT.

Options:
  --since <duration>   The period ending now, such as 24h, 7d, 30d or 1w (default 7d)
  --from <date>        First UTC day of the period (YYYY-MM-DD)
  --to <date>          Last UTC day of the period, included (default: up to now)
  --by owner|team|reply|value|nps  Group rows by the person an event is attributed to, or by team (default
                       owner); reply: each saved reply's uses and first-contact resolution rate; value:
                       revenue at risk (customers with a breached open issue, a 👎 or an NPS detractor)
                       and breaches and waits weighed by customer value (values from HEED_CONFIG's tiers
                       and the customers' own); nps: Net Promoter Score per team, per tier and in total
  --format <format>    table (default), csv (durations in seconds) or json (durations in ms)
  -h, --help           Show this help

Examples:
  heed report --since 30d --by team
  heed report --from 2026-11-01 --to 2026-11-30 --format csv > november.csv

Environment:
  HEED_STORE_URL       Where Heed keeps its data (default ${DEFAULT_STORE_URL})

Exit codes: 0 done, 1 the store could not be read, 2 a mistake on the command line.
`;
