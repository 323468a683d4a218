import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, S, startFixture, tsAt } from './slack-fixture.ts';

const MESSAGES = 50;

let f: Fixture;

afterEach(async () => {
  await f.close();
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

describe('acknowledgement latency on Slack', () => {
  it('measures deliverEvent → the thread acknowledgement’s chat.postMessage', async () => {
    // 50 acknowledgements in one channel as fast as Heed can: Slack's ~1 post a second per channel would
    // make this measure the rate limit (tested in channel-flood.test.ts), not Heed's own latency.
    f = await startFixture({ emulator: { postRateLimit: false } });
    const { emu, clock } = f;
    const latencies: number[] = [];

    for (let i = 0; i < MESSAGES; i += 1) {
      clock.advance(1_000);
      const ts = tsAt(clock.now());
      const event = emu.messageEvent({
        channel: S.customerChannel,
        user: S.customer,
        text: `Question ${i}`,
        ts,
      });
      const started = Date.now();
      const delivered = emu.deliverEvent(event);
      const ack = await emu.waitForCall('chat.postMessage', (c) => c.ok && c.args.thread_ts === ts);
      latencies.push(ack.at - started);
      expect((await delivered).status).toBe(200);
    }

    const sorted = [...latencies].sort((a, b) => a - b);
    const median = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    console.log(
      `Slack ack latency over ${MESSAGES} messages: median ${median.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
    );
    expect(f.heed.issues.listOpen()).toHaveLength(MESSAGES);
    // The customer's name is looked up once, then cached.
    expect(emu.callsTo('users.info')).toHaveLength(1);
  }, 60_000);
});
