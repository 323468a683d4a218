import { afterAll, beforeAll, expect, it } from 'vitest';
import { D, type DiscordHarness, startDiscordHarness } from './discord-fixture.ts';

const MESSAGES = 50;

let h: DiscordHarness;

beforeAll(async () => {
  // Each issue also posts its card into the one team channel: 50 cards under Discord's real 5-per-5-s
  // bucket would take 50 s and say nothing about acknowledgements, which go to each issue's own thread.
  // Same counts, windows of 50 ms.
  h = await startDiscordHarness({ emulator: { rateLimits: { timeScale: 0.01 } } });
});

afterAll(async () => {
  await h.close();
});

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

it(`measures MESSAGE_CREATE → acknowledgement in the new thread over ${MESSAGES} messages`, async () => {
  const samples: number[] = [];
  for (let i = 0; i < MESSAGES; i += 1) {
    const started = performance.now();
    const said = h.say(D.customer, `Question number ${i + 1}: how do I export my data?`);
    const id = (said.d as { id: string }).id;
    await h.emulator.waitForCall(
      'POST /channels/:id/messages',
      (call) => call.path === `/channels/${id}/messages`,
    );
    samples.push(performance.now() - started);
    await h.issueFor(id);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const median = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  // Each new issue costs three requests (thread, acknowledgement, card); sent back to back they reach
  // discord.js's own 50 requests/s global limit, whose waits show up in the tail.
  const globalWaits = h.logs.filter(
    (line) => line.msg.startsWith('Discord rate limit') && line.global === true,
  ).length;
  console.log(
    `Discord MESSAGE_CREATE → thread acknowledgement POST over ${MESSAGES} messages: median ${median.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms (${globalWaits} waits on the 50 req/s global limit)`,
  );
  expect(h.heed.issues.listOpen()).toHaveLength(MESSAGES);
});
