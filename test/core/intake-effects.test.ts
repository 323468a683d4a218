import { describe, expect, it } from 'vitest';
import { startHarness } from '../support/harness.ts';
import { IDS } from '../support/test-config.ts';

const message = (n: number, at: number) => ({
  platform: 'slack' as const,
  channel: IDS.slack.customerChannel,
  messageId: `1700000000.00000${n}`,
  text: `Question ${n}`,
  at,
  author: { id: IDS.slack.customer },
});

describe('intake: stored first, then said', () => {
  it('says "stored" before it sends the acknowledgement and the card', async () => {
    const { heed, chat, clock } = await startHarness();
    let sentWhenStored: number | undefined;
    let issueWhenStored: number | undefined;
    const outcome = await heed.handleMessage(message(1, clock.now()), {
      stored: () => {
        sentWhenStored = chat.sent.length;
        issueWhenStored = heed.issues.listOpen().length;
      },
    });
    expect(outcome.kind).toBe('opened');
    expect(issueWhenStored).toBe(1);
    expect(sentWhenStored).toBe(0);
    expect(chat.sent.length).toBeGreaterThanOrEqual(2);
  });

  it('sends what a crash cut off after storing, once, when Heed starts again', async () => {
    const { heed, chat, clock, store } = await startHarness();
    chat.failWith = new Error('Slack is down');
    await heed.handleMessage(message(1, clock.now()));
    await heed.handleMessage(message(2, clock.now()));
    expect(chat.sent).toHaveLength(0);
    expect((await heed.outbox.depth(clock.now())).unsent).toBe(4);

    // Heed starts again on the same store: the outbox still holds both acknowledgements and cards.
    const again = await startHarness({ store, clock });
    expect(await again.heed.sendOwed()).toBe(4);
    const acknowledgements = again.chat.sent.filter(
      (sent) => sent.op === 'reply' && /This is \*#\d\*/.test(sent.plain),
    );
    expect(acknowledgements.map((sent) => sent.plain.match(/#\d/)?.[0]).sort()).toEqual(['#1', '#2']);
    // Late, so the customer hears why it took a while.
    expect(
      acknowledgements.every((sent) => sent.plain.endsWith('Sorry for the delay: we were briefly offline.')),
    ).toBe(true);
    const cards = again.chat.sent.filter((sent) => sent.op === 'post' && sent.message.card);
    expect(cards).toHaveLength(2);
    expect((await again.heed.findIssue('#1'))?.card).toEqual(cards.find((c) => c.plain.includes('#1'))?.ref);
    const before = again.chat.sent.length;
    expect(await again.heed.sendOwed()).toBe(0);
    expect(again.chat.sent).toHaveLength(before);
    expect((await again.heed.outbox.depth(clock.now())).unsent).toBe(0);
  });

  it('answers a redelivered message by sending what is still owed for it, once', async () => {
    const { heed, chat, clock } = await startHarness();
    chat.failWith = new Error('Slack is down');
    const first = message(1, clock.now());
    await heed.handleMessage(first);
    chat.failWith = undefined;
    // Within the first attempt's claim a redelivery sends nothing (that attempt may still be sending).
    expect((await heed.handleMessage(first)).kind).toBe('duplicate');
    expect(chat.sent).toHaveLength(0);
    clock.advance(31_000);
    expect((await heed.handleMessage(first)).kind).toBe('duplicate');
    expect(chat.sent.filter((sent) => sent.op === 'reply')).toHaveLength(1);
    expect(chat.sent.filter((sent) => sent.message.card)).toHaveLength(1);
    expect((await heed.handleMessage(first)).kind).toBe('duplicate');
    expect(chat.sent).toHaveLength(2);
  });
});
