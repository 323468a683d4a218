import {
  type AnyThreadChannel,
  ChannelType,
  type Client,
  type Message,
  SnowflakeUtil,
  type TextBasedChannel,
} from 'discord.js';
import type { ConversationRef } from '../../src/domain/refs.ts';
import type { Logger } from '../../src/logging/logger.ts';
import type { HistoryPort, InboundMessage } from '../../src/ports/inbound-port.ts';
import { fromDiscordMessage } from './from-discord.ts';

/** Discord's largest page of `GET /channels/{id}/messages`. */
const PAGE_SIZE = 100;

export interface DiscordHistoryDeps {
  /** The client to read with (the gateway's while connected, else the REST-only one). */
  readonly client: () => Client;
  readonly supportChannels: () => ReadonlySet<string>;
  readonly logger: Logger;
}

/** The snowflake just before `ms`: `after` is exclusive, catching up reads from `ms` on. */
export function snowflakeBefore(ms: number): string {
  const epoch = SnowflakeUtil.epoch;
  return SnowflakeUtil.generate({
    timestamp: Math.max(Number(epoch), ms - 1),
    increment: 0n,
    workerId: 0n,
    processId: 0n,
  }).toString();
}

const byId = (a: { id: string }, b: { id: string }) =>
  BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0;

/**
 * Reads Discord history back for catching up: `GET /channels/{id}/messages?after=` page by page (100 at
 * most, paging on the newest id read) for support text channels and issue threads, and for a support
 * forum the active threads (`GET /guilds/{id}/threads/active`) opened since, with their starting posts.
 * discord.js's REST manager keeps to Discord's per-route buckets. Messages are translated as live ones
 * are; an author's roles come from their guild member, fetched once and cached by discord.js.
 */
export class DiscordHistory implements HistoryPort {
  readonly platform = 'discord' as const;

  constructor(private readonly deps: DiscordHistoryDeps) {}

  async *channelMessages(channel: string, since: number): AsyncIterable<InboundMessage> {
    const found = await this.deps.client().channels.fetch(channel);
    if (!found) return;
    if (found.type === ChannelType.GuildForum || found.type === ChannelType.GuildMedia) {
      const active = await found.threads.fetchActive();
      const posts = [...active.threads.values()]
        .filter((thread) => thread.parentId === channel && (thread.createdTimestamp ?? 0) >= since)
        .sort(byId);
      for (const post of posts) {
        const starter = await post.fetchStarterMessage().catch(() => null);
        if (starter) yield* this.translate([starter]);
      }
      return;
    }
    if (!found.isTextBased()) return;
    yield* this.translate(await this.readAfter(found, since));
  }

  async *threadMessages(conversation: ConversationRef, since: number): AsyncIterable<InboundMessage> {
    if (!conversation.thread) return;
    const thread = await this.deps
      .client()
      .channels.fetch(conversation.thread)
      .catch(() => null);
    if (!thread?.isThread()) return;
    // Nothing written since: no request (a thread's last message id is known from the gateway or REST).
    if (thread.lastMessageId && SnowflakeUtil.timestampFrom(thread.lastMessageId) < since) return;
    const messages = await this.readAfter(thread as AnyThreadChannel, since);
    // A forum post's first message has the thread's id: it opened the issue, it is not a reply.
    yield* this.translate(messages.filter((message) => message.id !== conversation.thread));
  }

  /** Every message from `since` on, oldest first, paging forward on the newest id read. */
  private async readAfter(channel: TextBasedChannel, since: number): Promise<Message[]> {
    const all: Message[] = [];
    let after = snowflakeBefore(since);
    for (;;) {
      const page = await channel.messages.fetch({ after, limit: PAGE_SIZE, cache: false });
      const sorted = [...page.values()].sort(byId);
      all.push(...sorted);
      const newest = sorted.at(-1);
      if (!newest || page.size < PAGE_SIZE) return all;
      after = newest.id;
    }
  }

  private async *translate(messages: readonly Message[]): AsyncIterable<InboundMessage> {
    const support = this.deps.supportChannels();
    for (const message of messages) {
      // Roles decide staff and tiers: fetch the author's member when discord.js has not cached it.
      if (message.inGuild() && !message.author.bot && !message.member) {
        await message.guild.members.fetch(message.author.id).catch((error: unknown) => {
          this.deps.logger.debug(
            { err: error, user: message.author.id },
            'no guild member for a history message',
          );
        });
      }
      const intake = fromDiscordMessage(message, support);
      if (intake.kind === 'message') yield intake.message;
    }
  }
}
