/**
 * Discord's per-channel limit on creating messages (5 per 5 s, the emulator's default), against the real
 * Heed Discord adapter: a flood into one channel goes out at Discord's pace, complete and once each, and
 * holds up no other channel. discord.js reads the rate-limit headers and queues per bucket and channel;
 * any 429 it still meets is waited out and sent again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rich } from '../../../src/messages/rich-text.ts';
import { ROUTE_BUCKETS } from '../../emulators/discord/index.ts';
import type { RecordedCall } from '../../emulators/discord/types.ts';
import { D, type DiscordHarness, startDiscordHarness } from './discord-fixture.ts';

const FLOOD = 8;
const bucket = ROUTE_BUCKETS.find((b) => b.route === 'POST /channels/:id/messages')!;

let h: DiscordHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const postsTo = (harness: DiscordHarness, channel: string): RecordedCall[] =>
  harness.emulator.callsTo(`POST /channels/${channel}/messages`);
const contents = (harness: DiscordHarness, channel: string) =>
  harness.emulator.messages(channel).map((m) => m.content);

describe('a flood of messages into one Discord channel, under Discord’s per-channel limit', () => {
  it('goes out at Discord’s pace, complete and in order, while other channels post at once', async () => {
    h = await startDiscordHarness();
    const harness = h;
    const port = harness.adapter.chatPort;
    const started = Date.now();
    const tookMs = (sent: Promise<unknown>) => sent.then(() => Date.now() - started);

    const flood = Array.from({ length: FLOOD }, (_, i) =>
      tookMs(port.post({ platform: 'discord', channel: D.teamChannel }, { text: rich`alert ${i}` })),
    );
    const others = [
      ...[0, 1, 2].map((i) =>
        tookMs(port.post({ platform: 'discord', channel: D.customerChannel }, { text: rich`notice ${i}` })),
      ),
      ...[0, 1, 2].map((i) => tookMs(port.dm({ platform: 'discord', id: D.staff }, { text: rich`dm ${i}` }))),
    ];

    const otherTimes = await Promise.all(others);
    const floodDoneWhenOthersWere = harness.emulator.messages(D.teamChannel).length;
    const floodTimes = await Promise.all(flood);

    // The other channels never waited behind the flood.
    expect(Math.max(...otherTimes)).toBeLessThan(1_000);
    expect(floodDoneWhenOthersWere).toBeLessThanOrEqual(bucket.limit);
    expect(contents(harness, D.customerChannel)).toEqual(['notice 0', 'notice 1', 'notice 2']);
    expect(harness.dmsTo(D.staff).every((call) => call.status === 200)).toBe(true);

    // The flood: one window's worth at once, the rest in the next window; every message arrived once.
    expect(Math.min(...floodTimes)).toBeLessThan(1_000);
    expect(Math.max(...floodTimes)).toBeGreaterThanOrEqual(bucket.windowMs - 500);
    expect(contents(harness, D.teamChannel)).toEqual(Array.from({ length: FLOOD }, (_, i) => `alert ${i}`));
    const team = postsTo(harness, D.teamChannel);
    expect(team.filter((call) => call.status === 200)).toHaveLength(FLOOD);
    // No window ever let more than its limit through.
    const accepted = team.filter((call) => call.status === 200).map((call) => call.at);
    for (const [index, at] of accepted.entries()) {
      const sameWindow = accepted.slice(index).filter((later) => later - at < bucket.windowMs - 50);
      expect(sameWindow.length).toBeLessThanOrEqual(bucket.limit);
    }
    // A refused post (if discord.js met any) was sent again after the wait it was given.
    for (const refused of team.filter((call) => call.status === 429)) {
      const text = (refused.body as { content: string }).content;
      const retried = team.find(
        (call) => call.at > refused.at && (call.body as { content: string }).content === text,
      );
      expect(retried?.status).toBe(200);
    }
    expect(harness.logs.some((line) => line.msg.startsWith('Discord rate limit'))).toBe(true);
  }, 20_000);

  it('still acknowledges a customer at once while the team channel is flooded, and their card follows', async () => {
    h = await startDiscordHarness();
    const harness = h;
    const flood = Array.from({ length: FLOOD }, (_, i) =>
      harness.adapter.chatPort.post(
        { platform: 'discord', channel: D.teamChannel },
        { text: rich`alert ${i}` },
      ),
    );
    const started = Date.now();

    const said = harness.say(D.customer, 'The export page is blank');
    const id = (said.d as { id: string }).id;

    const ack = await harness.emulator.waitForCall(`POST /channels/${id}/messages`, (c) => c.status === 200);
    expect(ack.at - started).toBeLessThan(1_500);
    await Promise.all(flood);
    const issue = await harness.issueFor(id);
    const card = postsTo(harness, D.teamChannel).find(
      (call) => call.status === 200 && JSON.stringify(call.body).includes('The export page is blank'),
    );
    // The card waited its turn behind the flood in the team channel, and nothing was dropped.
    expect(card?.at).toBeGreaterThan(ack.at);
    expect(issue.card?.channel).toBe(D.teamChannel);
    expect(harness.emulator.messages(D.teamChannel)).toHaveLength(FLOOD + 1);
    expect(harness.heed.issues.listOpen()).toHaveLength(1);
  }, 20_000);
});
