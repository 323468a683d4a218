import { describe, expect, it } from 'vitest';
import { composeDigest } from '../../src/digest/compose-digest.ts';
import { toPlainText } from '../../src/messages/rich-text.ts';
import type { Report, ReportIssue } from '../../src/reports/report.ts';
import { formatMoney, moneyFigures } from '../../src/reports/revenue-at-risk.ts';

const H = 3_600_000;
const period = { from: 10 * H, to: 100 * H };
const config = { tiers: [{ id: 'enterprise', value: 50_000 }] };

type Event = { kind: string; at: number; data?: Record<string, unknown> };
function issue(number: number, customer: Record<string, unknown>, events: Event[]): ReportIssue {
  const history = events.map((e) => ({ ...e, issueNumber: number }));
  return {
    id: `i${number}`,
    team: 'support',
    openedAt: events[0]!.at,
    customer: { platform: 'slack', ...customer },
    history,
    sla: { clocks: {} },
  } as unknown as ReportIssue;
}

// Hand-checked (period 10h–100h):
//   #1 Dana (own value 12k): breached at 12h, still open              → at risk 12k (breach); waited 9h
//   #2 BigCo buyer (enterprise tier, 50k): resolved, then rated 👎      → at risk 50k; waited 0.5h
//   #3 Lee (1k): breached but resolved; NPS 5 later                     → at risk 1k (detractor); waited 1.5h
//   #4 Eve (no value): breached, open                                   → at risk, not valued
//   #5 Dana again (same profile): rated 👎                               → Dana once: breach + 👎, #1 and #5; waited 0.5h
// Revenue at risk 12k + 50k + 1k = 63k. Breaches 3, value-weighted 12k + 1k + 0 = 13k.
// Value-weighted wait (12k·9h + 50k·0.5h + 1k·1.5h + 12k·0.5h) / 75k = 140.5k / 75k h = 1.8733h = 6,744,000 ms.
const ISSUES = [
  issue(1, { id: 'U0DANA001', name: 'Dana', profileId: 'p-dana', value: 12_000 }, [
    { kind: 'opened', at: 11 * H },
    { kind: 'nagged', at: 12 * H },
    { kind: 'responded', at: 20 * H },
  ]),
  issue(2, { id: 'U0BIG0001', name: 'BigCo buyer', tier: 'enterprise' }, [
    { kind: 'opened', at: 11 * H },
    { kind: 'responded', at: 11.5 * H },
    { kind: 'resolved', at: 12 * H },
    { kind: 'rated', at: 13 * H, data: { score: 'down' } },
  ]),
  issue(3, { id: 'U0LEE0001', name: 'Lee', value: 1_000 }, [
    { kind: 'opened', at: 11 * H },
    { kind: 'nagged', at: 12 * H },
    { kind: 'responded', at: 12.5 * H },
    { kind: 'resolved', at: 13 * H },
    { kind: 'nps-answered', at: 14 * H, data: { score: 5 } },
  ]),
  issue(4, { id: 'U0EVE0001', name: 'Eve' }, [
    { kind: 'opened', at: 11 * H },
    { kind: 'nagged', at: 12 * H },
  ]),
  issue(5, { id: 'U0DANA001', name: 'Dana', profileId: 'p-dana', value: 12_000 }, [
    { kind: 'opened', at: 14 * H },
    { kind: 'responded', at: 14.5 * H },
    { kind: 'resolved', at: 14.75 * H },
    { kind: 'rated', at: 15 * H, data: { score: 'down' } },
  ]),
];

describe('revenue at risk and value-weighted figures (hand-checked)', () => {
  it('sums each customer at risk once, and weighs breaches and waits by value', () => {
    expect(moneyFigures(config, ISSUES, period)).toEqual({
      revenueAtRisk: 63_000,
      atRisk: [
        {
          customer: 'slack:U0BIG0001',
          name: 'BigCo buyer',
          value: 50_000,
          reasons: ['thumbs-down'],
          issues: [2],
        },
        {
          customer: 'p-dana',
          name: 'Dana',
          value: 12_000,
          reasons: ['breach', 'thumbs-down'],
          issues: [1, 5],
        },
        { customer: 'slack:U0LEE0001', name: 'Lee', value: 1_000, reasons: ['detractor'], issues: [3] },
      ],
      unvalued: 1,
      valueWeightedBreaches: 13_000,
      breaches: 3,
      valueWeightedWaitMs: 6_744_000,
    });
  });

  it('leads the manager digest, and prints as a table', () => {
    const report: Report = { period, groupBy: 'owner', issues: 0, rows: [], total: {} } as unknown as Report;
    const digest = toPlainText(
      composeDigest({
        teamName: 'Support',
        every: 'weekly',
        period,
        report,
        queue: [],
        now: period.to,
        late: false,
        platform: 'slack',
        money: moneyFigures(config, ISSUES, period),
      }),
    );
    expect(digest.split('\n')[1]).toBe(
      '💰 *Revenue at risk: ARR 63k* — BigCo buyer 50k (👎: #2); Dana 12k (breached, still open, 👎: #1, #5); Lee 1k (NPS detractor: #3)',
    );
    const table = formatMoney(moneyFigures(config, ISSUES, period), period, 'table');
    expect(table).toContain(
      ': ARR 63k\nBreaches: 3 (value-weighted 13k) · value-weighted first-response wait 1h 52m',
    );
    expect(table).toMatch(/\nDana\s+12k\s+breach, thumbs-down\s+#1 #5\n/);
    expect(formatMoney(moneyFigures(config, [], period), period, 'table')).toContain(
      'No valued customer at risk.',
    );
  });
});
