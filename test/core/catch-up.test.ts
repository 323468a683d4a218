import { describe, expect, it } from 'vitest';
import { ScriptedHistory } from '../doubles/scripted-history.ts';
import { startHarness } from '../support/harness.ts';
import { IDS } from '../support/test-config.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const channel = IDS.slack.customerChannel;
let counter = 0;

/** A Slack message `at`, top-level or in `thread`. */
function message(at: number, text: string, options: { thread?: string; author?: string } = {}) {
  counter += 1;
  return {
    platform: 'slack' as const,
    channel,
    ...(options.thread ? { thread: options.thread } : {}),
    messageId: `${Math.floor(at / 1000)}.${String(counter).padStart(6, '0')}`,
    text,
    at,
    author: { id: options.author ?? IDS.slack.customer, name: 'Dana' },
  };
}

describe('catching up on messages written while Heed was away', () => {
  it('reads nothing on the very first start: the watermark starts at now', async () => {
    const { heed, clock, chat } = await startHarness();
    const history = new ScriptedHistory('slack');
    history.write(message(clock.now() - HOUR, 'An old question from before Heed existed'));
    const report = await heed.catchUp(history, 'start');
    expect(report).toMatchObject({ read: 0, opened: 0, started: 1 });
    expect(history.asked).toEqual([]);
    expect(chat.sent).toHaveLength(0);
    expect(await heed.issues.marks.watermark(`slack:${channel}`)).toBe(clock.now());
  });

  it('opens one issue per missed message with an apology, clocks from the message, and never twice', async () => {
    const { heed, clock, chat } = await startHarness();
    const history = new ScriptedHistory('slack');
    // Live: one message handled before the outage moves the watermark in its own transaction.
    const live = history.write(message(clock.now(), 'Exports fail'));
    await heed.handleMessage(live);
    expect(await heed.issues.marks.watermark(`slack:${channel}`)).toBe(live.at);
    // Down for two hours; a customer writes twice meanwhile.
    const first = history.write(message(clock.now() + 30 * MINUTE, 'Also the dashboard is blank'));
    const second = history.write(message(clock.now() + 90 * MINUTE, 'Any news?', { author: 'U0CUST02' }));
    clock.advance(2 * HOUR);
    chat.clear();

    const report = await heed.catchUp(history, 'start');
    expect(report).toMatchObject({ read: 3, opened: 2, quiet: 0, failed: 0 });
    const acks = chat.sent.filter((sent) => sent.op === 'reply');
    expect(acks.map((sent) => sent.thread).sort()).toEqual([first.messageId, second.messageId].sort());
    expect(acks.every((sent) => sent.plain.endsWith('Sorry for the delay: we were briefly offline.'))).toBe(
      true,
    );
    expect(chat.sent.filter((sent) => sent.op === 'post' && sent.message.card)).toHaveLength(2);
    const opened = await heed.findIssue('#2');
    expect(opened?.openedAt).toBe(first.at);
    expect(opened?.caughtUp).toEqual({ at: clock.now(), quiet: false });
    expect(await heed.issues.marks.watermark(`slack:${channel}`)).toBe(second.at);

    // A second pass (another reconnect) finds nothing new and sends nothing.
    chat.clear();
    expect(await heed.catchUp(history, 'reconnect')).toMatchObject({ opened: 0, joined: 0 });
    expect(chat.sent).toHaveLength(0);
  });

  it('opens messages older than backfill.maxAge quietly, with one summary per team channel', async () => {
    const { heed, clock, chat } = await startHarness();
    const history = new ScriptedHistory('slack');
    await heed.handleMessage(history.write(message(clock.now(), 'First')));
    history.write(message(clock.now() + HOUR, 'Old one'));
    history.write(message(clock.now() + 2 * HOUR, 'Old two', { author: 'U0CUST02' }));
    const recent = history.write(message(clock.now() + 47 * HOUR, 'Recent one', { author: 'U0CUST03' }));
    clock.advance(48 * HOUR);
    chat.clear();

    const report = await heed.catchUp(history, 'start');
    expect(report).toMatchObject({ opened: 3, quiet: 2 });
    // Only the recent customer hears from Heed; the team gets one card (recent) and one summary (old two).
    expect(chat.sent.filter((sent) => sent.op === 'reply').map((sent) => sent.thread)).toEqual([
      recent.messageId,
    ]);
    const posts = chat.sent.filter((sent) => sent.op === 'post' && sent.to === IDS.slack.teamChannel);
    expect(posts).toHaveLength(2);
    const summary = posts.find((sent) => !sent.message.card);
    expect(summary?.plain).toContain('2 customer messages older than 1d went unanswered');
    expect(summary?.plain).toMatch(/\*#2\* from Dana, written 1d 23h ago: Old one/);
    // A restart does not send them their acknowledgements after all.
    chat.clear();
    expect(await heed.sendOwed()).toBe(0);
    expect(chat.sent).toHaveLength(0);
  });

  it('reads the threads of open issues: a customer reply joins its issue, a staff reply counts as the response', async () => {
    const { heed, clock, chat } = await startHarness();
    const history = new ScriptedHistory('slack');
    const root = history.write(message(clock.now(), 'Exports fail'));
    await heed.handleMessage(root);
    history.write(message(clock.now() + MINUTE, 'It is the CSV one', { thread: root.messageId }));
    history.write(
      message(clock.now() + 2 * MINUTE, 'Looking now', { thread: root.messageId, author: IDS.slack.staff }),
    );
    clock.advance(HOUR);
    chat.clear();

    const report = await heed.catchUp(history, 'socket reconnect');
    expect(report).toMatchObject({ opened: 0, joined: 2 });
    const issue = await heed.findIssue('#1');
    expect(issue?.firstResponseAt).toBe(clock.now() - HOUR + 2 * MINUTE);
    expect(issue?.history.map((event) => event.kind)).toContain('responded');
    expect(history.asked.find((asked) => asked.kind === 'thread')?.where).toBe(root.messageId);
  });

  it('runs one pass per platform at a time and queues one more behind it', async () => {
    const { heed, clock } = await startHarness();
    const history = new ScriptedHistory('slack');
    await heed.handleMessage(history.write(message(clock.now(), 'First')));
    const passes = [heed.catchUp(history, 'a'), heed.catchUp(history, 'b'), heed.catchUp(history, 'c')];
    const [a, b, c] = await Promise.all(passes);
    expect(a?.reason).toBe('a');
    expect(b).toBe(c);
    expect(history.asked.filter((asked) => asked.kind === 'channel')).toHaveLength(2);
  });
});
