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
    const { heed, chat, clock } = await startHarness();
    chat.failWith = new Error('Slack is down');
    await heed.handleMessage(message(1, clock.now()));
    await heed.handleMessage(message(2, clock.now()));
    chat.failWith = undefined;
    expect(chat.sent).toHaveLength(0);
    expect(await heed.resendMissingIntakeEffects()).toBe(2);
    const acknowledgements = chat.sent.filter(
      (sent) => sent.op === 'reply' && /This is \*#\d\*/.test(sent.plain),
    );
    expect(acknowledgements.map((sent) => sent.plain.match(/#\d/)?.[0]).sort()).toEqual(['#1', '#2']);
    const cards = chat.sent.filter((sent) => sent.op === 'post' && sent.message.card);
    expect(cards).toHaveLength(2);
    const before = chat.sent.length;
    expect(await heed.resendMissingIntakeEffects()).toBe(0);
    expect(chat.sent).toHaveLength(before);
  });
});
