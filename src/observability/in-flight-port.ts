import type { ChannelRef, ConversationRef, MessageRef, UserRef } from '../domain/refs.ts';
import type { ChatPort, OutboundMessage } from '../ports/chat-port.ts';

/**
 * A ChatPort that counts the calls in flight through another one: the outbound queue depth of an
 * adapter that queues inside its SDK (discord.js waits out rate limits per route itself).
 */
export class InFlightChatPort implements ChatPort {
  private pending = 0;

  constructor(private readonly inner: ChatPort) {}

  /** Calls started and not yet settled. */
  get depth(): number {
    return this.pending;
  }

  private async track<T>(call: () => Promise<T>): Promise<T> {
    this.pending += 1;
    try {
      return await call();
    } finally {
      this.pending -= 1;
    }
  }

  post(channel: ChannelRef, message: OutboundMessage): Promise<MessageRef> {
    return this.track(() => this.inner.post(channel, message));
  }

  reply(conversation: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    return this.track(() => this.inner.reply(conversation, message));
  }

  dm(user: UserRef, message: OutboundMessage): Promise<MessageRef> {
    return this.track(() => this.inner.dm(user, message));
  }

  update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    return this.track(() => this.inner.update(ref, message));
  }
}
