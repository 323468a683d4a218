import { describe, expect, it } from 'vitest';
import { startHarness } from '../support/harness.ts';
import { IDS } from '../support/test-config.ts';

function message(n: number, at: number) {
  return {
    platform: 'slack' as const,
    channel: IDS.slack.customerChannel,
    messageId: `1700000000.${String(n).padStart(6, '0')}`,
    text: `Question ${n}`,
    at,
    author: { id: `U0CUST${String(n).padStart(3, '0')}` },
  };
}

describe('issue numbers', () => {
  it('thirty customers writing at once get thirty different numbers, 1 to 30', async () => {
    const { heed, clock } = await startHarness();
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, n) => heed.handleMessage(message(n + 1, clock.now()))),
    );
    const numbers = outcomes.map((outcome) => ('issue' in outcome ? outcome.issue.number : 0));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, n) => n + 1));
    expect(await heed.issues.lastIssueNumber()).toBe(30);
  });

  it('a create that fails leaves no gap: the next issue takes the number it would have had', async () => {
    const { heed, clock } = await startHarness();
    await heed.handleMessage(message(1, clock.now()));
    await expect(
      heed.issues.create(() => {
        throw new Error('routing blew up');
      }),
    ).rejects.toThrow('routing blew up');
    expect(await heed.issues.lastIssueNumber()).toBe(1);
    const second = await heed.handleMessage(message(2, clock.now()));
    expect('issue' in second && second.issue.number).toBe(2);
    expect((await heed.issues.getByNumber(2))?.subject).toBe('Question 2');
    expect(await heed.issues.getByNumber(3)).toBeUndefined();
  });
});
