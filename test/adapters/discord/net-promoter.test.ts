/**
 * NPS through the real discord.js client against the strict Discord emulator: the 0–10 scale in the
 * customer's thread (eleven buttons in rows of five, as Discord allows), the comment modal, a detractor's
 * recovery task for the manager, and presses refused at once (someone else, a second answer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../../manifest/discord/deploy-commands.ts';
import type { Issue } from '../../../src/domain/issue.ts';
import type { RecordedCall } from '../../emulators/discord/types.ts';
import { testConfig } from '../../support/test-config.ts';
import { D, type DiscordHarness, startDiscordHarness } from './discord-fixture.ts';

const ANSWER = 'PATCH /webhooks/:app/:token/messages/@original';
const content = (call: RecordedCall) => (call.body as { content?: string }).content ?? '';

let h: DiscordHarness;
let issue: Issue;
let thread: string;

beforeAll(async () => {
  h = await startDiscordHarness({ config: testConfig({ nps: { after: '1 resolved issue' } }) });
  await deployCommands({ token: D.token, applicationId: D.app, apiUrl: h.emulator.apiUrl, guildId: D.guild });
});

afterAll(async () => {
  await h.close();
});

const question = () => h.emulator.messages(thread).find((m) => m.content.includes('How likely'));
const press = (userId: string, score: string) =>
  h.emulator.buttonPress({
    guildId: D.guild,
    channelId: thread,
    userId,
    customId: `heed:nps-${score}:${issue.id}`,
    messageId: question()!.id,
  });

describe('NPS on Discord', () => {
  it('asks in the thread after the resolution, with 0–10 in three rows', async () => {
    const said = h.say(D.customer, 'The report PDF is blank');
    thread = (said.d as { id: string }).id;
    issue = await h.issueFor(thread);
    const resolved = h.emulator.slashCommand({
      guildId: D.guild,
      channelId: thread,
      userId: D.sam,
      name: 'heed',
      subcommand: 'resolve',
      options: [{ name: 'summary', type: 3, value: 'Regenerated the PDF' }],
    });
    expect(await resolved).toMatchObject({ type: 5 });
    await expect.poll(question).toBeDefined();
    const messages = h.emulator.messages(thread);
    // The resolution (with 👍/👎) first, the question right after it, as its own message.
    expect(messages.findIndex((m) => m.content.includes('is resolved'))).toBe(
      messages.indexOf(question()!) - 1,
    );
    expect(question()!.content).toBe(
      'One more question, about us in general (we ask at most once a quarter): **How likely are you to recommend us to a friend or colleague?** (0 = not at all likely, 10 = extremely likely)',
    );
    const rows = question()!.components as Array<{ components: Array<{ label: string; custom_id: string }> }>;
    expect(rows.map((row) => row.components.map((b) => b.label))).toEqual([
      ['0', '1', '2', '3', '4'],
      ['5', '6', '7', '8', '9'],
      ['10'],
    ]);
    expect(rows[2]!.components[0]!.custom_id).toBe(`heed:nps-ten:${issue.id}`);
  });

  it('refuses a press by anyone but the customer at once, without a form', async () => {
    expect(await press(D.eve, 'ten')).toMatchObject({
      type: 4,
      data: {
        content: 'Thanks for looking! Only the customer who asked about #1 can answer this.',
        flags: 64,
      },
    });
    expect((await h.heed.issues.get(issue.id))!.history.some((e) => e.kind === 'nps-answered')).toBe(false);
  });

  it('takes the customer’s 5 with a comment, and the manager gets the recovery task', async () => {
    expect(await press(D.customer, 'five')).toMatchObject({
      type: 9,
      data: {
        custom_id: `heed-form:nps-five:${issue.id}`,
        title: 'You answered 5',
        components: [{ component: { custom_id: 'comment', required: false } }],
      },
    });
    const submitted = h.emulator.modalSubmit({
      guildId: D.guild,
      channelId: thread,
      userId: D.customer,
      customId: `heed-form:nps-five:${issue.id}`,
      fields: { comment: 'Reports break every month @everyone' },
      messageId: question()!.id,
    });
    expect(await submitted).toMatchObject({ type: 5, data: { flags: 64 } });
    const answer = await h.emulator.waitForCall(ANSWER, (call) => call.path.includes(submitted.id));
    expect(content(answer)).toBe('Thank you for telling us; a team lead will look at #1.');
    expect((await h.heed.issues.get(issue.id))!.history.find((e) => e.kind === 'nps-answered')).toMatchObject(
      {
        actor: { platform: 'discord', id: D.customer },
        reason: 'Reports break every month @everyone',
        data: { score: 5, group: 'detractor' },
      },
    );
    await expect
      .poll(() => h.dmsTo(D.manager).filter((c) => content(c).includes('Recovery needed')).length)
      .toBe(1);
    const [task] = h.dmsTo(D.manager).filter((c) => content(c).includes('Recovery needed'));
    expect(content(task!)).toContain('answered 5 of 10 on NPS');
    expect((task!.body as { allowed_mentions?: { parse: string[] } }).allowed_mentions?.parse).toEqual([]);
  });

  it('answers a second press at once: already answered', async () => {
    expect(await press(D.customer, 'ten')).toMatchObject({
      type: 4,
      data: { content: 'Thanks, you already answered.', flags: 64 },
    });
    const answers = (await h.heed.issues.get(issue.id))!.history.filter((e) => e.kind === 'nps-answered');
    expect(answers).toHaveLength(1);
  });
});
