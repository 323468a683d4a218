import { formatDuration } from '../sla/duration.ts';
import { fcrPct, type Report, type ReportRow } from './report.ts';

/** The output formats of `heed report`. */
export const REPORT_FORMATS = ['table', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** How {@link formatReport} renders. */
export interface FormatOptions {
  /**
   * Labels for the table's group column, by group key (`slack:U0BILL01` → `Bea`); groups without one
   * show their key. CSV and JSON always carry the keys, so exports stay joinable.
   */
  readonly names?: ReadonlyMap<string, string>;
  /**
   * The table's widest line, in characters (a terminal's width). Columns that do not fit go to a second
   * (third…) block below, each led by the group column. Default: one block, however wide.
   */
  readonly width?: number | undefined;
}

/** Renders a report in one of {@link REPORT_FORMATS}. */
export function formatReport(report: Report, format: ReportFormat, options: FormatOptions = {}): string {
  switch (format) {
    case 'table':
      return formatTable(report, options);
    case 'csv':
      return formatCsv(report);
    case 'json':
      return formatJson(report);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
const readableUtc = (ms: number) => `${iso(ms).slice(0, 16).replace('T', ' ')} UTC`;

interface TableColumn {
  readonly title: string;
  readonly left?: boolean;
  readonly value: (row: ReportRow) => string;
}

const DASH = '-';
const duration = (ms: number | null) => (ms === null ? DASH : formatDuration(ms));
const pct = (value: number | null) => (value === null ? DASH : `${value.toFixed(1)}%`);

function tableColumns(groupBy: Report['groupBy'], names: FormatOptions['names']): TableColumn[] {
  return [
    { title: groupBy, left: true, value: (row) => names?.get(row.group) ?? row.group },
    { title: 'claimed', value: (row) => String(row.claimed) },
    { title: 'resolved', value: (row) => String(row.resolved) },
    { title: '1st resp med', value: (row) => duration(row.firstResponse.medianMs) },
    { title: '1st resp p90', value: (row) => duration(row.firstResponse.p90Ms) },
    { title: 'resol. med', value: (row) => duration(row.resolution.medianMs) },
    { title: 'resol. p90', value: (row) => duration(row.resolution.p90Ms) },
    { title: 'SLA met', value: (row) => pct(row.sla.attainmentPct) },
    { title: 'deadlines', value: (row) => String(row.sla.deadlines) },
    { title: 'breaches', value: (row) => String(row.breaches) },
    { title: 'apologies', value: (row) => String(row.apologies.count) },
    { title: 'apology after', value: (row) => duration(row.apologies.medianDelayMs) },
    { title: 'hand-offs', value: (row) => String(row.handOffs) },
    { title: 'reopens', value: (row) => String(row.reopens) },
    { title: 'one-touch', value: (row) => String(row.oneTouch) },
    { title: 'FCR', value: (row) => pct(fcrPct(row)) },
    { title: 'CSAT', value: (row) => pct(row.csat.pct) },
  ];
}

/**
 * Aligned plain text: a title with the period (UTC), one line per group, a rule, and the total.
 * Durations are shown as `formatDuration` does (`1h 30m`), percentages with one decimal, and `-`
 * where there is nothing to measure.
 */
export function formatTable(report: Report, options: FormatOptions = {}): string {
  const columns = tableColumns(report.groupBy, options.names);
  const cells = [...report.rows, report.total].map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, index) =>
    Math.max(column.title.length, ...cells.map((line) => line[index]!.length)),
  );
  const lines = [
    `Heed ownership report by ${report.groupBy}, ${readableUtc(report.period.from)} to ${readableUtc(report.period.to)} (${report.issues} issues read)`,
  ];
  for (const block of columnBlocks(widths, options.width ?? Number.POSITIVE_INFINITY)) {
    const render = (values: readonly string[]) =>
      block
        .map((index) =>
          columns[index]!.left
            ? values[index]!.padEnd(widths[index]!)
            : values[index]!.padStart(widths[index]!),
        )
        .join('  ')
        .trimEnd();
    lines.push('', render(columns.map((column) => column.title)));
    if (report.rows.length === 0) lines.push('(no activity in this period)');
    for (const line of cells.slice(0, -1)) lines.push(render(line));
    lines.push(block.map((index) => '-'.repeat(widths[index]!)).join('  '));
    lines.push(render(cells.at(-1)!));
  }
  return `${lines.join('\n')}\n`;
}

/** Column indexes per block: the group column (0) leads each, the others fill up to `width`. */
function columnBlocks(widths: readonly number[], width: number): number[][] {
  const blocks: number[][] = [];
  let block = [0];
  let used = widths[0]!;
  for (let index = 1; index < widths.length; index++) {
    const needed = 2 + widths[index]!;
    if (block.length > 1 && used + needed > width) {
      blocks.push(block);
      block = [0];
      used = widths[0]!;
    }
    block.push(index);
    used += needed;
  }
  blocks.push(block);
  return blocks;
}

type CsvValue = string | number | null;

const seconds = (ms: number | null): CsvValue => (ms === null ? null : Math.round(ms / 1000));

function csvColumns(groupBy: Report['groupBy']): [string, (row: ReportRow) => CsvValue][] {
  return [
    [groupBy, (row) => row.group],
    ['claimed', (row) => row.claimed],
    ['resolved', (row) => row.resolved],
    ['first_responses', (row) => row.firstResponse.count],
    ['first_response_median_seconds', (row) => seconds(row.firstResponse.medianMs)],
    ['first_response_p90_seconds', (row) => seconds(row.firstResponse.p90Ms)],
    ['resolutions_timed', (row) => row.resolution.count],
    ['resolution_median_seconds', (row) => seconds(row.resolution.medianMs)],
    ['resolution_p90_seconds', (row) => seconds(row.resolution.p90Ms)],
    ['sla_deadlines', (row) => row.sla.deadlines],
    ['sla_met', (row) => row.sla.met],
    ['sla_breached', (row) => row.sla.breached],
    ['sla_attainment_pct', (row) => row.sla.attainmentPct],
    ['breaches', (row) => row.breaches],
    ['apologies', (row) => row.apologies.count],
    ['apology_delay_median_seconds', (row) => seconds(row.apologies.medianDelayMs)],
    ['hand_offs', (row) => row.handOffs],
    ['reopens', (row) => row.reopens],
    ['one_touch', (row) => row.oneTouch],
    ['fcr_pct', (row) => fcrPct(row)],
    ['csat_rated', (row) => row.csat.rated],
    ['csat_up', (row) => row.csat.up],
    ['csat_pct', (row) => row.csat.pct],
  ];
}

/** One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF, with quotes doubled. */
export function csvField(value: CsvValue): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * RFC 4180 CSV with CRLF line ends: a header row, one row per group, then the total (group `all`).
 * The first two columns give the period (ISO 8601, UTC) so exports of several periods can be
 * concatenated. Durations are whole seconds (the `_seconds` columns); percentages have one decimal;
 * an empty field means there was nothing to measure.
 */
export function formatCsv(report: Report): string {
  const columns = csvColumns(report.groupBy);
  const from = iso(report.period.from);
  const to = iso(report.period.to);
  const lines = [['period_from', 'period_to', ...columns.map(([title]) => title)].map(csvField).join(',')];
  for (const row of [...report.rows, report.total]) {
    lines.push([from, to, ...columns.map(([, value]) => value(row))].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function rowJson(row: ReportRow) {
  return {
    group: row.group,
    claimed: row.claimed,
    resolved: row.resolved,
    firstResponse: {
      count: row.firstResponse.count,
      medianMs: row.firstResponse.medianMs,
      p90Ms: row.firstResponse.p90Ms,
    },
    resolution: {
      count: row.resolution.count,
      medianMs: row.resolution.medianMs,
      p90Ms: row.resolution.p90Ms,
    },
    sla: {
      deadlines: row.sla.deadlines,
      met: row.sla.met,
      breached: row.sla.breached,
      attainmentPct: row.sla.attainmentPct,
    },
    breaches: row.breaches,
    apologies: { count: row.apologies.count, medianDelayMs: row.apologies.medianDelayMs },
    handOffs: row.handOffs,
    reopens: row.reopens,
    oneTouch: row.oneTouch,
    fcrPct: fcrPct(row),
    csat: { rated: row.csat.rated, up: row.csat.up, pct: row.csat.pct },
  };
}

/**
 * Pretty-printed JSON whose keys always come in the same order:
 * `{ v: 1, period: { from, to, fromMs, toMs }, groupBy, issues, rows: [row…], total: row }`, where
 * `from`/`to` are ISO 8601 (UTC), durations are milliseconds (`…Ms`), percentages have one decimal,
 * and `null` means there was nothing to measure.
 */
export function formatJson(report: Report): string {
  const document = {
    v: 1,
    period: {
      from: iso(report.period.from),
      to: iso(report.period.to),
      fromMs: report.period.from,
      toMs: report.period.to,
    },
    groupBy: report.groupBy,
    issues: report.issues,
    rows: report.rows.map(rowJson),
    total: rowJson(report.total),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
