import { describe, expect, it } from 'vitest';
import type { ActorRef } from '../../src/domain/refs.ts';
import { computeReport } from '../../src/reports/compute-report.ts';
import { percentile } from '../../src/reports/percentile.ts';
import type { ReportRow } from '../../src/reports/report.ts';
import { DAY, fixtureIssue, HOUR, MINUTE } from './fixtures.ts';

/*
 * A hand-checked week. The period is Monday 2026-11-02 00:00 UTC (T) to the next Monday (T + 7d).
 * Seven issues; every expected figure below is worked out by hand from these ledgers, with the
 * arithmetic in comments. Percentiles interpolate: rank (n − 1)·p/100 in the sorted values.
 */
const T = Date.parse('2026-11-02T00:00:00Z');
const PERIOD = { from: T, to: T + 7 * DAY };

const ALICE: ActorRef = { platform: 'slack', id: 'U0ALICE' };
const BOB: ActorRef = { platform: 'slack', id: 'U0BOB' };
const BILL: ActorRef = { platform: 'slack', id: 'U0BILL01' };
const MANAGER: ActorRef = { platform: 'slack', id: 'U0MGR001' };
const DORA: ActorRef = { platform: 'discord', id: '1200000000000000042' };
const HEED: ActorRef = { platform: 'heed', id: 'heed' };
const customer = (id: string) => ({ platform: 'slack' as const, id });
const discordCustomer = { platform: 'discord' as const, id: '1600000000000000001' };

const nag = (clock: string, repeat = 0) => ({
  clock,
  level: 0,
  repeat,
  dueAt: 0,
  late: false,
  generation: 0,
});

// 1 (support): the textbook one. Claimed, one answer after 30m, resolved after 2h, rated 👍. The
//   customer writes again and it reopens on T+8d: after the period, so it stays one-touch.
const one = fixtureIssue({
  number: 1,
  team: 'support',
  customer: customer('U0C1'),
  events: [
    { at: T + 1 * HOUR, kind: 'opened', actor: customer('U0C1') },
    { at: T + 1 * HOUR, kind: 'routed', actor: HEED },
    { at: T + 1 * HOUR + 10 * MINUTE, kind: 'claimed', actor: ALICE },
    { at: T + 1 * HOUR + 30 * MINUTE, kind: 'responded', actor: ALICE, data: { first: true, via: 'thread' } },
    { at: T + 3 * HOUR, kind: 'resolved', actor: ALICE, reason: 'fixed' },
    { at: T + 3 * HOUR + 10 * MINUTE, kind: 'rated', actor: customer('U0C1'), data: { score: 'up' } },
    { at: T + 8 * DAY, kind: 'customer-replied', actor: customer('U0C1') },
    { at: T + 8 * DAY, kind: 'reopened', actor: customer('U0C1') },
  ],
});

// 2 (support): nobody answers, the first-response deadline is nagged at T+6h (unowned), Bob claims,
//   apologizes 30m after the breach, answers (first response 4h40m), hands off to Alice, who
//   answers again and resolves a day after opening; rated 👎.
const two = fixtureIssue({
  number: 2,
  team: 'support',
  customer: customer('U0C2'),
  events: [
    { at: T + 2 * HOUR, kind: 'opened', actor: customer('U0C2') },
    { at: T + 6 * HOUR, kind: 'warned', actor: HEED, data: nag('firstResponse') },
    { at: T + 6 * HOUR, kind: 'nagged', actor: HEED, data: nag('firstResponse') },
    {
      at: T + 6 * HOUR + 15 * MINUTE,
      kind: 'escalated',
      actor: HEED,
      data: { ...nag('firstResponse'), level: 1 },
    },
    { at: T + 6 * HOUR + 20 * MINUTE, kind: 'claimed', actor: BOB },
    {
      at: T + 6 * HOUR + 30 * MINUTE,
      kind: 'apologized',
      actor: BOB,
      data: { sinceBreachMs: 30 * MINUTE, breach: 'firstResponse:0' },
    },
    { at: T + 6 * HOUR + 40 * MINUTE, kind: 'responded', actor: BOB, data: { first: true, via: 'thread' } },
    {
      at: T + 7 * HOUR,
      kind: 'handed-off',
      actor: BOB,
      reason: 'Alice knows exports',
      data: { from: 'U0BOB', to: 'U0ALICE' },
    },
    { at: T + 8 * HOUR, kind: 'customer-replied', actor: customer('U0C2') },
    {
      at: T + 8 * HOUR + 30 * MINUTE,
      kind: 'responded',
      actor: ALICE,
      data: { first: false, via: 'thread' },
    },
    { at: T + 26 * HOUR, kind: 'resolved', actor: ALICE },
    { at: T + 26 * HOUR + 10 * MINUTE, kind: 'rated', actor: customer('U0C2'), data: { score: 'down' } },
  ],
});

