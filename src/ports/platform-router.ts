import type { ChannelRef, ConversationRef, MessageRef, Platform, UserRef } from '../domain/refs.ts';
import type { ChatPort, OutboundMessage } from './chat-port.ts';

/** The ChatPort the core uses: sends each message through the adapter of its platform. */
export class PlatformRouter implements ChatPort {
  private readonly ports = new Map<Platform, ChatPort>();

  register(platform: Platform, port: ChatPort): void {
    this.ports.set(platform, port);
  }

  has(platform: Platform): boolean {
    return this.ports.has(platform);
  }

  private portFor(platform: Platform): ChatPort {
    const port = this.ports.get(platform);
    if (!port)
      throw new Error(`Heed is not connected to ${platform}; set its credentials to send messages there`);
    return port;
  }

  post(channel: ChannelRef, message: OutboundMessage): Promise<MessageRef> {
    return this.portFor(channel.platform).post(channel, message);
  }

  reply(conversation: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    return this.portFor(conversation.platform).reply(conversation, message);
  }

  dm(user: UserRef, message: OutboundMessage): Promise<MessageRef> {
    return this.portFor(user.platform).dm(user, message);
  }

  update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    return this.portFor(ref.platform).update(ref, message);
  }
}
