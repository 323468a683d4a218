import { afterEach, describe, expect, it } from 'vitest';
import { rich } from '../../../src/messages/rich-text.ts';
import { type Fixture, OTHER_CHANNEL, S, startFixture } from './slack-fixture.ts';

let f: Fixture;

afterEach(async () => {
  await f.close();
});

const texts = (channel: string) => f.emu.messagesIn(channel).map((m) => m.text);

describe('a 429 storm on one Slack channel', () => {
  it('pauses only that channel, honours Retry-After, keeps its order and drops nothing', async () => {
    // This test counts the 429s it injects, to the call: Slack's own per-channel posting limit would add
    // its own (five posts a channel is over the burst). That limit is tested in channel-flood.test.ts.
    f = await startFixture({ emulator: { postRateLimit: false } });
    const { emu, adapter } = f;
    emu.rateLimit({ method: 'chat.postMessage', channel: S.teamChannel, times: 3, retryAfterSeconds: 1 });
    const started = Date.now();

    const team = [0, 1, 2, 3, 4].map((i) =>
      adapter.chatPort.post({ platform: 'slack', channel: S.teamChannel }, { text: rich`team ${i}` }),
    );
    const other = [0, 1, 2, 3, 4].map((i) =>
      adapter.chatPort.post({ platform: 'slack', channel: OTHER_CHANNEL }, { text: rich`other ${i}` }),
    );

    await Promise.all(other);
    const otherTook = Date.now() - started;
    const waitingMeanwhile = adapter.queueDepth();
    await Promise.all(team);
    const teamTook = Date.now() - started;

    expect(otherTook).toBeLessThan(800);
    expect(waitingMeanwhile).toBe(5);
    expect(teamTook).toBeGreaterThanOrEqual(2_900);
    expect(texts(OTHER_CHANNEL)).toEqual(['other 0', 'other 1', 'other 2', 'other 3', 'other 4']);
    expect(texts(S.teamChannel)).toEqual(['team 0', 'team 1', 'team 2', 'team 3', 'team 4']);
    const limited = emu.callsTo('chat.postMessage').filter((c) => c.status === 429);
    expect(limited.map((c) => c.args.channel)).toEqual([S.teamChannel, S.teamChannel, S.teamChannel]);
    expect(adapter.queueDepth()).toBe(0);
  }, 15_000);

  it('still acknowledges customers at once while the team channel is rate-limited', async () => {
    f = await startFixture();
    const { emu, heed } = f;
    emu.rateLimit({ method: 'chat.postMessage', channel: S.teamChannel, times: 2, retryAfterSeconds: 2 });
    const started = Date.now();

    const said = await Promise.all([
      f.say('Report A is wrong', { user: S.customer }),
      f.say('Report B is wrong', { user: 'U0CUST02' }),
    ]);

    for (const { ts } of said) {
      const ack = await emu.waitForCall('chat.postMessage', (c) => c.ok && c.args.thread_ts === ts);
      expect(ack.at - started).toBeLessThan(1_500);
    }
    await expect.poll(() => f.posts(S.teamChannel).length, { timeout: 8_000 }).toBe(2);
    expect(heed.issues.listOpen()).toHaveLength(2);
  }, 15_000);
});