// 3 (billing, Discord, policy with a next-response target): opened, claimed and first answered the day
//   before the period. In the period Dora answers the customer's follow-up, resolves (26h after
//   opening); the customer writes and it reopens; the next-response deadline is nagged (then nagged
//   again as a level-0 repeat); Dora apologizes 1h30m after the breach, answers, resolves again (36h).
const three = fixtureIssue({
  number: 3,
  team: 'billing',
  customer: discordCustomer,
  nextResponse: true,
  events: [
    { at: T - 1 * DAY, kind: 'opened', actor: discordCustomer },
    { at: T - 23 * HOUR, kind: 'claimed', actor: DORA },
    { at: T - 22 * HOUR, kind: 'responded', actor: DORA, data: { first: true, via: 'thread' } },
    { at: T - 20 * HOUR, kind: 'customer-replied', actor: discordCustomer },
    { at: T + 1 * HOUR, kind: 'responded', actor: DORA, data: { first: false, via: 'thread' } },
    { at: T + 2 * HOUR, kind: 'resolved', actor: DORA },
    { at: T + 5 * HOUR, kind: 'customer-replied', actor: discordCustomer },
    { at: T + 5 * HOUR, kind: 'reopened', actor: discordCustomer, reason: 'the customer wrote again' },
    { at: T + 9 * HOUR, kind: 'nagged', actor: HEED, data: nag('nextResponse') },
    { at: T + 9 * HOUR + 15 * MINUTE, kind: 'nagged', actor: HEED, data: nag('nextResponse', 1) },
    {
      at: T + 10 * HOUR + 30 * MINUTE,
      kind: 'apologized',
      actor: DORA,
      data: { sinceBreachMs: 90 * MINUTE, breach: 'nextResponse:0' },
    },
    { at: T + 11 * HOUR, kind: 'responded', actor: DORA, data: { first: false, via: 'command' } },
    { at: T + 12 * HOUR, kind: 'resolved', actor: DORA },
  ],
});

// 4 (support): Bob claims and releases; the first-response deadline is nagged while unowned; Alice
//   claims, answers and resolves on T+7d, after the period.
const four = fixtureIssue({
  number: 4,
  team: 'support',
  customer: customer('U0C4'),
  events: [
    { at: T + 6 * DAY, kind: 'opened', actor: customer('U0C4') },
    { at: T + 6 * DAY + 1 * HOUR, kind: 'claimed', actor: BOB },
    { at: T + 6 * DAY + 2 * HOUR, kind: 'released', actor: BOB, data: { previousOwner: 'U0BOB' } },
    { at: T + 6 * DAY + 4 * HOUR, kind: 'nagged', actor: HEED, data: nag('firstResponse') },
    { at: T + 7 * DAY + 1 * HOUR, kind: 'claimed', actor: ALICE },
    { at: T + 7 * DAY + 2 * HOUR, kind: 'responded', actor: ALICE, data: { first: true, via: 'thread' } },
    { at: T + 7 * DAY + 3 * HOUR, kind: 'resolved', actor: ALICE },
  ],
});

// 5 (support): entirely before the period; contributes nothing.
const five = fixtureIssue({
  number: 5,
  team: 'support',
  customer: customer('U0C5'),
  events: [
    { at: T - 3 * DAY, kind: 'opened', actor: customer('U0C5') },
    { at: T - 3 * DAY, kind: 'claimed', actor: ALICE },
    { at: T - 3 * DAY + HOUR, kind: 'responded', actor: ALICE, data: { first: true, via: 'thread' } },
    { at: T - 3 * DAY + 2 * HOUR, kind: 'resolved', actor: ALICE },
    { at: T - 2 * DAY, kind: 'rated', actor: customer('U0C5'), data: { score: 'up' } },
  ],
});

