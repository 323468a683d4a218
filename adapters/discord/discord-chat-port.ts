import {
  type Channel,
  ChannelType,
  type Client,
  type Message,
  type SendableChannels,
  ThreadAutoArchiveDuration,
  type ThreadChannel,
} from 'discord.js';
import { HeedError } from '../../src/core/errors.ts';
import type { ChannelRef, ConversationRef, MessageRef, UserRef } from '../../src/domain/refs.ts';
import type { Rich } from '../../src/messages/rich-text.ts';
import type { ChatPort, OutboundMessage } from '../../src/ports/chat-port.ts';
import { safeDiscordError } from './errors.ts';
import type { FormRegistry } from './forms.ts';
import { type DiscordMessagePayload, toDiscordMessage } from './to-discord.ts';
import { type RenderContext, threadName } from './to-discord-text.ts';

/** The reference Heed stores for a message it sent (threads: parent channel plus thread id). */
export function messageRef(message: Message, sentTo?: Channel | ThreadChannel): MessageRef {
  // Between gateway sessions the channel is not cached, so the caller says where it sent the message.
  const channel: Channel | ThreadChannel | null = sentTo ?? (message.channel as Channel | null);
  if (channel?.isThread()) {
    return {
      platform: 'discord',
      channel: channel.parentId ?? message.channelId,
      thread: message.channelId,
      id: message.id,
      link: message.url,
    };
  }
  return { platform: 'discord', channel: message.channelId, id: message.id, link: message.url };
}

/**
 * Heed's outbound port on Discord. `reply` starts the thread from the customer's message the
 * first time (a thread started from a message has the message's id) and reuses it afterwards; a forum
 * post is a thread already. Every send carries `allowedMentions` limited to Heed's intended pings.
 * discord.js queues requests per route and waits out 429s itself.
 */
export class DiscordChatPort implements ChatPort {
  private readonly opening = new Map<string, Promise<ThreadChannel>>();

  /** Tells role ids from user ids, from the guilds in the cache. */
  readonly context: RenderContext = {
    isRole: (id) => this.client.guilds.cache.some((guild) => guild.roles.cache.has(id)),
  };

  /** `clientOf` gives the client of the current gateway session, or a REST-only one between sessions. */
  constructor(
    private readonly clientOf: () => Client,
    private readonly forms: FormRegistry,
  ) {}

  private get client(): Client {
    return this.clientOf();
  }

  private payload(message: OutboundMessage): DiscordMessagePayload {
    this.forms.remember([...(message.card?.actions ?? []), ...(message.actions ?? [])]);
    return toDiscordMessage(message, this.context);
  }

  private async channel(id: string): Promise<Channel> {
    const channel =
      this.client.channels.cache.get(id) ??
      (await this.client.channels.fetch(id, { allowUnknownGuild: true }));
    if (!channel)
      throw new HeedError('discord-unknown-channel', `Discord channel ${id} is not visible to Heed`, {
        channel: id,
      });
    return channel;
  }

  private async sendable(id: string): Promise<SendableChannels> {
    const channel = await this.channel(id);
    if (!channel.isSendable()) {
      throw new HeedError('discord-not-sendable', `Heed cannot send messages in Discord channel ${id}`, {
        channel: id,
      });
    }
    return channel;
  }

  async post(channel: ChannelRef, message: OutboundMessage): Promise<MessageRef> {
    return this.guarded('post', async () => {
      const target = await this.sendable(channel.channel);
      return messageRef(await target.send(this.payload(message)), target);
    });
  }

  async reply(conversation: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    const thread = conversation.thread;
    if (!thread) return this.post(conversation, message);
    return this.guarded('reply', async () => {
      const target = await this.thread(conversation.channel, thread, message.text);
      return messageRef(await target.send(this.payload(message)), target);
    });
  }

  async dm(user: UserRef, message: OutboundMessage): Promise<MessageRef> {
    if (this.context.isRole(user.id)) {
      throw new HeedError(
        'discord-dm-to-role',
        `Discord id ${user.id} is a role; direct messages need user ids`,
        {
          id: user.id,
        },
      );
    }
    return this.guarded('dm', async () =>
      messageRef(await this.client.users.send(user.id, this.payload(message))),
    );
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    await this.guarded('update', async () => {
      const channel = await this.sendable(ref.thread ?? ref.channel);
      await channel.messages.edit(ref.id, this.payload(message));
    });
  }

  private async guarded<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw safeDiscordError(error, `Discord ${what}`);
    }
  }

  // The conversation's thread, started once even when several replies race for it.
  private thread(parentId: string, threadId: string, text: Rich): Promise<ThreadChannel> {
    const cached = this.client.channels.cache.get(threadId);
    if (cached?.isThread()) return Promise.resolve(cached);
    const pending = this.opening.get(threadId);
    if (pending) return pending;
    const opened = this.openThread(parentId, threadId, text).finally(() => this.opening.delete(threadId));
    this.opening.set(threadId, opened);
    return opened;
  }

  private async openThread(parentId: string, threadId: string, text: Rich): Promise<ThreadChannel> {
    const parent = await this.channel(parentId);
    if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement) {
      // Forum and media posts are threads already: the post's id is the conversation's thread.
      return this.existingThread(threadId);
    }
    try {
      return await parent.threads.create({
        startMessage: threadId,
        name: threadName(text, parent.messages.cache.get(threadId)?.content),
        autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek,
      });
    } catch (error) {
      // Already started (by Heed before a restart, or by a person), or a thread of its own: use it.
      const existing = await this.existingThread(threadId).catch(() => undefined);
      if (existing) return existing;
      throw error;
    }
  }

  private async existingThread(id: string): Promise<ThreadChannel> {
    const channel = await this.channel(id);
    if (!channel.isThread()) {
      throw new HeedError('discord-not-a-thread', `Discord channel ${id} is not a thread`, { channel: id });
    }
    return channel;
  }
}
