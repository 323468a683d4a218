import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run-command.ts';
import { loadIssuesForPeriod } from '../../src/reports/load-report-data.ts';
import { type Harness, MONDAY_10AM, startHarness } from '../support/harness.ts';
import { IDS } from '../support/test-config.ts';

const S = IDS.slack;
const DAY = 86_400_000;
const dayOf = (at: number) => Date.parse(new Date(at).toISOString().slice(0, 10));

async function openIssue(h: Harness, messageId: string, text: string) {
  const outcome = await h.heed.handleMessage({
    platform: 'slack',
    channel: S.customerChannel,
    messageId,
    text,
    at: h.clock.now(),
    author: { id: S.customer, name: 'Dana Customer' },
  });
  if (outcome.kind !== 'opened') throw new Error(`expected an issue to open, got ${outcome.kind}`);
  return outcome.issue;
}

async function staff(h: Harness, text: string) {
  await runCommand(h.heed, { person: { platform: 'slack', id: S.staff }, input: { text } });
}

describe('loadIssuesForPeriod', () => {
  it('reads the issues opened in the period, whole, and none from other days', async () => {
    const h = await startHarness();
    const monday = await openIssue(h, '1763890000.000001', 'The export fails');
    await staff(h, 'claim #1');
    h.clock.advance(2 * DAY);
    const wednesday = await openIssue(h, '1764060000.000001', 'Login is slow');

    const mondayOnly = await loadIssuesForPeriod(h.heed.issues, {
      from: dayOf(MONDAY_10AM),
      to: dayOf(MONDAY_10AM) + DAY,
    });
    expect(mondayOnly.map((issue) => issue.id)).toEqual([monday.id]);
    expect(mondayOnly[0]?.history.map((event) => event.kind)).toEqual(['opened', 'routed', 'claimed']);

    const week = await loadIssuesForPeriod(h.heed.issues, {
      from: dayOf(MONDAY_10AM),
      to: h.clock.now() + 1,
    });
    expect(week.map((issue) => issue.id).sort()).toEqual([monday.id, wednesday.id].sort());

    expect(await loadIssuesForPeriod(h.heed.issues, { from: h.clock.now(), to: h.clock.now() })).toEqual([]);
  });

  // An issue opened before the period and worked in it must be found through the day index.
  it('finds an issue opened before the period and resolved in it', async () => {
    const h = await startHarness();
    const issue = await openIssue(h, '1763890000.000002', 'The export fails');
    await staff(h, 'claim #1');
    h.clock.advance(2 * DAY);
    await staff(h, 'resolve #1 Rolled back the export change');
    const loaded = await loadIssuesForPeriod(h.heed.issues, {
      from: dayOf(h.clock.now()),
      to: dayOf(h.clock.now()) + DAY,
    });
    expect(loaded.map((i) => i.id)).toEqual([issue.id]);
  });
});