// 6 (billing): Bill's answer (20m) claims it; a manager hands it from Bill to Bob; Bob apologizes
//   (no breach, so no delay), resolves after 3h with that single answer; rated 👍.
const six = fixtureIssue({
  number: 6,
  team: 'billing',
  customer: customer('U0C6'),
  events: [
    { at: T + 2 * DAY, kind: 'opened', actor: customer('U0C6') },
    { at: T + 2 * DAY + 20 * MINUTE, kind: 'claimed', actor: BILL, reason: 'replied to the customer' },
    { at: T + 2 * DAY + 20 * MINUTE, kind: 'responded', actor: BILL, data: { first: true, via: 'thread' } },
    {
      at: T + 2 * DAY + 1 * HOUR,
      kind: 'handed-off',
      actor: MANAGER,
      reason: 'Bob owns refunds',
      data: { from: 'U0BILL01', to: 'U0BOB' },
    },
    { at: T + 2 * DAY + 2 * HOUR, kind: 'apologized', actor: BOB, reason: 'the refund form is confusing' },
    { at: T + 2 * DAY + 3 * HOUR, kind: 'resolved', actor: BOB },
    { at: T + 2 * DAY + 4 * HOUR, kind: 'rated', actor: customer('U0C6'), data: { score: 'up' } },
  ],
});

// 7 (support): Alice claims and resolves a duplicate after 40m without answering.
const seven = fixtureIssue({
  number: 7,
  team: 'support',
  customer: customer('U0C7'),
  events: [
    { at: T + 4 * DAY, kind: 'opened', actor: customer('U0C7') },
    { at: T + 4 * DAY + 10 * MINUTE, kind: 'claimed', actor: ALICE },
    { at: T + 4 * DAY + 40 * MINUTE, kind: 'resolved', actor: ALICE, reason: 'duplicate of #2' },
  ],
});

const ISSUES = [one, two, three, four, five, six, seven];

function row(overrides: Partial<ReportRow> & Pick<ReportRow, 'group'>): ReportRow {
  return {
    claimed: 0,
    resolved: 0,
    firstResponse: { count: 0, medianMs: null, p90Ms: null },
    resolution: { count: 0, medianMs: null, p90Ms: null },
    sla: { deadlines: 0, met: 0, breached: 0, attainmentPct: null },
    breaches: 0,
    apologies: { count: 0, medianDelayMs: null },
    handOffs: 0,
    reopens: 0,
    oneTouch: 0,
    csat: { rated: 0, up: 0, pct: null },
    ...overrides,
  };
}

// The same for both groupings: every in-period event once.
const TOTAL = row({
  group: 'all',
  // Alice #1 #7, Bob #2 #4, Bill #6 (Dora's claim of #3 and Alice's of #4 on T+7d are outside).
  claimed: 5,
  // #1, #2, #7 (Alice), #6 (Bob), #3 twice (Dora).
  resolved: 6,
  // #6 20m, #1 30m, #2 4h40m → sorted [1.2M, 1.8M, 16.8M] ms; median 1.8M;
  // p90 rank 1.8 → 1.8M + 0.8 × (16.8M − 1.8M) = 13.8M.
  firstResponse: { count: 3, medianMs: 1_800_000, p90Ms: 13_800_000 },
  // #7 40m, #1 2h, #6 3h, #2 24h, #3 26h and 36h → [2.4M, 7.2M, 10.8M, 86.4M, 93.6M, 129.6M];
  // median rank 2.5 → 10.8M + 0.5 × 75.6M = 48.6M; p90 rank 4.5 → 93.6M + 0.5 × 36M = 111.6M.
  resolution: { count: 6, medianMs: 48_600_000, p90Ms: 111_600_000 },
  // Met: #1 first response + resolution, #2 resolution, #7 first response (ended by resolving) +
  // resolution (Alice 5); #6 first response (Bill) + resolution (Bob); #3 next response at T+1h,
  // resolution at T+2h, resolution again at T+12h (Dora 3) → 10.
  // Breached: #2 and #4 first response (unassigned), #3 next response after the reopen (Dora) → 3.
  // 10 / 13 = 76.92% → 76.9.
  sla: { deadlines: 13, met: 10, breached: 3, attainmentPct: 76.9 },
  // #2, #4 first response and #3 next response; #3's level-0 repeat nag is not a new breach.
  breaches: 3,
  // Bob #2 (30m after) and #6 (no breach), Dora #3 (1h30m after) → delays [1.8M, 5.4M], median 3.6M.
  apologies: { count: 3, medianDelayMs: 3_600_000 },
  // #2 (Bob → Alice), #6 (Bill → Bob).
  handOffs: 2,
  // #3 at T+5h (#1's reopen is on T+8d, outside).
  reopens: 1,
  // #1 (one answer, its reopen is after the period) and #6 (one answer); #2 had two answers, #7
  // none, #3 three and a reopen.
  oneTouch: 2,
  // 👍 #1, 👎 #2, 👍 #6 (#5's rating is before the period) → 2 / 3 = 66.67% → 66.7.
  csat: { rated: 3, up: 2, pct: 66.7 },
});

