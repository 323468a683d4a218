/** NPS over a period per team and per tier, from the ledger's `nps-answered` events (pure). */
import { type NpsFigures, npsFigures, npsScoreOf } from '../satisfaction/net-promoter.ts';
import { csvField } from './format-report.ts';
import type { Period, ReportIssue } from './report.ts';

export interface NpsReport {
  readonly total: NpsFigures;
  readonly teams: readonly { readonly team: string; readonly figures: NpsFigures }[];
  readonly tiers: readonly { readonly tier: string; readonly figures: NpsFigures }[];
}

/** The tier label of customers without one. */
export const NO_TIER = 'no tier';

export function npsReport(issues: readonly ReportIssue[], period: Period): NpsReport {
  const byTeam = new Map<string, number[]>();
  const byTier = new Map<string, number[]>();
  const all: number[] = [];
  for (const issue of issues) {
    for (const event of issue.history) {
      const score = npsScoreOf(event);
      if (score === undefined) continue;
      if (event.at < period.from || event.at >= period.to) continue;
      all.push(score);
      byTeam.set(issue.team, [...(byTeam.get(issue.team) ?? []), score]);
      const tier = issue.customer.tier ?? NO_TIER;
      byTier.set(tier, [...(byTier.get(tier) ?? []), score]);
    }
  }
  const sorted = (map: Map<string, number[]>) => [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    total: npsFigures(all),
    teams: sorted(byTeam).map(([team, scores]) => ({ team, figures: npsFigures(scores) })),
    tiers: sorted(byTier).map(([tier, scores]) => ({ tier, figures: npsFigures(scores) })),
  };
}

/** `NPS +33 (6 answers: 3 promoters, 2 passives, 1 detractor)`. */
export function npsLine(figures: NpsFigures): string {
  if (figures.score === null) return 'NPS: no answers';
  return `NPS ${signed(figures.score)} (${figures.answers} answer${figures.answers === 1 ? '' : 's'}: ${figures.promoters} promoter${figures.promoters === 1 ? '' : 's'}, ${figures.passives} passive${figures.passives === 1 ? '' : 's'}, ${figures.detractors} detractor${figures.detractors === 1 ? '' : 's'})`;
}

function signed(score: number): string {
  return score > 0 ? `+${score}` : String(score);
}

/**
 * The digest's and `/heed stats nps`'s line: the total, then each tier with answers
 * (`NPS +33 (6 answers: …) · by tier: enterprise +50 (2), no tier -100 (1)`).
 */
export function npsSummary(report: NpsReport): string {
  const tiers = report.tiers.filter((t) => t.figures.score !== null);
  if (report.total.score === null || tiers.length === 0) return npsLine(report.total);
  const byTier = tiers.map((t) => `${t.tier} ${signed(t.figures.score ?? 0)} (${t.figures.answers})`);
  return `${npsLine(report.total)} · by tier: ${byTier.join(', ')}`;
}

/** `heed report --by nps`: per team, per tier and in total, as text, CSV or JSON. */
export function formatNps(report: NpsReport, period: Period, format: 'table' | 'csv' | 'json'): string {
  const rows = [
    ...report.teams.map((t) => ['team', t.team, t.figures] as const),
    ...report.tiers.map((t) => ['tier', t.tier, t.figures] as const),
    ['all', 'all', report.total] as const,
  ];
  if (format === 'json') {
    return `${JSON.stringify({ v: 1, period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() }, ...report }, null, 2)}\n`;
  }
  if (format === 'csv') {
    const lines = ['by,group,answers,promoters,passives,detractors,nps'];
    for (const [by, group, f] of rows) {
      lines.push(
        [by, group, f.answers, f.promoters, f.passives, f.detractors, f.score].map(csvField).join(','),
      );
    }
    return `${lines.join('\r\n')}\r\n`;
  }
  const width = Math.max(...rows.map(([by, group]) => `${by} ${group}`.length));
  return `${[
    `NPS, ${new Date(period.from).toISOString()} to ${new Date(period.to).toISOString()}`,
    ...rows.map(
      ([by, group, f]) => `${`${by === 'all' ? 'all' : `${by} ${group}`}`.padEnd(width)}  ${npsLine(f)}`,
    ),
  ].join('\n')}\n`;
}
