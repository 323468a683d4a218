/**
 * A real Heed core process for the kill-and-restart test: SQLite store, real scheduler on real timers,
 * a clock that starts at HEED_TEST_CLOCK_START and runs at normal speed, and a chat port that appends
 * every message it sends to HEED_TEST_OUTBOX as one JSON line (synchronously, so a kill -9 loses nothing
 * that was sent). Commands arrive as JSON lines on stdin.
 */
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { startCore } from '../../../src/boot/start-core.ts';
import { runCommand } from '../../../src/commands/run-command.ts';
import type { Clock } from '../../../src/core/clock.ts';
import type { ChannelRef, ConversationRef, MessageRef, UserRef } from '../../../src/domain/refs.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { toPlainText } from '../../../src/messages/rich-text.ts';
import type { ChatPort, OutboundMessage } from '../../../src/ports/chat-port.ts';
import { testConfig } from '../test-config.ts';

const outbox = process.env.HEED_TEST_OUTBOX!;
const start = Number(process.env.HEED_TEST_CLOCK_START);
const offset = start - Date.now();
const clock: Clock = { now: () => Date.now() + offset };
let counter = 0;

function record(op: string, to: string, message: OutboundMessage, ref: Omit<MessageRef, 'id'>): MessageRef {
  counter += 1;
  appendFileSync(
    outbox,
    `${JSON.stringify({ pid: process.pid, op, to, text: toPlainText(message.text), at: clock.now() })}\n`,
  );
  return { ...ref, id: `${process.pid}-${counter}` };
}

const chat: ChatPort = {
  post: async (channel: ChannelRef, message) => record('post', channel.channel, message, channel),
  reply: async (conversation: ConversationRef, message) =>
    record('reply', conversation.channel, message, conversation),
  dm: async (user: UserRef, message) =>
    record('dm', user.id, message, { platform: user.platform, channel: `D${user.id}` }),
  update: async () => undefined,
};

const config = testConfig({
  sla: {
    policies: [{ firstResponse: '1h', resolution: '8h', calendar: 'always' }],
    escalation: [
      { after: '0m', notify: ['owner'] },
      { after: '30m', notify: ['managers'] },
    ],
  },
});

const core = await startCore({
  config,
  storeUrl: process.env.HEED_STORE_URL,
  chat,
  clock,
  logger: silentLogger(),
});
process.stdout.write('ready\n');

for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line) as
    | { op: 'message'; message: Parameters<typeof core.heed.handleMessage>[0] }
    | { op: 'command'; user: string; text: string };
  if (request.op === 'message') await core.heed.handleMessage({ ...request.message, at: clock.now() });
  else
    await runCommand(core.heed, {
      person: { platform: 'slack', id: request.user },
      input: { text: request.text },
    });
  process.stdout.write('done\n');
}
