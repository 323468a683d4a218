/** NPS through the real Bolt app: the 0–10 scale in the customer's thread (one actions block the emulator accepts), a press, its comment form. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../support/test-config.ts';
import { type Fixture, S, startFixture } from './slack-fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await startFixture({ config: testConfig({ nps: { after: '1 resolved issue' } }) });
});
afterEach(async () => {
  await f.close();
});

describe('NPS on Slack', () => {
  it('asks with eleven buttons after a resolution and records the customer’s answer and comment', async () => {
    await f.say('The dashboard is blank');
    await f.emu.slashCommand({
      command: '/heed',
      text: 'resolve #1 Cleared the cache',
      userId: S.staff,
      channelId: S.teamChannel,
    });
    await expect
      .poll(() => f.emu.messagesIn(S.customerChannel).some((m) => m.text?.includes('How likely')))
      .toBe(true);
    const question = f.emu.messagesIn(S.customerChannel).find((m) => m.text?.includes('How likely'))!;
    const buttons = (question.blocks as Array<{ type: string; elements?: Array<{ action_id: string }> }>)
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? []);
    expect(buttons.map((b) => b.action_id)).toEqual(
      ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'].map(
        (w) => `heed:nps-${w}`,
      ),
    );
    await f.emu.blockAction({
      userId: S.customer,
      channelId: S.customerChannel,
      messageTs: question.ts,
      actionId: 'heed:nps-nine',
    });
    await f.emu.waitForCall('views.open', (c) => f.wire(c).includes('heed:nps-nine'));
    await f.emu.viewSubmission({
      userId: S.customer,
      view: {
        callback_id: 'heed:nps-nine',
        state: { values: { comment: { value: { type: 'plain_text_input', value: 'Quick and kind' } } } },
      },
    });
    await expect
      .poll(() => f.emu.ephemerals.map((e) => e.text ?? ''))
      .toContain('Thank you! We are glad to hear it.');
    const answered = (await f.issue(1)).history.find((e) => e.kind === 'nps-answered');
    expect(answered).toMatchObject({
      actor: { platform: 'slack', id: S.customer },
      reason: 'Quick and kind',
      data: { score: 9, group: 'promoter' },
    });
  });
});
