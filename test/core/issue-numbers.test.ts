import { describe, expect, it } from 'vitest';
import { startHarness } from '../support/harness.ts';
import { IDS } from '../support/test-config.ts';

describe('issue numbers', () => {
  it('a number left behind by an interrupted create names no issue', async () => {
    const { heed, store, clock } = await startHarness();
    await heed.handleMessage({
      platform: 'slack',
      channel: IDS.slack.customerChannel,
      messageId: '1700000000.000001',
      text: 'Question',
      at: clock.now(),
      author: { id: IDS.slack.customer },
    });
    const issue = (await heed.findIssue('#1'))!;
    // As after a crash between taking number 7 and storing the issue, which was then created again as #1.
    await store.collection('numbers').set('7', { v: 1, issueId: issue.id });
    expect(await heed.issues.getByNumber(7)).toBeUndefined();
    expect(await heed.findIssue('#7')).toBeUndefined();
    expect((await heed.issues.getByNumber(1))?.id).toBe(issue.id);
  });
});
