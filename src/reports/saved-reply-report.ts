/**
 * Saved replies over a period, from the issues' ledgers (pure): how often each was sent, on how many
 * issues, how many of those were resolved in the period, and how many of those at first contact (the
 * saved reply was the only staff answer before the resolution, and the issue was never reopened).
 */
import { csvField } from './format-report.ts';
import type { Period, ReportIssue } from './report.ts';

export interface SavedReplyRow {
  readonly reply: string;
  /** `responded` events carrying the reply in the period. */
  readonly uses: number;
  /** Of them, sent as the person edited them. */
  readonly edited: number;
  /** Distinct issues it was sent on in the period. */
  readonly issues: number;
  /** Of the issues it was sent on, those resolved in the period. */
  readonly resolved: number;
  /** Of those, resolved at first contact. */
  readonly firstContact: number;
  /** `firstContact / resolved` as a percentage rounded to 0.1; `null` when none was resolved. */
  readonly fcrPct: number | null;
}

const inPeriod = (at: number, period: Period) => at >= period.from && at < period.to;

/** One row per saved reply used in the period, most used first. */
export function savedReplyReport(issues: readonly ReportIssue[], period: Period): SavedReplyRow[] {
  const rows = new Map<
    string,
    { uses: number; edited: number; issues: Set<string>; resolved: number; firstContact: number }
  >();
  const row = (reply: string) => {
    let found = rows.get(reply);
    if (!found) {
      found = { uses: 0, edited: 0, issues: new Set(), resolved: 0, firstContact: 0 };
      rows.set(reply, found);
    }
    return found;
  };
  for (const issue of issues) {
    const history = [...issue.history].sort((a, b) => a.at - b.at);
    const used = new Set<string>();
    for (const event of history) {
      const reply = event.kind === 'responded' ? event.data?.reply : undefined;
      if (typeof reply !== 'string' || !inPeriod(event.at, period)) continue;
      const tally = row(reply);
      tally.uses += 1;
      if (event.data?.edited === true) tally.edited += 1;
      tally.issues.add(issue.id);
      used.add(reply);
    }
    const resolution = history.find((event) => event.kind === 'resolved' && inPeriod(event.at, period));
    if (!resolution || used.size === 0) continue;
    const answers = history.filter((event) => event.kind === 'responded' && event.at <= resolution.at);
    const reopened = history.some((event) => event.kind === 'reopened');
    const only = answers.length === 1 ? answers[0]?.data?.reply : undefined;
    for (const reply of used) {
      const tally = row(reply);
      tally.resolved += 1;
      if (!reopened && only === reply) tally.firstContact += 1;
    }
  }
  return [...rows.entries()]
    .map(([reply, t]) => ({
      reply,
      uses: t.uses,
      edited: t.edited,
      issues: t.issues.size,
      resolved: t.resolved,
      firstContact: t.firstContact,
      fcrPct: t.resolved === 0 ? null : Math.round((t.firstContact / t.resolved) * 1000) / 10,
    }))
    .sort((a, b) => b.uses - a.uses || a.reply.localeCompare(b.reply));
}

const pct = (value: number | null) => (value === null ? '-' : `${value.toFixed(1)}%`);

/** The saved-reply report as an aligned table, RFC 4180 CSV or JSON. */
export function formatSavedReplies(
  rows: readonly SavedReplyRow[],
  period: Period,
  format: 'table' | 'csv' | 'json',
): string {
  if (format === 'json') {
    return `${JSON.stringify({ v: 1, period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() }, rows }, null, 2)}\n`;
  }
  const header = ['reply', 'uses', 'edited', 'issues', 'resolved', 'first contact', 'FCR'];
  const cells = rows.map((r) =>
    [r.reply, r.uses, r.edited, r.issues, r.resolved, r.firstContact, pct(r.fcrPct)].map(String),
  );
  if (format === 'csv') {
    const lines = [['reply', 'uses', 'edited', 'issues', 'resolved', 'first_contact', 'fcr_pct'].join(',')];
    for (const r of rows)
      lines.push(
        [r.reply, r.uses, r.edited, r.issues, r.resolved, r.firstContact, r.fcrPct].map(csvField).join(','),
      );
    return `${lines.join('\r\n')}\r\n`;
  }
  if (rows.length === 0) return 'No saved reply was sent in this period.\n';
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => line[i]!.length)));
  const line = (values: readonly string[]) =>
    values.map((value, i) => (i === 0 ? value.padEnd(widths[i]!) : value.padStart(widths[i]!))).join('  ');
  return `${[`Saved replies, ${new Date(period.from).toISOString()} to ${new Date(period.to).toISOString()}`, line(header), ...cells.map(line)].join('\n')}\n`;
}
