/**
 * Saved replies through the real discord.js client: `/heed answer` autocompletes the reply ids as staff
 * type (Discord's autocomplete interaction), and the Answer button's modal offers them in a string select.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../../manifest/discord/deploy-commands.ts';
import type { RecordedCall } from '../../emulators/discord/types.ts';
import { TWO_REPLIES } from '../../support/saved-replies.ts';
import { testConfig, testConfigInput } from '../../support/test-config.ts';
import { D, type DiscordHarness, startDiscordHarness } from './discord-fixture.ts';

const ANSWER = 'PATCH /webhooks/:app/:token/messages/@original';
const contentOf = (call: RecordedCall) => (call.body as { content?: string }).content ?? '';

let h: DiscordHarness;
beforeAll(async () => {
  h = await startDiscordHarness({
    config: testConfig({ replies: TWO_REPLIES, intake: testConfigInput().intake }),
  });
  await deployCommands({ token: D.token, applicationId: D.app, apiUrl: h.emulator.apiUrl, guildId: D.guild });
});
afterAll(async () => {
  await h.close();
});

describe('saved replies on Discord', () => {
  it('autocompletes reply ids for staff, and nothing for others', async () => {
    const typing = h.emulator.autocomplete({
      guildId: D.guild,
      channelId: D.teamChannel,
      userId: D.sam,
      name: 'heed',
      subcommand: 'answer',
      options: [{ name: 'reply', type: 3, value: 'exp' }],
      focused: 'reply',
    });
    expect(await typing).toMatchObject({
      type: 8,
      data: { choices: [{ name: 'CSV export limits (export-limits)', value: 'export-limits' }] },
    });
    const stranger = h.emulator.autocomplete({
      guildId: D.guild,
      channelId: D.teamChannel,
      userId: D.eve,
      name: 'heed',
      subcommand: 'answer',
      options: [{ name: 'reply', type: 3, value: '' }],
      focused: 'reply',
    });
    expect(await stranger).toMatchObject({ type: 8, data: { choices: [] } });
  });

  it('answers from the Answer modal with the reply chosen in its select', async () => {
    const said = h.say(D.customer, 'My 2FA codes stopped working');
    const issue = await h.issueFor((said.d as { id: string }).id);
    const press = h.emulator.buttonPress({
      guildId: D.guild,
      userId: D.sam,
      messageId: issue.card!.id,
      customId: `heed:answer:${issue.id}`,
    });
    const opened = await press;
    expect(opened.type).toBe(9);
    const select = (opened.data as { components: Array<{ component: Record<string, unknown> }> })
      .components[0]!.component;
    expect(select).toMatchObject({ type: 3, custom_id: 'reply' });
    expect(select.options).toEqual([
      { label: 'Reset two-factor', value: 'reset-2fa', default: true },
      { label: 'CSV export limits', value: 'export-limits' },
    ]);
    const submitted = h.emulator.modalSubmit({
      guildId: D.guild,
      channelId: D.teamChannel,
      userId: D.sam,
      customId: String((opened.data as { custom_id: string }).custom_id),
      fields: { reply: ['reset-2fa'], message: '' },
    });
    await submitted;
    const answer = await h.emulator.waitForCall(ANSWER, (call) => call.path.includes(submitted.id));
    expect(contentOf(answer)).toContain(
      'Sent the saved reply **Reset two-factor** to the customer on **#1**.',
    );
    const stored = await h.heed.issues.get(issue.id);
    expect(stored?.history.find((e) => e.kind === 'responded')?.data).toMatchObject({ reply: 'reset-2fa' });
    const toCustomer = h.emulator
      .callsTo('POST /channels/:id/messages')
      .filter((call) => call.path.includes(issue.conversation.thread!));
    expect(toCustomer.map(contentOf)).toContainEqual(
      `<@${D.sam}>: Hi Dana Customer, I've reset two-factor for you. (**#1**)`,
    );
  });
});
