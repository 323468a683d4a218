import type { ConversationsHistoryResponse, ConversationsRepliesResponse } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, H, historyEmulator, postMany, webClient } from './history-fixture.ts';
import { decodeCursor, encodeCursor, type SlackEmulator, type SlackEmulatorOptions } from './index.ts';

const running: SlackEmulator[] = [];

afterEach(async () => {
  while (running.length > 0) await running.pop()?.close();
});

async function emulator(extra: Partial<SlackEmulatorOptions> = {}): Promise<SlackEmulator> {
  const emu = await historyEmulator(extra);
  running.push(emu);
  return emu;
}

type Message = { ts?: string; text?: string; thread_ts?: string; reply_count?: number };
const tsOf = (messages: Message[] | undefined) => (messages ?? []).map((m) => String(m.ts));

describe('conversations.history through @slack/web-api', () => {
  it('pages 250 messages newest first with opaque cursors: no duplicates, no gaps', async () => {
    const emu = await emulator();
    const posted = postMany(emu, 250);
    const pages: ConversationsHistoryResponse[] = [];
    for await (const page of webClient(emu).paginate('conversations.history', {
      channel: H.support,
      limit: 40,
    })) {
      pages.push(page as ConversationsHistoryResponse);
    }
    expect(pages.map((p) => p.messages?.length)).toEqual([40, 40, 40, 40, 40, 40, 10]);
    expect(pages.map((p) => p.has_more)).toEqual([true, true, true, true, true, true, false]);
    const seen = pages.flatMap((p) => tsOf(p.messages));
    expect(seen).toEqual([...posted].reverse());
    const cursors = pages.map((p) => p.response_metadata?.next_cursor);
    expect(cursors.at(-1)).toBeUndefined();
    for (const cursor of cursors.slice(0, -1)) {
      // Slack's own form: base64 of `next_ts:<ts without its dot>`.
      expect(Buffer.from(String(cursor), 'base64').toString()).toMatch(/^next_ts:\d{16}$/);
    }
    // Each cursor names the first message of the page it opens.
    expect(cursors[0]).toBe(encodeCursor(String(pages[1]?.messages?.[0]?.ts)));
    expect(emu.callsTo('conversations.history').map((c) => c.args.limit)).toEqual(Array(7).fill('40'));
  });

  it('excludes thread replies unless broadcast, and marks parents with their thread fields', async () => {
    const emu = await emulator();
    const parent = String(emu.postWhileOffline({ channel: H.support, user: H.carol, text: 'help' }).ts);
    emu.postWhileOffline({ channel: H.support, user: H.dave, text: 'on it', threadTs: parent });
    emu.postWhileOffline({
      channel: H.support,
      user: H.carol,
      text: 'also to channel',
      threadTs: parent,
      subtype: 'thread_broadcast',
    });
    const later = String(emu.postWhileOffline({ channel: H.support, user: H.dave, text: 'next' }).ts);
    const { messages } = await webClient(emu).conversations.history({ channel: H.support });
    expect(messages?.map((m) => m.text)).toEqual(['next', 'also to channel', 'help']);
    expect(messages?.[2]).toMatchObject({
      type: 'message',
      user: H.carol,
      ts: parent,
      thread_ts: parent,
      reply_count: 2,
      reply_users_count: 2,
      reply_users: [H.dave, H.carol],
    });
    expect(messages?.[1]).toMatchObject({ subtype: 'thread_broadcast', thread_ts: parent });
    expect(messages?.[0]).toMatchObject({ ts: later, user: H.dave, team: 'T0HEED01' });
    expect(messages?.[0]).not.toHaveProperty('channel');
  });

  it('treats oldest and latest as exclusive unless inclusive=true, which applies to both ends', async () => {
    const emu = await emulator();
    const posted = postMany(emu, 6);
    const ts = (i: number) => String(posted[i]);
    const web = webClient(emu);
    const window = { channel: H.support, oldest: ts(1), latest: ts(4) };
    const exclusive = await web.conversations.history(window);
    expect(tsOf(exclusive.messages)).toEqual([ts(3), ts(2)]);
    const inclusive = await web.conversations.history({ ...window, inclusive: true });
    expect(tsOf(inclusive.messages)).toEqual([ts(4), ts(3), ts(2), ts(1)]);
    const fromOldest = await web.conversations.history({
      channel: H.support,
      oldest: ts(4),
      inclusive: true,
    });
    expect(tsOf(fromOldest.messages)).toEqual([ts(5), ts(4)]);
    // Whole seconds work as bounds too; inclusive alone changes nothing.
    const seconds = String(ts(0).split('.')[0]);
    const bySeconds = await web.conversations.history({
      channel: H.support,
      oldest: seconds,
      inclusive: true,
    });
    expect(bySeconds.messages).toHaveLength(6);
    expect((await web.conversations.history({ channel: H.support, inclusive: true })).messages).toHaveLength(
      6,
    );
    // Time bounds and cursors combine: the next page keeps the window.
    const first = await web.conversations.history({ ...window, inclusive: true, limit: 3 });
    expect(first.has_more).toBe(true);
    const rest = await web.conversations.history({
      ...window,
      inclusive: true,
      limit: 3,
      cursor: String(first.response_metadata?.next_cursor),
    });
    expect(tsOf(rest.messages)).toEqual([ts(1)]);
    expect(rest.has_more).toBe(false);
  });

  it('defaults limit to 100 and serves at most 999 per page', async () => {
    const emu = await emulator();
    postMany(emu, 1005);
    const web = webClient(emu);
    expect((await web.conversations.history({ channel: H.support })).messages).toHaveLength(100);
    const big = await web.conversations.history({ channel: H.support, limit: 5000 });
    expect(big.messages).toHaveLength(999);
    expect(big.has_more).toBe(true);
    const tail = await web.conversations.history({
      channel: H.support,
      limit: 5000,
      cursor: String(big.response_metadata?.next_cursor),
    });
    expect(tail.messages).toHaveLength(6);
  });

  it("answers Slack's errors: invalid_cursor, bad timestamps, unknown and unjoined channels", async () => {
    const emu = await emulator();
    postMany(emu, 3);
    const web = webClient(emu);
    const history = (args: Record<string, unknown>) =>
      errorOf(web.conversations.history({ channel: H.support, ...args }));
    expect(await history({ cursor: 'not-a-cursor!' })).toBe('invalid_cursor');
    expect(await history({ cursor: Buffer.from('user:U061NFTT2').toString('base64') })).toBe(
      'invalid_cursor',
    );
    expect(await history({ oldest: 'yesterday' })).toBe('invalid_ts_oldest');
    expect(await history({ latest: '12.34.56' })).toBe('invalid_ts_latest');
    expect(await history({ channel: 'C0NOPE' })).toBe('channel_not_found');
    expect(await history({ channel: H.lobby })).toBe('not_in_channel');
    expect(await history({ channel: H.secret_room })).toBe('channel_not_found');
    await web.conversations.join({ channel: H.lobby });
    expect(await history({ channel: H.lobby })).toBe('ok');
    expect(decodeCursor('bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz')).toBe(1512085861000543n);
  });
});

