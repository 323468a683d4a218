import { afterEach, describe, expect, it } from 'vitest';
import { rich } from '../../../src/messages/rich-text.ts';
import type { RecordedCall } from '../../emulators/discord/types.ts';
import { D, type DiscordHarness, startDiscordHarness } from './discord-fixture.ts';

const SENT = 'POST /channels/:id/messages';
const STARTED_THREAD = 'POST /channels/:id/messages/:mid/threads';
const EDITED = 'PATCH /channels/:id/messages/:mid';

let h: DiscordHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const messageId = (payload: { d: unknown }): string => (payload.d as { id: string }).id;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sentTo = (harness: DiscordHarness, channel: string): RecordedCall[] =>
  harness.emulator.callsTo(SENT).filter((call) => call.path === `/channels/${channel}/messages`);

describe('Discord delivery: reconnects and duplicates never open a second issue', () => {
  it('takes a message sent while the gateway was down once the session resumes, exactly once', async () => {
    h = await startDiscordHarness();
    h.emulator.dropConnection();
    expect(h.emulator.connected).toBe(false);
    const said = h.say(D.customer, 'Written while Heed was reconnecting');
    await h.emulator.waitForReady(5000);
    const issue = await h.issueFor(messageId(said));
    await pause(300);
    expect(h.emulator.resumeCount).toBe(1);
    expect(h.emulator.identifyCount).toBe(1);
    expect(h.heed.issues.listOpen().map((i) => i.number)).toEqual([issue.number]);
    expect(h.emulator.callsTo(STARTED_THREAD)).toHaveLength(1);
    expect(sentTo(h, messageId(said))).toHaveLength(1);
    expect(sentTo(h, D.teamChannel)).toHaveLength(1);
    await expect.poll(() => h?.adapter.connected).toBe(true);
  });

  it('ignores the same MESSAGE_CREATE delivered again (new sequence or the identical frame)', async () => {
    h = await startDiscordHarness();
    const said = h.say(D.customer, 'Please help with my PDF export');
    await h.issueFor(messageId(said));
    h.emulator.redispatch(said);
    h.emulator.redispatch(said, { sameSequence: true });
    await pause(300);
    expect(h.heed.issues.listOpen()).toHaveLength(1);
    expect(h.emulator.callsTo(STARTED_THREAD)).toHaveLength(1);
    expect(sentTo(h, messageId(said))).toHaveLength(1);
  });

  it('ignores bots and system messages; an edit changes the issue, never opens another', async () => {
    h = await startDiscordHarness();
    h.emulator.addMember({
      guildId: D.guild,
      user: { id: '1800000000000000001', username: 'otherbot', bot: true },
    });
    h.emulator.sendMessage({
      guildId: D.guild,
      channelId: D.customerChannel,
      authorId: '1800000000000000001',
      content: 'beep',
    });
    h.emulator.sendMessage({ guildId: D.guild, channelId: D.customerChannel, authorId: D.eve, type: 7 });
    const said = h.say(D.customer, 'first words');
    await h.issueFor(messageId(said));
    h.emulator.editMessage({
      channelId: D.customerChannel,
      messageId: messageId(said),
      content: 'edited words',
    });
    await pause(300);
    expect(h.heed.issues.listOpen()).toHaveLength(1);
    expect((await h.heed.issues.getByNumber(1))?.subject).toBe('edited words');
  });
});

describe('Discord threads', () => {
  it('answers in the thread a customer already started on their message instead of starting another', async () => {
    h = await startDiscordHarness();
    const said = h.say(D.customer, 'My webhook deliveries are delayed');
    h.emulator.createThread({
      guildId: D.guild,
      channelId: D.customerChannel,
      ownerId: D.customer,
      name: 'webhooks',
      messageId: messageId(said),
    });
    const issue = await h.issueFor(messageId(said));
    expect(issue.conversation.thread).toBe(messageId(said));
    expect(h.emulator.callsTo(STARTED_THREAD).filter((c) => c.status < 300)).toHaveLength(0);
    expect(sentTo(h, messageId(said))).toHaveLength(1);
    expect(h.emulator.channel(messageId(said))?.name).toBe('webhooks');
  });
});

describe('Discord forum channels', () => {
  it('opens an issue from a forum post and answers inside the post', async () => {
    h = await startDiscordHarness();
    const post = h.emulator.createForumPost({
      guildId: D.guild,
      channelId: D.forum,
      authorId: D.customer,
      name: 'Login broken',
      content: 'I cannot log in since the update',
    });
    const postId = String(post.thread.id);
    const issue = await h.issueFor(postId, D.forum);
    expect(issue.conversation).toEqual({ platform: 'discord', channel: D.forum, thread: postId });
    expect(issue.subject).toBe('I cannot log in since the update');
    expect(h.emulator.callsTo(STARTED_THREAD)).toHaveLength(0);
    expect(h.emulator.messages(postId).at(-1)?.content).toContain('This is **#1**');

    h.say(D.sam, 'Looking at it now.', { channelId: D.forum, threadId: postId });
    await expect.poll(async () => (await h?.heed.issues.get(issue.id))?.firstResponseAt).toBeDefined();
  });
});

