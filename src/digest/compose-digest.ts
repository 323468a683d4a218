import type { IssueSummary } from '../core/open-issues.ts';
import { shortAmount, valueLabel } from '../customers/customer-value.ts';
import type { Platform } from '../domain/refs.ts';
import { bold, code, customerText, joinRich, type Rich, rich, time } from '../messages/rich-text.ts';
import { type NpsReport, npsSummary } from '../reports/nps-report.ts';
import type { Period, Report, ReportRow } from '../reports/report.ts';
import { UNASSIGNED } from '../reports/report.ts';
import type { MoneyFigures, RiskReason } from '../reports/revenue-at-risk.ts';
import { formatDuration } from '../sla/duration.ts';

/** What one team's digest says. */
export interface TeamDigestInput {
  readonly teamName: string;
  readonly every: 'daily' | 'weekly';
  readonly period: Period;
  /** The team's ownership report over the period, grouped by owner. */
  readonly report: Report;
  /** The team's active issues (new, claimed, waiting, reopened). */
  readonly queue: readonly IssueSummary[];
  readonly now: number;
  /** Sent after its time (Heed was not running then). */
  readonly late: boolean;
  /** The recipient's platform: owners there are named with a mention, others by name (or id). */
  readonly platform: Platform;
  /** Names of people Heed has seen, by `platform:id`, for owners on the other platform. */
  readonly names?: ReadonlyMap<string, string> | undefined;
  /** Revenue at risk and value-weighted figures of the team's issues in the period. */
  readonly money?: MoneyFigures | undefined;
  /** The team's NPS answers in the period (in total and per tier), when Heed asks NPS. */
  readonly nps?: NpsReport | undefined;
}

const REASON: Record<RiskReason, string> = {
  breach: 'breached, still open',
  'thumbs-down': '👎',
  detractor: 'NPS detractor',
};

/** The digest's first line: what the customers at risk are worth, the biggest first. */
export function moneyLine(money: MoneyFigures): Rich {
  if (money.atRisk.length === 0) {
    return money.unvalued > 0
      ? rich`💰 Revenue at risk: none valued (${plural(money.unvalued, 'customer')} at risk without a value)`
      : rich`💰 Revenue at risk: none`;
  }
  const shown = money.atRisk
    .slice(0, 5)
    .map(
      (c) =>
        rich`${customerText(c.name)} ${shortAmount(c.value)} (${c.reasons.map((r) => REASON[r]).join(', ')}: ${c.issues.map((n) => `#${n}`).join(', ')})`,
    );
  const more = money.atRisk.length > 5 ? rich` and ${money.atRisk.length - 5} more` : rich``;
  return rich`💰 ${bold(`Revenue at risk: ${valueLabel(money.revenueAtRisk)}`)} — ${joinRich(shown, '; ')}${more}`;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** One line of figures: claimed, resolved, median first response, SLA attainment, breaches, apologies, CSAT. */
export function figuresLine(row: ReportRow): string {
  const parts = [
    `${row.claimed} claimed`,
    `${row.resolved} resolved`,
    `first response median ${row.firstResponse.medianMs === null ? '-' : formatDuration(row.firstResponse.medianMs)}`,
    `SLA met ${row.sla.attainmentPct === null ? '-' : `${row.sla.attainmentPct.toFixed(1)}% of ${row.sla.deadlines}`}`,
    plural(row.breaches, 'breach', 'breaches'),
    plural(row.apologies.count, 'apology', 'apologies'),
    `CSAT ${row.csat.pct === null ? '-' : `${row.csat.pct.toFixed(1)}% of ${row.csat.rated}`}`,
  ];
  return parts.join(' · ');
}

function ownerLabel(group: string, platform: Platform, names: TeamDigestInput['names']): Rich {
  if (group === UNASSIGNED) return rich`unassigned`;
  const colon = group.indexOf(':');
  const owner = group.slice(0, colon);
  const id = group.slice(colon + 1);
  if (owner === platform) return rich`${{ platform, id }}`;
  const name = names?.get(group);
  // Named by the platform they are on ("Sam (Slack)"): the key's prefix, capitalised.
  return name
    ? rich`${customerText(name)} (${owner.charAt(0).toUpperCase()}${owner.slice(1)})`
    : rich`${code(group)}`;
}

function queueLine(queue: readonly IssueSummary[], now: number): Rich {
  const unclaimed = queue.filter((issue) => issue.owner === undefined);
  const oldest = unclaimed.reduce<IssueSummary | undefined>(
    (found, issue) => (found === undefined || issue.openedAt < found.openedAt ? issue : found),
    undefined,
  );
  const head = rich`Open queue: ${bold(plural(queue.length, 'issue'))}, ${unclaimed.length} unclaimed`;
  if (!oldest) return head;
  const customer = oldest.customer.name ?? oldest.customer.id;
  return rich`${head}; oldest unclaimed: ${bold(`#${oldest.number}`)} from ${{ t: 'customer', v: customer }}, waiting ${formatDuration(now - oldest.openedAt)} (since ${time(oldest.openedAt)})`;
}

/** The digest a team's managers receive. Pure. */
export function composeDigest(input: TeamDigestInput): Rich {
  const { report } = input;
  const title = rich`📊 ${bold(input.teamName)}: ${input.every} digest, ${time(input.period.from)} to ${time(input.period.to)}`;
  const lines: Rich[] = [
    input.late ? rich`${title} (sent late: Heed was not running when it was due)` : title,
  ];
  // Managers read money first.
  if (input.money) lines.push(moneyLine(input.money));
  if (input.nps) lines.push(rich`📣 ${npsSummary(input.nps)}`);
  if (report.rows.length === 0) {
    lines.push(rich`No activity in this period.`);
  } else {
    lines.push(rich`${bold('Team')}: ${figuresLine(report.total)}`);
    for (const row of report.rows) {
      lines.push(rich`• ${ownerLabel(row.group, input.platform, input.names)}: ${figuresLine(row)}`);
    }
  }
  lines.push(queueLine(input.queue, input.now));
  return joinRich(lines, '\n');
}
