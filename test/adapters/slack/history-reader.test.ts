import { LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { SlackHistory } from '../../../adapters/slack/slack-history.ts';
import { UserDirectory } from '../../../adapters/slack/user-directory.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import type { InboundMessage } from '../../../src/ports/inbound-port.ts';
import { H, historyEmulator, postMany } from '../../emulators/slack/history-fixture.ts';
import type { SlackEmulator } from '../../emulators/slack/index.ts';

let emu: SlackEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** The adapter's reader over a client configured as the adapter's (429s come back to the caller). */
function reader(slack: SlackEmulator, waits: number[]): SlackHistory {
  const client = new WebClient(H.token, {
    slackApiUrl: slack.apiUrl,
    logLevel: LogLevel.ERROR,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
  const users = new UserDirectory({ client, logger: silentLogger(), homeTeamId: () => undefined });
  return new SlackHistory({
    client,
    users,
    self: () => ({ botUserId: H.bot, botId: H.botId }),
    logger: silentLogger(),
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
  });
}

async function all(messages: AsyncIterable<InboundMessage>): Promise<InboundMessage[]> {
  const read: InboundMessage[] = [];
  for await (const message of messages) read.push(message);
  return read;
}

describe('reading Slack history back (SlackHistory)', () => {
  it('pages through conversations.history oldest first, waiting out ratelimited answers for Retry-After', async () => {
    // Two calls per second: the third page waits for the next window.
    emu = await historyEmulator({ history: { callsPerWindow: 2, windowMs: 1_000 } });
    const posted = postMany(emu, 450);
    const waits: number[] = [];
    const read = await all(reader(emu, waits).channelMessages(H.support, 0));
    expect(read.map((message) => message.messageId)).toEqual(posted);
    expect(read[0]).toMatchObject({ platform: 'slack', channel: H.support, author: { id: H.carol } });
    expect(emu.callsTo('conversations.history').filter((call) => call.ok)).toHaveLength(3);
    expect(waits).toEqual([1_000]);
  });

  it('reads an issue thread from a time on, without its first message, and skips its own posts', async () => {
    emu = await historyEmulator();
    const root = postMany(emu, 1)[0]!;
    const early = emu.postWhileOffline({ channel: H.support, user: H.carol, text: 'early', threadTs: root });
    const cutoff = Math.floor(Number(early.ts) * 1000) + 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    emu.postWhileOffline({ channel: H.support, user: H.bot, botId: H.botId, text: 'Heed', threadTs: root });
    const late = emu.postWhileOffline({ channel: H.support, user: H.dave, text: 'late', threadTs: root });
    const read = await all(
      reader(emu, []).threadMessages({ platform: 'slack', channel: H.support, thread: root }, cutoff),
    );
    expect(read.map((message) => [message.messageId, message.thread, message.text])).toEqual([
      [String(late.ts), root, 'late'],
    ]);
  });
});
