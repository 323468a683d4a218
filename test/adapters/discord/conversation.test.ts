import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../../manifest/discord/deploy-commands.ts';
import type { Issue } from '../../../src/domain/issue.ts';
import type { RecordedCall } from '../../emulators/discord/types.ts';
import { D, type DiscordHarness, startDiscordHarness } from './discord-fixture.ts';

interface SentBody {
  content?: string;
  embeds?: Array<{ title?: string; fields?: Array<{ name: string; value: string }> }>;
  components?: Array<{ components: Array<{ custom_id: string }> }>;
  allowed_mentions?: { parse: string[]; users?: string[]; roles?: string[] };
}

const bodyOf = (call: RecordedCall): SentBody => call.body as SentBody;
const customIds = (call: RecordedCall): string[] =>
  (bodyOf(call).components ?? []).flatMap((row) => row.components.map((c) => c.custom_id));
const field = (call: RecordedCall, name: string): string | undefined =>
  bodyOf(call).embeds?.[0]?.fields?.find((f) => f.name === name)?.value;
const messageId = (payload: { d: unknown }): string => (payload.d as { id: string }).id;

const SENT = 'POST /channels/:id/messages';
const EDITED = 'PATCH /channels/:id/messages/:mid';
const ANSWER = 'PATCH /webhooks/:app/:token/messages/@original';

let h: DiscordHarness;

beforeAll(async () => {
  h = await startDiscordHarness();
  // As an admin would before the first use (guild scope while developing).
  await deployCommands({ token: D.token, applicationId: D.app, apiUrl: h.emulator.apiUrl, guildId: D.guild });
});

afterAll(async () => {
  await h.close();
});

/** The answer (the edit of the deferred reply) to an interaction; its token embeds the interaction id. */
function answerTo(interaction: { id: string }): Promise<RecordedCall> {
  return h.emulator.waitForCall(ANSWER, (call) => call.path.includes(interaction.id));
}

