/** NPS per team, tier and period on a hand-checked fixture; the same figures in table, CSV, JSON and the digest. */
import { describe, expect, it } from 'vitest';
import { composeDigest } from '../../src/digest/compose-digest.ts';
import { toPlainText } from '../../src/messages/rich-text.ts';
import { formatNps, npsReport, npsSummary } from '../../src/reports/nps-report.ts';
import type { Report, ReportIssue } from '../../src/reports/report.ts';

const H = 3_600_000;
const period = { from: 10 * H, to: 100 * H };

type Event = { kind: string; at: number; data?: Record<string, unknown> };
function issue(number: number, team: string, tier: string | undefined, events: Event[]): ReportIssue {
  return {
    id: `i${number}`,
    team,
    openedAt: 1 * H,
    customer: { platform: 'slack', id: `U0CUST${number}`, ...(tier ? { tier } : {}) },
    history: [{ kind: 'opened', at: 1 * H }, ...events].map((e) => ({ ...e, issueNumber: number })),
    sla: { clocks: {} },
  } as unknown as ReportIssue;
}
const answered = (score: unknown, at: number): Event => ({ kind: 'nps-answered', at, data: { score } });

// Hand-checked (period 10h–100h, `to` excluded). Promoters 9–10, passives 7–8, detractors 0–6.
//   #1 support, enterprise: 10 at 20h  → promoter
//   #2 support, enterprise:  9 at 30h  → promoter
//   #3 support, no tier:     8 at 40h  → passive
//   #4 support, no tier:     6 at 50h  → detractor
//   #5 billing, enterprise:  3 at 60h  → detractor
//   #6 billing, no tier:     7 at 70h  → passive
//   #7 billing, no tier:    10 at  5h  → before the period: not counted
//   #8 support, enterprise:  0 at 100h → the period's end: not counted
//   #9 support: a damaged answer (11) and one stored as text ("9"): not counted
//  #10 support: asked, never answered: not counted
// support    4 answers: 2 promoters, 1 passive, 1 detractor → (2 − 1) / 4 = +25
// billing    2 answers: 0 promoters, 1 passive, 1 detractor → (0 − 1) / 2 = −50
// enterprise 3 answers (#1 #2 #5): 2 promoters, 1 detractor → (2 − 1) / 3 = +33.3 → +33
// no tier    3 answers (#3 #4 #6): 0 promoters, 2 passives, 1 detractor → −33.3 → −33
// all        6 answers: 2 promoters, 2 passives, 2 detractors → 0
const ISSUES = [
  issue(1, 'support', 'enterprise', [answered(10, 20 * H)]),
  issue(2, 'support', 'enterprise', [answered(9, 30 * H)]),
  issue(3, 'support', undefined, [answered(8, 40 * H)]),
  issue(4, 'support', undefined, [answered(6, 50 * H)]),
  issue(5, 'billing', 'enterprise', [answered(3, 60 * H)]),
  issue(6, 'billing', undefined, [answered(7, 70 * H)]),
  issue(7, 'billing', undefined, [answered(10, 5 * H)]),
  issue(8, 'support', 'enterprise', [answered(0, 100 * H)]),
  issue(9, 'support', undefined, [answered(11, 20 * H), answered('9', 21 * H)]),
  issue(10, 'support', undefined, [{ kind: 'nps-asked', at: 20 * H, data: { nps: true } }]),
];

const figures = (
  answers: number,
  promoters: number,
  passives: number,
  detractors: number,
  score: number,
) => ({
  answers,
  promoters,
  passives,
  detractors,
  score,
});

describe('the NPS report', () => {
  it('gives NPS per team, per tier and in total over the period', () => {
    expect(npsReport(ISSUES, period)).toEqual({
      total: figures(6, 2, 2, 2, 0),
      teams: [
        { team: 'billing', figures: figures(2, 0, 1, 1, -50) },
        { team: 'support', figures: figures(4, 2, 1, 1, 25) },
      ],
      tiers: [
        { tier: 'enterprise', figures: figures(3, 2, 0, 1, 33) },
        { tier: 'no tier', figures: figures(3, 0, 2, 1, -33) },
      ],
    });
    // A wider period takes in #7 and #8: billing (1 − 1) / 3 = 0; support (2 − 2) / 5 = 0.
    const wide = npsReport(ISSUES, { from: 0, to: 101 * H });
    expect(wide.teams.map((t) => [t.team, t.figures.answers, t.figures.score])).toEqual([
      ['billing', 3, 0],
      ['support', 5, 0],
    ]);
  });

  it('prints the figures as a table, CSV and JSON', () => {
    const report = npsReport(ISSUES, period);
    expect(formatNps(report, period, 'table')).toBe(
      [
        'NPS, 1970-01-01T10:00:00.000Z to 1970-01-05T04:00:00.000Z',
        'team billing     NPS -50 (2 answers: 0 promoters, 1 passive, 1 detractor)',
        'team support     NPS +25 (4 answers: 2 promoters, 1 passive, 1 detractor)',
        'tier enterprise  NPS +33 (3 answers: 2 promoters, 0 passives, 1 detractor)',
        'tier no tier     NPS -33 (3 answers: 0 promoters, 2 passives, 1 detractor)',
        'all              NPS 0 (6 answers: 2 promoters, 2 passives, 2 detractors)',
        '',
      ].join('\n'),
    );
    expect(formatNps(report, period, 'csv').split('\r\n')).toEqual([
      'by,group,answers,promoters,passives,detractors,nps',
      'team,billing,2,0,1,1,-50',
      'team,support,4,2,1,1,25',
      'tier,enterprise,3,2,0,1,33',
      'tier,no tier,3,0,2,1,-33',
      'all,all,6,2,2,2,0',
      '',
    ]);
    const json = JSON.parse(formatNps(report, period, 'json'));
    expect(json.total).toEqual(figures(6, 2, 2, 2, 0));
    expect(json.period).toEqual({ from: '1970-01-01T10:00:00.000Z', to: '1970-01-05T04:00:00.000Z' });
  });

  it('says nothing was answered rather than a score of nothing', () => {
    const none = npsReport([ISSUES[9]!], period);
    expect(none.total.score).toBeNull();
    expect(npsSummary(none)).toBe('NPS: no answers');
  });

  it("gives the team's NPS with its tiers in the manager digest", () => {
    const supportOnly = npsReport(
      ISSUES.filter((i) => i.team === 'support'),
      period,
    );
    const empty: Report = {
      period,
      groupBy: 'owner',
      rows: [],
      total: {} as Report['total'],
    } as unknown as Report;
    const digest = toPlainText(
      composeDigest({
        teamName: 'Support',
        every: 'weekly',
        period,
        report: empty,
        queue: [],
        now: period.to,
        late: false,
        platform: 'slack',
        nps: supportOnly,
      }),
    );
    // support: enterprise #1 #2 (both promoters) → +100; no tier #3 #4 (passive, detractor) → −50.
    expect(digest.split('\n')[1]).toBe(
      '📣 NPS +25 (4 answers: 2 promoters, 1 passive, 1 detractor) · by tier: enterprise +100 (2), no tier -50 (2)',
    );
  });
});
