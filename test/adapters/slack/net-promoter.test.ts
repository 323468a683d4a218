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

    // A second press is answered at once, without a form, and changes nothing.
    const forms = f.emu.callsTo('views.open').length;
    await f.emu.blockAction({
      userId: S.customer,
      channelId: S.customerChannel,
      messageTs: question.ts,
      actionId: 'heed:nps-two',
    });
    await expect
      .poll(() => f.emu.ephemerals.filter((e) => e.user === S.customer).map((e) => e.text))
      .toContain('Thanks, you already answered.');
    expect(f.emu.callsTo('views.open')).toHaveLength(forms);
    expect((await f.issue(1)).history.filter((e) => e.kind === 'nps-answered')).toHaveLength(1);
  });

  it('turns away a colleague in the shared channel without a form, and hands a detractor to the managers', async () => {
    await f.say('Exports time out');
    await f.emu.slashCommand({
      command: '/heed',
      text: 'resolve #1 Raised the timeout',
      userId: S.staff,
      channelId: S.teamChannel,
    });
    await expect
      .poll(() => f.emu.messagesIn(S.customerChannel).find((m) => m.text?.includes('How likely')))
      .toBeDefined();
    const question = f.emu.messagesIn(S.customerChannel).find((m) => m.text?.includes('How likely'))!;
    const press = (userId: string, actionId: string) =>
      f.emu.blockAction({ userId, channelId: S.customerChannel, messageTs: question.ts, actionId });

    // Lee (Dana's colleague, same shared channel) presses 10: refused at once, no form.
    await press('U0CUST02', 'heed:nps-ten');
    await expect
      .poll(() => f.emu.ephemerals.filter((e) => e.user === 'U0CUST02').map((e) => e.text))
      .toContain('Thanks for looking! Only the customer who asked about #1 can answer this.');
    expect(f.emu.callsTo('views.open')).toHaveLength(0);

    await press(S.customer, 'heed:nps-four');
    await f.emu.waitForCall('views.open', (c) => f.wire(c).includes('heed:nps-four'));
    await f.emu.viewSubmission({
      userId: S.customer,
      view: {
        callback_id: 'heed:nps-four',
        state: {
          values: { comment: { value: { type: 'plain_text_input', value: 'Took <!channel> days' } } },
        },
      },
    });
    await expect
      .poll(() => f.emu.ephemerals.filter((e) => e.user === S.customer).map((e) => e.text))
      .toContain('Thank you for telling us; a team lead will look at #1.');
    const dm = await f.emu.waitForCall(
      'chat.postMessage',
      (c) => f.wire(c).includes('Recovery needed') && c.args.channel !== S.teamChannel,
    );
    expect(f.wire(dm)).toContain('answered 4 of 10 on NPS');
    // The customer's words never ping the channel.
    expect(f.wire(dm)).toContain('&lt;!channel&gt;');
  });
});
