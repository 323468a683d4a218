import type { ChannelRef, ConversationRef, MessageRef, UserRef } from '../../src/domain/refs.ts';
import { toPlainText } from '../../src/messages/rich-text.ts';
import type { ChatPort, OutboundMessage } from '../../src/ports/chat-port.ts';

export type RecordedOperation = 'post' | 'reply' | 'dm' | 'update';

export interface RecordedMessage {
  readonly op: RecordedOperation;
  readonly platform: string;
  /** Channel id, or the user id for DMs. */
  readonly to: string;
  readonly thread?: string | undefined;
  readonly ref: MessageRef;
  readonly message: OutboundMessage;
  /** Plain text of the message and its card, for readable assertions. */
  readonly plain: string;
}

/** A ChatPort that records everything, for conversation-style tests of the core and the demo. */
export class RecordingChatPort implements ChatPort {
  readonly sent: RecordedMessage[] = [];
  private counter = 0;
  /** Set to make the next calls fail, to test that the core survives a platform outage. */
  failWith: Error | undefined;

  private nextId(): string {
    this.counter += 1;
    return `m${this.counter}`;
  }

  private record(op: RecordedOperation, to: string, ref: MessageRef, message: OutboundMessage): MessageRef {
    if (this.failWith) throw this.failWith;
    const card = message.card
      ? ` [card ${message.card.reference} ${message.card.status} ${message.card.priority} owner=${message.card.owner?.id ?? '-'} | ${message.card.excerpt}]`
      : '';
    this.sent.push({
      op,
      platform: ref.platform,
      to,
      thread: ref.thread,
      ref,
      message,
      plain: toPlainText(message.text) + card,
    });
    return ref;
  }

  async post(channel: ChannelRef, message: OutboundMessage): Promise<MessageRef> {
    return this.record('post', channel.channel, { ...channel, id: this.nextId() }, message);
  }

  async reply(conversation: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    const ref: MessageRef = { ...conversation, id: this.nextId() };
    return this.record('reply', conversation.channel, ref, message);
  }

  async dm(user: UserRef, message: OutboundMessage): Promise<MessageRef> {
    return this.record(
      'dm',
      user.id,
      { platform: user.platform, channel: `D-${user.id}`, id: this.nextId() },
      message,
    );
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    this.record('update', ref.channel, ref, message);
  }

  /** Messages whose plain text contains `needle`. */
  find(needle: string | RegExp): RecordedMessage[] {
    return this.sent.filter((m) =>
      typeof needle === 'string' ? m.plain.includes(needle) : needle.test(m.plain),
    );
  }

  clear(): void {
    this.sent.length = 0;
  }
}
