import type { ChatPort } from '../src/ports/chat-port.ts';

/** A chat port that answers at once and counts, so benchmarks measure Heed, not a platform. */
export function nullChatPort(): ChatPort & { sent: number } {
  let n = 0;
  const port = {
    sent: 0,
    async post(channel) {
      port.sent += 1;
      n += 1;
      return { ...channel, id: `b${n}` };
    },
    async reply(conversation) {
      port.sent += 1;
      n += 1;
      return { ...conversation, id: `b${n}` };
    },
    async dm(user) {
      port.sent += 1;
      n += 1;
      return { platform: user.platform, channel: `D${user.id}`, id: `b${n}` };
    },
    async update() {
      port.sent += 1;
    },
  } satisfies ChatPort & { sent: number };
  return port;
}