describe('a Discord support conversation through the real discord.js client and the real core', () => {
  let first: Issue;
  let firstMessage: string;
  let second: Issue;
  let nagDm: RecordedCall;

  it('opens an issue from a customer message: thread from the message, acknowledgement in it, card for staff', async () => {
    const said = h.say(D.customer, 'Hi, the CSV export fails with error 500 since this morning');
    firstMessage = messageId(said);
    first = await h.issueFor(firstMessage);
    expect(first.number).toBe(1);
    expect(first.conversation).toEqual({
      platform: 'discord',
      channel: D.customerChannel,
      thread: firstMessage,
    });

    const thread = h.emulator.callsTo('POST /channels/:id/messages/:mid/threads');
    expect(thread.map((c) => c.path)).toEqual([
      `/channels/${D.customerChannel}/messages/${firstMessage}/threads`,
    ]);
    expect(thread[0]?.body).toMatchObject({
      name: '#1 · Hi, the CSV export fails with error 500 since this morning',
    });

    const ack = h.emulator.callsTo(SENT).find((c) => c.path === `/channels/${firstMessage}/messages`);
    const due = first.sla.clocks.firstResponse?.dueAt ?? 0;
    expect(bodyOf(ack!).content).toContain('This is **#1**');
    expect(bodyOf(ack!).content).toContain(`within 4h of business time (by <t:${due / 1000}:f>)`);
    expect(first.acknowledgement).toMatchObject({ channel: D.customerChannel, thread: firstMessage });

    const card = h.emulator.callsTo(SENT).find((c) => c.path === `/channels/${D.teamChannel}/messages`);
    expect(bodyOf(card!).content).toBe('New issue **#1** from Dana Customer');
    expect(bodyOf(card!).embeds?.[0]?.title).toBe('#1 · New · unclaimed');
    expect(field(card!, 'Owner')).toBe('Unclaimed');
    expect(customIds(card!)).toEqual(
      ['claim', 'resolve', 'escalate', 'acknowledge', 'snooze'].map((action) => `heed:${action}:${first.id}`),
    );
  });

  it('lets a member of the staff role claim it with the Claim button', async () => {
    const press = h.emulator.buttonPress({
      guildId: D.guild,
      userId: D.sam,
      customId: `heed:claim:${first.id}`,
      messageId: first.card!.id,
    });
    expect(await press).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(bodyOf(await answerTo(press)).content).toBe('You now own **#1**.');
    const edit = h.emulator.callsTo(EDITED).find((c) => c.path.endsWith(`/${first.card!.id}`));
    expect(bodyOf(edit!).embeds?.[0]?.title).toBe('#1 · Claimed');
    expect(field(edit!, 'Owner')).toBe(`<@${D.sam}>`);
    expect(customIds(edit!)).not.toContain(`heed:claim:${first.id}`);
    expect((await h.heed.issues.get(first.id))?.owner).toEqual({ platform: 'discord', id: D.sam });
  });

  it('lets staff claim a second issue with /heed claim issue:#2', async () => {
    const said = h.say(D.customer, 'Also: how do I add a teammate to our account?');
    second = await h.issueFor(messageId(said));
    expect(second.number).toBe(2);
    const command = h.emulator.slashCommand({
      guildId: D.guild,
      channelId: D.teamChannel,
      userId: D.sam,
      name: 'heed',
      subcommand: 'claim',
      options: [{ name: 'issue', type: 3, value: '#2' }],
    });
    expect(await command).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(bodyOf(await answerTo(command)).content).toBe('You now own **#2**.');
    expect((await h.heed.issues.get(second.id))?.owner?.id).toBe(D.sam);
  });

  it("counts a staff member's reply in the customer's thread as the response", async () => {
    h.clock.advance(10 * 60_000);
    h.say(D.sam, 'Settings → Team → Invite. I can do it for you if you like.', {
      threadId: second.conversation.thread!,
    });
    await expect
      .poll(async () => (await h.heed.issues.get(second.id))?.firstResponseAt, { timeout: 3000 })
      .toBe(h.clock.now());
    await expect
      .poll(() =>
        h.emulator
          .callsTo(EDITED)
          .filter((c) => c.path.endsWith(`/${second.card!.id}`))
          .some((c) => field(c, 'History')?.includes('1 reply')),
      )
      .toBe(true);
  });

  it('nags the owner by DM when the unanswered issue passes its deadline, with an Apologize button', async () => {
    const due = first.sla.clocks.firstResponse!.dueAt!;
    h.clock.set(due - 30 * 60_000);
    await h.heed.scheduler.tick(); // the 75% warning, on its own
    h.clock.set(due + 60_000);
    await h.heed.scheduler.tick();
    expect(h.emulator.callsTo('POST /users/@me/channels').map((c) => c.body)).toContainEqual({
      recipient_id: D.sam,
    });
    const dms = h.dmsTo(D.sam);
    expect(bodyOf(dms[0]!).content).toMatch(/^⏳ \*\*#1\*\*/);
    nagDm = dms.find((c) => bodyOf(c).content?.startsWith('⏰'))!;
    expect(bodyOf(nagDm).content).toContain('**#1**');
    expect(bodyOf(nagDm).content).toContain('is overdue by 1m');
    expect(customIds(nagDm)).toEqual([`heed:acknowledge:${first.id}`, `heed:apologize:${first.id}`]);
  });

  it('escalates to the manager by DM when nobody acknowledges within the hour', async () => {
    const due = first.sla.clocks.firstResponse!.dueAt!;
    h.clock.set(due + 61 * 60_000);
    await h.heed.scheduler.tick();
    expect(h.emulator.callsTo('POST /users/@me/channels').map((c) => c.body)).toContainEqual({
      recipient_id: D.manager,
    });
    const toManager = h.dmsTo(D.manager);
    expect(toManager).toHaveLength(1);
    expect(bodyOf(toManager[0]!).content).toMatch(/^⬆️ Escalation level 2 · \*\*#1\*\* · Dana Customer/);
    const teamPing = h.emulator
      .callsTo(SENT)
      .filter((c) => c.path === `/channels/${D.teamChannel}/messages`)
      .at(-1);
    expect(bodyOf(teamPing!).allowed_mentions).toEqual({
      parse: [],
      users: [D.sam],
      roles: [],
      replied_user: false,
    });
  });

  it("sends an apology to the customer's thread from the Apologize button's form", async () => {
    const nagChannel = nagDm.path.split('/')[2]!;
    const nagMessage = h.emulator.messages(nagChannel).find((m) => m.content.startsWith('⏰'))!;
    const opened = await h.emulator.buttonPress({
      userId: D.sam,
      customId: `heed:apologize:${first.id}`,
      messageId: nagMessage.id,
    });
    expect(opened).toMatchObject({ type: 9, data: { custom_id: `heed-form:apologize:${first.id}` } });
    const submitted = h.emulator.modalSubmit({
      userId: D.sam,
      customId: `heed-form:apologize:${first.id}`,
      fields: { reason: 'Our export service was overloaded this morning.' },
      messageId: nagMessage.id,
    });
    expect(await submitted).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(bodyOf(await answerTo(submitted)).content).toBe('Apology sent to the customer on **#1**.');
    const apology = h.emulator
      .callsTo(SENT)
      .filter((c) => c.path === `/channels/${firstMessage}/messages`)
      .at(-1)!;
    expect(bodyOf(apology).content).toBe(
      `Sorry for the wait on **#1**, Dana Customer. Our export service was overloaded this morning. <@${D.sam}> is on it and will update you shortly.`,
    );
    expect(bodyOf(apology).allowed_mentions).toEqual({
      parse: [],
      users: [D.sam],
      roles: [],
      replied_user: false,
    });
  });

  it('resolves from the Resolve form: resolution in the thread, card edited to Resolved without buttons', async () => {
    const opened = await h.emulator.buttonPress({
      guildId: D.guild,
      userId: D.sam,
      customId: `heed:resolve:${first.id}`,
      messageId: first.card!.id,
    });
    expect(opened).toMatchObject({
      type: 9,
      data: { custom_id: `heed-form:resolve:${first.id}`, title: 'Resolve #1' },
    });
    const submitted = h.emulator.modalSubmit({
      guildId: D.guild,
      channelId: D.teamChannel,
      userId: D.sam,
      customId: `heed-form:resolve:${first.id}`,
      fields: { summary: 'We restarted the export workers' },
      messageId: first.card!.id,
    });
    expect(await submitted).toMatchObject({ type: 5 });
    expect(bodyOf(await answerTo(submitted)).content).toMatch(/^Resolved \*\*#1\*\*\./);
    const resolution = h.emulator.messages(firstMessage).at(-1);
    expect(resolution?.content).toMatch(/^\*\*#1\*\* is resolved: We restarted the export workers\./);
    const card = h.emulator.message(first.card!.id);
    expect(card?.embeds[0]?.title).toBe('#1 · Resolved');
    expect(card?.components).toEqual([]);
    expect((await h.heed.issues.get(first.id))?.status).toBe('resolved');
  });

  it('resolves the second issue with /heed resolve run inside its thread, no reference needed', async () => {
    const command = h.emulator.slashCommand({
      guildId: D.guild,
      channelId: second.conversation.thread!,
      userId: D.sam,
      name: 'heed',
      subcommand: 'resolve',
      options: [{ name: 'summary', type: 3, value: 'Invited the teammate' }],
    });
    expect(await command).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(bodyOf(await answerTo(command)).content).toMatch(/^Resolved \*\*#2\*\*\./);
    expect((await h.heed.issues.get(second.id))?.status).toBe('resolved');
  });

  it('lets the customer press 👎 on the resolution and explain; the manager gets the recovery task', async () => {
    const resolution = h.emulator.messages(firstMessage).find((m) => m.content.includes('is resolved'))!;
    const opened = await h.emulator.buttonPress({
      guildId: D.guild,
      channelId: firstMessage,
      userId: D.customer,
      customId: `heed:rate-down:${first.id}`,
      messageId: resolution.id,
    });
    expect(opened).toMatchObject({
      type: 9,
      data: {
        custom_id: `heed-form:rate-down:${first.id}`,
        title: 'Rate #1',
        components: [{ component: { custom_id: 'comment', required: false } }],
      },
    });
    const submitted = h.emulator.modalSubmit({
      guildId: D.guild,
      channelId: firstMessage,
      userId: D.customer,
      customId: `heed-form:rate-down:${first.id}`,
      fields: { comment: 'The export was down all morning' },
      messageId: resolution.id,
    });
    expect(await submitted).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(bodyOf(await answerTo(submitted)).content).toBe(
      'Thanks for telling us. A team lead will look at **#1** and get back to you.',
    );
    const rated = (await h.heed.issues.get(first.id))?.history.find((e) => e.kind === 'rated');
    expect(rated).toMatchObject({
      actor: { platform: 'discord', id: D.customer },
      reason: 'The export was down all morning',
      data: { score: 'down' },
    });
    const [task] = h.dmsTo(D.manager).filter((c) => bodyOf(c).content?.includes('Recovery needed'));
    expect(bodyOf(task!).content).toContain('**#1** · Dana Customer rated the answer 👎');
    expect(bodyOf(task!).content).toContain('The export was down all morning');
  });

  it('refuses a 👍 from someone else, then takes the customer’s 👍 with an empty comment', async () => {
    const resolution = h.emulator
      .messages(second.conversation.thread!)
      .find((m) => m.content.includes('is resolved'))!;
    const press = (userId: string) =>
      h.emulator.buttonPress({
        guildId: D.guild,
        channelId: second.conversation.thread!,
        userId,
        customId: `heed:rate-up:${second.id}`,
        messageId: resolution.id,
      });
    const submit = (userId: string) =>
      h.emulator.modalSubmit({
        guildId: D.guild,
        channelId: second.conversation.thread!,
        userId,
        customId: `heed-form:rate-up:${second.id}`,
        fields: { comment: '' },
        messageId: resolution.id,
      });

    // Someone else is refused at once, without the comment form; a form submitted anyway is refused too.
    expect(await press(D.eve)).toMatchObject({
      type: 4,
      data: { content: 'Thanks for looking! Only the customer who asked about #2 can rate its answer.' },
    });
    const refused = submit(D.eve);
    expect(bodyOf(await answerTo(refused)).content).toBe(
      'Thanks for looking! Only the customer who asked about #2 can rate its answer.',
    );
    expect(await press(D.customer)).toMatchObject({ type: 9 });
    const accepted = submit(D.customer);
    expect(bodyOf(await answerTo(accepted)).content).toBe('Thanks for the 👍! We are glad **#2** is sorted.');
    const events = (await h.heed.issues.get(second.id))!.history.filter((e) => e.kind === 'rated');
    expect(events).toEqual([expect.objectContaining({ data: { score: 'up' } })]);
    expect(events[0]).not.toHaveProperty('reason');
  });

  it('never let any outbound payload ping anyone but the intended people', () => {
    const intended = new Set<string>([D.sam]);
    for (const call of h.messagePayloads()) {
      const allowed = bodyOf(call).allowed_mentions;
      expect(allowed?.parse, `${call.method} ${call.path}`).toEqual([]);
      for (const id of [...(allowed?.users ?? []), ...(allowed?.roles ?? [])])
        expect(intended.has(id)).toBe(true);
    }
  });
});
