import type { ConversationRef, Platform } from '../../src/domain/refs.ts';
import type { HistoryPort, InboundMessage } from '../../src/ports/inbound-port.ts';

/**
 * A platform's message history for core tests: messages written into it are what an adapter would read
 * back, filtered by time and returned oldest first. Records what was asked, to check what catch-up reads.
 */
export class ScriptedHistory implements HistoryPort {
  private readonly messages: InboundMessage[] = [];
  readonly asked: { kind: 'channel' | 'thread'; where: string; since: number }[] = [];

  constructor(readonly platform: Platform) {}

  write(message: InboundMessage): InboundMessage {
    this.messages.push(message);
    return message;
  }

  async *channelMessages(channel: string, since: number): AsyncIterable<InboundMessage> {
    this.asked.push({ kind: 'channel', where: channel, since });
    yield* this.sorted().filter((m) => m.channel === channel && m.thread === undefined && m.at >= since);
  }

  async *threadMessages(conversation: ConversationRef, since: number): AsyncIterable<InboundMessage> {
    this.asked.push({ kind: 'thread', where: conversation.thread ?? '', since });
    yield* this.sorted().filter(
      (m) =>
        m.channel === conversation.channel &&
        m.thread === conversation.thread &&
        m.messageId !== conversation.thread &&
        m.at >= since,
    );
  }

  private sorted(): InboundMessage[] {
    return [...this.messages].sort((a, b) => a.at - b.at);
  }
}