describe('computeReport on a hand-checked week of ledgers', () => {
  it('per owner: each figure goes to the person the event is attributed to', () => {
    const report = computeReport(ISSUES, PERIOD, 'owner');
    expect(report.period).toEqual(PERIOD);
    expect(report.groupBy).toBe('owner');
    expect(report.issues).toBe(7);
    expect(report.rows.map((r) => r.group)).toEqual([
      'discord:1200000000000000042',
      'slack:U0ALICE',
      'slack:U0BILL01',
      'slack:U0BOB',
      'unassigned',
    ]);
    const [dora, alice, bill, bob, unassigned] = report.rows;

    expect(dora).toEqual(
      row({
        group: 'discord:1200000000000000042',
        // Her claim and first answer were the day before the period.
        resolved: 2,
        // #3: T+2h − (T−1d) = 26h = 93.6M; T+12h − (T−1d) = 36h = 129.6M → median rank 0.5 →
        // 111.6M; p90 rank 0.9 → 93.6M + 0.9 × 36M = 126M.
        resolution: { count: 2, medianMs: 111_600_000, p90Ms: 126_000_000 },
        // Met: next response (T+1h), resolution (T+2h), resolution after the reopen (T+12h);
        // breached: the next response nagged at T+9h while she owned it → 3 / 4 = 75%.
        sla: { deadlines: 4, met: 3, breached: 1, attainmentPct: 75 },
        breaches: 1,
        apologies: { count: 1, medianDelayMs: 5_400_000 },
        // The customer reopened #3 while she owned it.
        reopens: 1,
      }),
    );
    expect(alice).toEqual(
      row({
        group: 'slack:U0ALICE',
        claimed: 2, // #1, #7
        resolved: 3, // #1, #2 (handed to her), #7
        firstResponse: { count: 1, medianMs: 1_800_000, p90Ms: 1_800_000 }, // #1: 30m
        // [40m, 2h, 24h] = [2.4M, 7.2M, 86.4M]: median 7.2M; p90 rank 1.8 → 7.2M + 0.8 × 79.2M = 70.56M.
        resolution: { count: 3, medianMs: 7_200_000, p90Ms: 70_560_000 },
        // #1 first response + resolution, #2 resolution, #7 first response + resolution → 5 / 5.
        sla: { deadlines: 5, met: 5, breached: 0, attainmentPct: 100 },
        oneTouch: 1, // #1
        csat: { rated: 2, up: 1, pct: 50 }, // #1 👍 and #2 👎, both hers when rated
      }),
    );
    expect(bill).toEqual(
      row({
        group: 'slack:U0BILL01',
        claimed: 1, // #6, by answering it
        firstResponse: { count: 1, medianMs: 1_200_000, p90Ms: 1_200_000 }, // #6: 20m
        sla: { deadlines: 1, met: 1, breached: 0, attainmentPct: 100 }, // #6 first response
        handOffs: 1, // #6 was his when the manager handed it to Bob
      }),
    );
    expect(bob).toEqual(
      row({
        group: 'slack:U0BOB',
        claimed: 2, // #2, #4 (released later)
        resolved: 1, // #6
        firstResponse: { count: 1, medianMs: 16_800_000, p90Ms: 16_800_000 }, // #2: 6h40m − 2h = 4h40m
        resolution: { count: 1, medianMs: 10_800_000, p90Ms: 10_800_000 }, // #6: 3h
        sla: { deadlines: 1, met: 1, breached: 0, attainmentPct: 100 }, // #6 resolution
        apologies: { count: 2, medianDelayMs: 1_800_000 }, // #2 (30m after), #6 (no breach)
        handOffs: 1, // #2 to Alice
        oneTouch: 1, // #6
        csat: { rated: 1, up: 1, pct: 100 }, // #6
      }),
    );
    expect(unassigned).toEqual(
      row({
        group: 'unassigned',
        // #2 and #4 first responses were nagged while nobody owned them.
        sla: { deadlines: 2, met: 0, breached: 2, attainmentPct: 0 },
        breaches: 2,
      }),
    );
    expect(report.total).toEqual(TOTAL);
  });

  it('per team: each figure goes to the team stamped on its event', () => {
    const report = computeReport(ISSUES, PERIOD, 'team');
    expect(report.rows.map((r) => r.group)).toEqual(['billing', 'support']);
    const [billing, support] = report.rows;
    expect(billing).toEqual(
      row({
        group: 'billing',
        claimed: 1, // Bill #6
        resolved: 3, // #3 twice, #6
        firstResponse: { count: 1, medianMs: 1_200_000, p90Ms: 1_200_000 }, // #6
        // [3h, 26h, 36h] = [10.8M, 93.6M, 129.6M]: median 93.6M; p90 rank 1.8 → 93.6M + 0.8 × 36M = 122.4M.
        resolution: { count: 3, medianMs: 93_600_000, p90Ms: 122_400_000 },
        // #3: 3 met, 1 breached; #6: first response and resolution met → 5 / 6 = 83.33% → 83.3.
        sla: { deadlines: 6, met: 5, breached: 1, attainmentPct: 83.3 },
        breaches: 1,
        apologies: { count: 2, medianDelayMs: 5_400_000 }, // #3 (1h30m), #6 (no breach)
        handOffs: 1,
        reopens: 1,
        oneTouch: 1, // #6
        csat: { rated: 1, up: 1, pct: 100 },
      }),
    );
    expect(support).toEqual(
      row({
        group: 'support',
        claimed: 4, // #1, #2, #4, #7
        resolved: 3, // #1, #2, #7
        // [30m, 4h40m] = [1.8M, 16.8M]: median rank 0.5 → 9.3M; p90 rank 0.9 → 1.8M + 0.9 × 15M = 15.3M.
        firstResponse: { count: 2, medianMs: 9_300_000, p90Ms: 15_300_000 },
        resolution: { count: 3, medianMs: 7_200_000, p90Ms: 70_560_000 }, // as Alice's
        // Met: #1 ×2, #2 resolution, #7 ×2; breached: #2 and #4 first response → 5 / 7 = 71.43% → 71.4.
        sla: { deadlines: 7, met: 5, breached: 2, attainmentPct: 71.4 },
        breaches: 2,
        apologies: { count: 1, medianDelayMs: 1_800_000 },
        handOffs: 1,
        oneTouch: 1,
        csat: { rated: 2, up: 1, pct: 50 },
      }),
    );
    expect(report.total).toEqual(TOTAL);
  });

  it('ignores events outside the period, before and after', () => {
    // #5 lies wholly before the period.
    const before = computeReport([five], PERIOD, 'owner');
    expect(before.rows).toEqual([]);
    expect(before.total).toEqual(row({ group: 'all' }));

    // The two days after the week hold #4's claim, answer and resolution and #1's reopen.
    const nextDay = computeReport(ISSUES, { from: PERIOD.to, to: PERIOD.to + 2 * DAY }, 'owner');
    expect(nextDay.total).toEqual(
      row({
        group: 'all',
        claimed: 1,
        resolved: 1,
        // #4: answered T+7d+2h, opened T+6d → 26h.
        firstResponse: { count: 1, medianMs: 26 * HOUR, p90Ms: 26 * HOUR },
        resolution: { count: 1, medianMs: 27 * HOUR, p90Ms: 27 * HOUR },
        // #4's first response was breached (and counted) in the week; only its resolution settles now.
        sla: { deadlines: 1, met: 1, breached: 0, attainmentPct: 100 },
        reopens: 1,
        oneTouch: 1,
      }),
    );
  });

  it('splits cleanly: two adjacent periods add up to the whole', () => {
    const mid = T + 3 * DAY;
    const first = computeReport(ISSUES, { from: PERIOD.from, to: mid }, 'team').total;
    const second = computeReport(ISSUES, { from: mid, to: PERIOD.to }, 'team').total;
    expect(first.claimed + second.claimed).toBe(TOTAL.claimed);
    expect(first.resolved + second.resolved).toBe(TOTAL.resolved);
    expect(first.sla.deadlines + second.sla.deadlines).toBe(TOTAL.sla.deadlines);
    expect(first.sla.breached + second.sla.breached).toBe(TOTAL.sla.breached);
    expect(first.breaches + second.breaches).toBe(TOTAL.breaches);
    expect(first.csat.rated + second.csat.rated).toBe(TOTAL.csat.rated);
  });

  it('is deterministic: issue order and duplicates do not change the result', () => {
    const forward = computeReport(ISSUES, PERIOD, 'owner');
    const shuffled = computeReport([seven, three, one, six, two, five, four, one], PERIOD, 'owner');
    expect(shuffled).toEqual(forward);
  });

  it('an empty period has a total row and no groups', () => {
    const report = computeReport([], PERIOD, 'team');
    expect(report.rows).toEqual([]);
    expect(report.total).toEqual(row({ group: 'all' }));
  });
});

describe('percentile', () => {
  it('interpolates between closest ranks and rounds to whole milliseconds', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([10, 20], 50)).toBe(15);
    expect(percentile([4, 1, 3, 2], 50)).toBe(3); // rank 1.5 → 2.5 → rounded 3
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9); // rank 8.1 → 9.1 → 9
    expect(percentile([0, 100], 90)).toBe(90);
  });
});
