import { describe, expect, it } from 'vitest';
import { computeReport } from '../../src/reports/compute-report.ts';
import { DAY, S, startSatisfaction } from './satisfaction-harness.ts';

describe('CSAT in the ownership report', () => {
  it('counts each customer rating once, attributed to the owner, and ignores refused clicks', async () => {
    const h = await startSatisfaction();
    const from = h.clock.now();
    const issues = [await h.resolved(), await h.resolved(), await h.resolved(), await h.resolved()];
    await h.press(S.customer, 'rate-up', issues[0]!, { comment: 'Great' });
    await h.press(S.customer, 'rate-up', issues[1]!);
    await h.press(S.customer, 'rate-down', issues[2]!, { comment: 'Slow' });
    // Not counted: a second click, a staff member's click, an unrated issue.
    await h.press(S.customer, 'rate-down', issues[0]!);
    await h.press(S.staff, 'rate-down', issues[3]!);
    await h.elapse(8 * DAY); // auto-closed: the ratings stay
    const stored = await Promise.all(issues.map((issue) => h.issue(issue.id)));
    expect(stored.every((issue) => issue.status === 'closed')).toBe(true);

    const period = { from, to: h.clock.now() + 1 };
    const byOwner = computeReport(stored, period, 'owner');
    expect(byOwner.total.csat).toEqual({ rated: 3, up: 2, pct: 66.7 });
    expect(byOwner.rows.find((row) => row.group === `slack:${S.staff}`)?.csat).toEqual({
      rated: 3,
      up: 2,
      pct: 66.7,
    });
    expect(computeReport(stored, period, 'team').rows.map((row) => [row.group, row.csat.pct])).toEqual([
      ['support', 66.7],
    ]);
    // The recovery task of the 👎 is not an SLA escalation or breach.
    expect(byOwner.total.breaches).toBe(0);
  });
});
