/**
 * Slack's own per-channel posting limit ("1 per second, short bursts >1 allowed"), as the emulator
 * enforces it by default, against the real Heed Slack adapter: a flood into one channel goes out at
 * Slack's pace, in order and complete, and holds up no other channel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rich } from '../../../src/messages/rich-text.ts';
import type { CallRecord } from '../../emulators/slack/index.ts';
import { POST_RATE_LIMIT_DEFAULTS } from '../../emulators/slack/post-limits.ts';
import { type Fixture, OTHER_CHANNEL, S, startFixture } from './slack-fixture.ts';

const FLOOD = 8;
const { burst, perSecond } = POST_RATE_LIMIT_DEFAULTS;

let f: Fixture;

afterEach(async () => {
  await f.close();
});

const texts = (channel: string) => f.emu.messagesIn(channel).map((m) => m.text);
const postsTo = (channel: string): CallRecord[] =>
  f.emu.callsTo('chat.postMessage').filter((call) => call.args.channel === channel);

describe('a flood of posts into one Slack channel, under Slack’s per-channel limit', () => {
  it('goes out at Slack’s pace, in order and complete, while other channels post at once', async () => {
    f = await startFixture();
    const { adapter } = f;
    const started = Date.now();
    const tookMs = (post: Promise<unknown>) => post.then(() => Date.now() - started);

    const flood = Array.from({ length: FLOOD }, (_, i) =>
      tookMs(
        adapter.chatPort.post({ platform: 'slack', channel: S.teamChannel }, { text: rich`alert ${i}` }),
      ),
    );
    const others = [OTHER_CHANNEL, S.customerChannel].flatMap((channel) =>
      [0, 1, 2].map((i) =>
        tookMs(adapter.chatPort.post({ platform: 'slack', channel }, { text: rich`${channel} ${i}` })),
      ),
    );

    const otherTimes = await Promise.all(others);
    const floodStillWaiting = adapter.queueDepth();
    const floodTimes = await Promise.all(flood);

    // The other channels were never behind the flood: done at once, while it still had most to go.
    expect(Math.max(...otherTimes)).toBeLessThan(800);
    expect(floodStillWaiting).toBeGreaterThanOrEqual(FLOOD - burst - 1);
    expect(postsTo(OTHER_CHANNEL).every((call) => call.ok)).toBe(true);
    expect(postsTo(S.customerChannel).every((call) => call.ok)).toBe(true);
    expect(texts(OTHER_CHANNEL)).toEqual([0, 1, 2].map((i) => `${OTHER_CHANNEL} ${i}`));

    // The flood: a short burst at once, then about one a second; every post arrived, once, in order.
    const team = postsTo(S.teamChannel);
    expect(team.slice(0, burst).every((call) => call.ok)).toBe(true);
    const limited = team.filter((call) => call.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((call) => call.error === 'ratelimited')).toBe(true);
    expect(Math.max(...floodTimes)).toBeGreaterThanOrEqual(((FLOOD - burst - 1) / perSecond) * 1000);
    expect(texts(S.teamChannel)).toEqual(Array.from({ length: FLOOD }, (_, i) => `alert ${i}`));
    expect(team.filter((call) => call.ok)).toHaveLength(FLOOD);
    // Each refused post was sent again only after the Retry-After (1 s) it was given.
    for (const refused of limited) {
      const next = team.find((call) => call.at > refused.at);
      expect(next?.args.text).toBe(refused.args.text);
      expect((next?.at ?? 0) - refused.at).toBeGreaterThanOrEqual(950);
    }
    expect(adapter.queueDepth()).toBe(0);
  }, 20_000);

  it('still acknowledges a customer at once while the team channel is flooded, and their card follows', async () => {
    f = await startFixture();
    const { adapter, emu, heed } = f;
    const flood = Array.from({ length: FLOOD }, (_, i) =>
      adapter.chatPort.post({ platform: 'slack', channel: S.teamChannel }, { text: rich`alert ${i}` }),
    );
    const started = Date.now();

    const { ts } = await f.say('The export page is blank');

    const ack = await emu.waitForCall('chat.postMessage', (c) => c.ok && c.args.thread_ts === ts);
    expect(ack.at - started).toBeLessThan(1_500);
    await Promise.all(flood);
    const card = await emu.waitForCall(
      'chat.postMessage',
      (c) => c.ok && c.args.channel === S.teamChannel && f.wire(c).includes('The export page is blank'),
      8_000,
    );
    // The card waited its turn behind the flood in the team channel, and nothing was dropped.
    expect(card.at).toBeGreaterThan(ack.at);
    expect(f.posts(S.teamChannel)).toHaveLength(FLOOD + 1);
    expect(heed.issues.listOpen()).toHaveLength(1);
  }, 20_000);
});