describe('conversations.replies through @slack/web-api', () => {
  async function thread(emu: SlackEmulator, replies: number) {
    const parent = String(emu.postWhileOffline({ channel: H.support, user: H.carol, text: 'root' }).ts);
    const replyTs = Array.from({ length: replies }, (_, i) =>
      String(
        emu.postWhileOffline({
          channel: H.support,
          user: i % 2 === 0 ? H.dave : H.carol,
          text: `reply ${i}`,
          threadTs: parent,
        }).ts,
      ),
    );
    return { parent, replyTs };
  }

  it('pages a thread parent first then replies oldest first, repeating the parent on each page', async () => {
    const emu = await emulator();
    const { parent, replyTs } = await thread(emu, 25);
    const pages: ConversationsRepliesResponse[] = [];
    for await (const page of webClient(emu).paginate('conversations.replies', {
      channel: H.support,
      ts: parent,
      limit: 10,
    })) {
      pages.push(page as ConversationsRepliesResponse);
    }
    expect(pages.map((p) => p.messages?.[0]?.ts)).toEqual([parent, parent, parent]);
    expect(pages.map((p) => p.messages?.length)).toEqual([10, 11, 7]);
    expect(pages.map((p) => p.has_more)).toEqual([true, true, false]);
    const replies = pages.flatMap((p) => tsOf(p.messages).slice(1));
    expect(replies).toEqual(replyTs);
    expect(pages[0]?.messages?.[0]).toMatchObject({ reply_count: 25, thread_ts: parent, user: H.carol });
    expect(pages[0]?.messages?.[1]).toMatchObject({
      thread_ts: parent,
      parent_user_id: H.carol,
      user: H.dave,
    });
  });

  it('can leave the parent off later pages (the other reported behaviour)', async () => {
    const emu = await emulator({ history: { repliesParentOnEveryPage: false } });
    const { parent, replyTs } = await thread(emu, 5);
    const web = webClient(emu);
    const first = await web.conversations.replies({ channel: H.support, ts: parent, limit: 3 });
    expect(tsOf(first.messages)).toEqual([parent, replyTs[0], replyTs[1]]);
    const next = await web.conversations.replies({
      channel: H.support,
      ts: parent,
      limit: 3,
      cursor: String(first.response_metadata?.next_cursor),
    });
    expect(tsOf(next.messages)).toEqual(replyTs.slice(2));
  });

  it('finds the thread from a reply ts, keeps the parent when oldest excludes it, and knows lone messages', async () => {
    const emu = await emulator();
    const { parent, replyTs } = await thread(emu, 4);
    const reply = (i: number) => String(replyTs[i]);
    const lone = String(emu.postWhileOffline({ channel: H.support, user: H.dave, text: 'alone' }).ts);
    const web = webClient(emu);
    const viaReply = await web.conversations.replies({ channel: H.support, ts: reply(2) });
    expect(tsOf(viaReply.messages)).toEqual([parent, ...replyTs]);
    const newer = await web.conversations.replies({ channel: H.support, ts: parent, oldest: reply(1) });
    expect(tsOf(newer.messages)).toEqual([parent, reply(2), reply(3)]);
    const inclusive = await web.conversations.replies({
      channel: H.support,
      ts: parent,
      oldest: reply(1),
      latest: reply(2),
      inclusive: true,
    });
    expect(tsOf(inclusive.messages)).toEqual([parent, reply(1), reply(2)]);
    const alone = await web.conversations.replies({ channel: H.support, ts: lone });
    expect(tsOf(alone.messages)).toEqual([lone]);
    expect(alone.has_more).toBe(false);
    expect(await errorOf(web.conversations.replies({ channel: H.support, ts: '1.000001' }))).toBe(
      'thread_not_found',
    );
    expect(await errorOf(web.conversations.replies({ channel: H.support, ts: parent, cursor: 'eA==' }))).toBe(
      'invalid_cursor',
    );
    expect(await errorOf(web.conversations.replies({ channel: H.lobby, ts: parent }))).toBe('not_in_channel');
  });
});
