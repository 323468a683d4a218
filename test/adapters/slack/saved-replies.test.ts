/**
 * The Answer button through the real Bolt app: the modal offers the saved replies in a static select (the
 * emulator checks Slack's select rules), the suggested one selected, and submitting it answers the customer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TWO_REPLIES } from '../../support/saved-replies.ts';
import { testConfig } from '../../support/test-config.ts';
import { type Fixture, S, startFixture } from './slack-fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await startFixture({ config: testConfig({ replies: TWO_REPLIES }) });
});
afterEach(async () => {
  await f.close();
});

describe('saved replies on Slack', () => {
  it('suggests a reply on the card and sends the one chosen in the Answer modal', async () => {
    const dana = await f.say('The CSV export stops at row 100000');
    const one = await f.issue(1);
    const [card] = f.posts(S.teamChannel);
    expect(f.wire(card!)).toContain('💡 Suggested reply: *CSV export limits*');
    await f.emu.blockAction({
      userId: S.staff,
      channelId: S.teamChannel,
      messageTs: one.card!.id,
      actionId: 'heed:answer',
    });
    const opened = await f.emu.waitForCall('views.open', (c) => f.wire(c).includes('heed:answer'));
    const view = opened.args.view as {
      blocks: Array<{ block_id: string; element: Record<string, unknown> }>;
    };
    const select = view.blocks.find((b) => b.block_id === 'reply')!.element;
    expect(select).toMatchObject({
      type: 'static_select',
      initial_option: { value: 'export-limits', text: { type: 'plain_text', text: 'CSV export limits' } },
    });
    expect((select.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
      'export-limits',
      'reset-2fa',
    ]);

    // Sam picks the other reply and leaves the text as it is.
    await f.emu.viewSubmission({
      userId: S.staff,
      view: {
        callback_id: 'heed:answer',
        state: {
          values: {
            reply: {
              value: {
                type: 'static_select',
                selected_option: {
                  value: 'reset-2fa',
                  text: { type: 'plain_text', text: 'Reset two-factor' },
                },
              },
            },
            message: { value: { type: 'plain_text_input', value: null } },
          },
        },
      },
    });
    await expect
      .poll(() => f.posts(S.customerChannel, dana.ts).map((c) => String(c.args.text)))
      .toContainEqual(`<@${S.staff}>: Hi Dana, I've reset two-factor for you. (*#1*)`);
    const stored = await f.issue(1);
    expect(stored.history.find((e) => e.kind === 'responded')?.data).toMatchObject({
      reply: 'reset-2fa',
      edited: false,
    });
  });
});