describe('Discord buttons and access', () => {
  it('refuses Claim from a member who is not staff, ephemerally, and changes nothing', async () => {
    h = await startDiscordHarness();
    const said = h.say(D.customer, 'Where is my order?');
    const issue = await h.issueFor(messageId(said));
    const edits = h.emulator.callsTo(EDITED).length;
    const press = h.emulator.buttonPress({
      guildId: D.guild,
      userId: D.eve,
      customId: `heed:claim:${issue.id}`,
      messageId: issue.card!.id,
    });
    expect(await press).toMatchObject({ type: 5, data: { flags: 64 } });
    const answer = await h.emulator.waitForCall('PATCH /webhooks/:app/:token/messages/@original', (c) =>
      c.path.includes(press.id),
    );
    expect((answer.body as { content: string }).content).toBe(
      'Not done: Only staff of team "support" can do that on #1.',
    );
    const reply = h.emulator.messages(D.teamChannel).find((m) => m.interaction_metadata?.id === press.id);
    expect(reply?.flags).toBe(64);
    await pause(100);
    expect(h.emulator.callsTo(EDITED)).toHaveLength(edits);
    expect((await h.heed.issues.get(issue.id))?.owner).toBeUndefined();
  });

  it('tells a customer that /heed claim is for the support team', async () => {
    h = await startDiscordHarness();
    const command = h.emulator.slashCommand({
      guildId: D.guild,
      channelId: D.customerChannel,
      userId: D.customer,
      name: 'heed',
      subcommand: 'claim',
      options: [{ name: 'issue', type: 3, value: '#1' }],
    });
    expect(await command).toMatchObject({ type: 5, data: { flags: 64 } });
    const answer = await h.emulator.waitForCall('PATCH /webhooks/:app/:token/messages/@original');
    expect((answer.body as { content: string }).content).toMatch(
      /^Sorry, `\/heed claim` is for the support team\./,
    );
  });

  it('answers an unknown button ephemerally without touching the core', async () => {
    h = await startDiscordHarness();
    const said = h.say(D.customer, 'Hello?');
    const issue = await h.issueFor(messageId(said));
    const card = h.emulator.message(issue.card!.id)!;
    // Make it a card from an older Heed whose first button this one no longer understands (the
    // emulator hands out its stored message, so the change sticks).
    const rows = card.components as unknown as Array<{ components: Array<{ custom_id: string }> }>;
    rows[0]!.components[0]!.custom_id = 'heed:teleport:abc';
    const press = await h.emulator.buttonPress({
      guildId: D.guild,
      userId: D.sam,
      customId: 'heed:teleport:abc',
      messageId: card.id,
    });
    expect(press).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(press.data?.content).toMatch(/isn't one Heed knows/);
    expect((await h.heed.issues.get(issue.id))?.history.map((e) => e.kind)).toEqual(
      issue.history.map((e) => e.kind),
    );
  });

  it('still opens the right form from a card button after a restart', async () => {
    h = await startDiscordHarness();
    const said = h.say(D.customer, 'The report page is blank');
    const issue = await h.issueFor(messageId(said));
    await h.restart();
    expect(h.emulator.identifyCount).toBe(2);
    const opened = await h.emulator.buttonPress({
      guildId: D.guild,
      userId: D.sam,
      customId: `heed:snooze:${issue.id}`,
      messageId: issue.card!.id,
    });
    expect(opened).toMatchObject({
      type: 9,
      data: { custom_id: `heed-form:snooze:${issue.id}`, title: 'Snooze #1' },
    });
    const submitted = h.emulator.modalSubmit({
      guildId: D.guild,
      channelId: D.teamChannel,
      userId: D.sam,
      customId: `heed-form:snooze:${issue.id}`,
      fields: { duration: '2h', reason: 'Waiting for the vendor' },
      messageId: issue.card!.id,
    });
    await submitted;
    const answer = await h.emulator.waitForCall('PATCH /webhooks/:app/:token/messages/@original', (c) =>
      c.path.includes(submitted.id),
    );
    expect((answer.body as { content: string }).content).toBe(
      'Snoozed **#1** for 2h: Waiting for the vendor',
    );
  });
});

describe('Discord gateway hand-over (shared mode)', () => {
  it('leaves the gateway, keeps sending over REST, and joins again with a fresh session', async () => {
    h = await startDiscordHarness();
    await h.adapter.leaveGateway();
    await expect.poll(() => h?.emulator.connected).toBe(false);
    expect(h.adapter.connected).toBe(false);
    // Still sends: an instance without the gateway posts alerts and replies over REST.
    const before = sentTo(h, D.teamChannel).length;
    await h.adapter.chatPort.post(
      { platform: 'discord', channel: D.teamChannel },
      { text: rich`sent without the gateway` },
    );
    expect(sentTo(h, D.teamChannel)).toHaveLength(before + 1);
    // A message sent while no instance holds the gateway is not delivered to this one.
    h.say(D.customer, 'Nobody is listening');
    await pause(200);
    expect(h.heed.issues.listOpen()).toHaveLength(0);
    await h.adapter.start();
    expect(h.emulator.identifyCount).toBe(2);
    const said = h.say(D.customer, 'Written after the hand-over');
    const issue = await h.issueFor(messageId(said));
    expect(issue.subject).toBe('Written after the hand-over');
  });
});
