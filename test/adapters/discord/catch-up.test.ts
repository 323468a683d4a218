import { afterEach, expect, it } from 'vitest';
import { D, type DiscordHarness, startDiscordHarness } from './discord-fixture.ts';

let h: DiscordHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const messageId = (payload: { d: unknown }): string => (payload.d as { id: string }).id;
const APOLOGY = 'Sorry for the delay: we were briefly offline.';

it('reads back a forum post and a thread reply written while no gateway session was open', async () => {
  h = await startDiscordHarness();
  const harness = h;
  const first = messageId(harness.say(D.customer, 'The dashboard shows no data'));
  await harness.issueFor(first);
  harness.clock.advance(60_000);

  let postId = '';
  let replyId = '';
  await harness.restart(() => {
    const post = harness.emulator.createForumPost({
      guildId: D.guild,
      channelId: D.forum,
      authorId: D.eve,
      name: 'Avatar upload',
      content: 'My avatar will not upload',
    });
    postId = String(post.thread.id);
    replyId = messageId(harness.say(D.customer, 'It is still empty after a refresh', { threadId: first }));
  });

  // The post opened its issue: acknowledged in the post, with the apology, and carded for staff.
  const postIssue = await harness.issueFor(postId, D.forum);
  expect(postIssue.caughtUp?.quiet).toBe(false);
  const acks = harness.emulator
    .callsTo(`POST /channels/${postId}/messages`)
    .map((call) => String((call.body as { content?: string }).content));
  expect(acks).toHaveLength(1);
  expect(acks[0]).toContain(APOLOGY);
  // The reply joined the first issue; the first issue was not acknowledged again.
  const firstIssue = await harness.heed.issues.getByConversation({
    platform: 'discord',
    channel: D.customerChannel,
    thread: first,
  });
  expect(firstIssue?.seenMessages).toContain(replyId);
  const firstAcks = harness.emulator
    .callsTo(`POST /channels/${first}/messages`)
    .filter((call) => /This is \*\*#1\*\*/.test(String((call.body as { content?: string }).content)));
  expect(firstAcks).toHaveLength(1);
  const pass = harness.logs.filter((line) => line.msg === 'caught up on messages written while away').at(-1);
  expect(pass).toMatchObject({ opened: 1, joined: 1, failed: 0 });
});
