/**
 * Money in the reports (pure): breaches and waiting weighed by what each customer is worth, and the
 * revenue at risk: the summed value of the customers who, in the period, had a breached issue still open
 * at its end, rated an answer 👎, or answered NPS as a detractor (0–6). Each customer counts once.
 */
import { customerValue, shortAmount, type TierValues, valueLabel } from '../customers/customer-value.ts';
import type { LedgerEvent } from '../domain/ledger.ts';
import { formatDuration } from '../sla/duration.ts';
import { csvField } from './format-report.ts';
import type { Period, ReportIssue } from './report.ts';

/** Why a customer's revenue is at risk. */
export type RiskReason = 'breach' | 'thumbs-down' | 'detractor';

export interface CustomerAtRisk {
  /** The customer profile (or `platform:id` for issues from before profiles). */
  readonly customer: string;
  readonly name: string;
  readonly value: number;
  readonly reasons: readonly RiskReason[];
  /** The issues behind it, by number. */
  readonly issues: readonly number[];
}

export interface MoneyFigures {
  /** Summed value of the customers at risk. */
  readonly revenueAtRisk: number;
  readonly atRisk: readonly CustomerAtRisk[];
  /** Customers at risk whose value is unknown (not summed). */
  readonly unvalued: number;
  /** Breaches in the period, each counted at its customer's value. */
  readonly valueWeightedBreaches: number;
  readonly breaches: number;
  /**
   * The mean first-response wait of the issues opened in the period, weighted by value (a wait for a
   * 50k customer counts 50 times one for a 1k customer); null when no valued issue was opened.
   */
  readonly valueWeightedWaitMs: number | null;
}

const inPeriod = (at: number, period: Period) => at >= period.from && at < period.to;
const CLOSING: ReadonlySet<string> = new Set(['resolved', 'closed']);

function customerKey(issue: ReportIssue): string {
  return issue.customer.profileId ?? `${issue.customer.platform}:${issue.customer.id}`;
}

/** Still open at the period's end: not resolved or closed since it last (re)opened. */
function openAt(history: readonly LedgerEvent[], end: number): boolean {
  let open = true;
  for (const event of history) {
    if (event.at >= end) break;
    if (CLOSING.has(event.kind)) open = false;
    else if (event.kind === 'reopened' || event.kind === 'opened') open = true;
  }
  return open;
}

type ReportIssueWithNumber = ReportIssue & { readonly number?: number };

export function moneyFigures(
  config: TierValues,
  issues: readonly ReportIssueWithNumber[],
  period: Period,
): MoneyFigures {
  const atRisk = new Map<
    string,
    { name: string; value: number | undefined; reasons: Set<RiskReason>; issues: Set<number> }
  >();
  let valueWeightedBreaches = 0;
  let breaches = 0;
  let waitWeight = 0;
  let weightedWait = 0;
  for (const issue of issues) {
    const history = [...issue.history].sort((a, b) => a.at - b.at);
    const value = customerValue(config, issue.customer);
    const number = issue.number ?? history[0]?.issueNumber ?? 0;
    const flag = (reason: RiskReason) => {
      const key = customerKey(issue);
      const entry = atRisk.get(key) ?? {
        name: issue.customer.name ?? issue.customer.id,
        value,
        reasons: new Set<RiskReason>(),
        issues: new Set<number>(),
      };
      entry.reasons.add(reason);
      entry.issues.add(number);
      if (entry.value === undefined) entry.value = value;
      atRisk.set(key, entry);
    };
    const periodBreaches = history.filter((e) => e.kind === 'nagged' && inPeriod(e.at, period));
    breaches += periodBreaches.length;
    valueWeightedBreaches += periodBreaches.length * (value ?? 0);
    // Breached (then or earlier) and still open when the period ends.
    const breached = history.some((e) => e.kind === 'nagged' && e.at < period.to);
    if (breached && openAt(history, period.to)) flag('breach');
    if (history.some((e) => e.kind === 'rated' && e.data?.score === 'down' && inPeriod(e.at, period)))
      flag('thumbs-down');
    if (
      history.some(
        (e) =>
          e.kind === 'nps-answered' &&
          typeof e.data?.score === 'number' &&
          e.data.score <= 6 &&
          inPeriod(e.at, period),
      )
    )
      flag('detractor');
    if (value !== undefined && value > 0 && inPeriod(issue.openedAt, period)) {
      const answered = history.find((e) => e.kind === 'responded');
      const wait = (answered ? answered.at : period.to) - issue.openedAt;
      weightedWait += wait * value;
      waitWeight += value;
    }
  }
  const customers = [...atRisk.entries()].map(([customer, entry]) => ({
    customer,
    name: entry.name,
    value: entry.value ?? 0,
    valued: entry.value !== undefined,
    reasons: [...entry.reasons],
    issues: [...entry.issues].sort((a, b) => a - b),
  }));
  return {
    revenueAtRisk: customers.reduce((sum, c) => sum + c.value, 0),
    atRisk: customers
      .filter((c) => c.valued)
      .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name))
      .map(({ valued: _v, ...rest }) => rest),
    unvalued: customers.filter((c) => !c.valued).length,
    valueWeightedBreaches,
    breaches,
    valueWeightedWaitMs: waitWeight === 0 ? null : Math.round(weightedWait / waitWeight),
  };
}

const money = (value: number) => shortAmount(value);

/** The money report (`heed report --by value`) as an aligned table, RFC 4180 CSV or JSON. */
export function formatMoney(figures: MoneyFigures, period: Period, format: 'table' | 'csv' | 'json'): string {
  if (format === 'json') {
    return `${JSON.stringify(
      {
        v: 1,
        period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() },
        ...figures,
      },
      null,
      2,
    )}\n`;
  }
  if (format === 'csv') {
    const lines = [['customer', 'name', 'value', 'reasons', 'issues'].join(',')];
    for (const c of figures.atRisk) {
      lines.push(
        [c.customer, c.name, c.value, c.reasons.join(' '), c.issues.join(' ')].map(csvField).join(','),
      );
    }
    return `${lines.join('\r\n')}\r\n`;
  }
  const wait = figures.valueWeightedWaitMs === null ? '-' : formatDuration(figures.valueWeightedWaitMs);
  const head = [
    `Revenue at risk, ${new Date(period.from).toISOString()} to ${new Date(period.to).toISOString()}: ${valueLabel(figures.revenueAtRisk)}`,
    `Breaches: ${figures.breaches} (value-weighted ${money(figures.valueWeightedBreaches)}) · value-weighted first-response wait ${wait}`,
  ];
  if (figures.unvalued > 0)
    head.push(
      `${figures.unvalued} customer(s) at risk have no value (set one with /heed customer @x value …)`,
    );
  if (figures.atRisk.length === 0) return `${[...head, 'No valued customer at risk.'].join('\n')}\n`;
  const rows = figures.atRisk.map((c) => [
    c.name,
    money(c.value),
    c.reasons.join(', '),
    c.issues.map((n) => `#${n}`).join(' '),
  ]);
  const header = ['customer', 'value', 'why', 'issues'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === 1 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[...head, '', line(header), ...rows.map(line)].join('\n')}\n`;
}
