import type { EmulatorCore } from './core.ts';
import { buildMessage, messageEventData } from './messages.ts';
import { type ChannelRecord, isTextType, type JsonObject, memberObject } from './objects.ts';
import { createThread as createThreadChannel, threadCreateData } from './threads.ts';
import type { DispatchPayload, StoredMessage } from './types.ts';

/** A message a user posts in a guild channel or thread. */
export interface UserMessageInput {
  guildId: string;
  /** The channel (for a thread: its parent, or the thread itself). */
  channelId: string;
  authorId: string;
  /** Defaults to '' (system messages such as member joins carry no content). */
  content?: string;
  id?: string;
  /** 0 default, 7 member join, 19 reply (set automatically with replyTo). */
  type?: number;
  /** Post into this thread instead of channelId. */
  threadId?: string;
  embeds?: unknown[];
  attachments?: JsonObject[];
  /** Reply to this message. */
  replyTo?: string;
}

/** A user-started thread (from a message or standalone). */
export interface UserThreadInput {
  guildId: string;
  channelId: string;
  ownerId: string;
  name: string;
  /** Start from this message (the thread then shares its id). */
  messageId?: string;
  type?: 11 | 12;
}

/** A forum post by a user: the thread and its starter message. */
export interface ForumPostInput {
  guildId: string;
  channelId: string;
  authorId: string;
  name: string;
  content: string;
  appliedTags?: string[];
}

function requireMember(core: EmulatorCore, guildId: string, userId: string): void {
  if (!core.store.guild(guildId).members.has(userId)) {
    throw new Error(`discord emulator: user ${userId} is not a member of guild ${guildId}`);
  }
}

function postAsUser(
  core: EmulatorCore,
  channel: ChannelRecord,
  input: Omit<UserMessageInput, 'guildId' | 'channelId'>,
) {
  const referenced = input.replyTo ? core.store.message(input.replyTo) : undefined;
  if (input.replyTo && !referenced) throw new Error(`discord emulator: unknown message ${input.replyTo}`);
  const message = buildMessage(core.store, {
    ...(input.id ? { id: input.id } : {}),
    channel,
    author: core.store.user(input.authorId),
    content: input.content ?? '',
    ...(input.type !== undefined ? { type: input.type } : {}),
    ...(input.embeds ? { embeds: input.embeds } : {}),
    ...(input.attachments ? { attachments: input.attachments } : {}),
    ...(referenced
      ? {
          messageReference: {
            type: 0,
            message_id: referenced.id,
            channel_id: referenced.channel_id,
            ...(channel.guildId ? { guild_id: channel.guildId } : {}),
          },
          referencedMessage: referenced,
        }
      : {}),
  });
  core.store.putMessage(message);
  if (channel.thread?.archived) {
    channel.thread.archived = false;
    core.gateway.dispatch('THREAD_UPDATE', core.store.channelJson(channel));
  }
  return core.gateway.dispatch('MESSAGE_CREATE', messageEventData(core.store, message));
}

/** A user posts in a guild channel or thread: stores the message and dispatches MESSAGE_CREATE. */
export function sendMessage(core: EmulatorCore, input: UserMessageInput): DispatchPayload {
  requireMember(core, input.guildId, input.authorId);
  const channel = core.store.channel(input.threadId ?? input.channelId);
  if (channel.guildId !== input.guildId) {
    throw new Error(`discord emulator: channel ${channel.id} is not in guild ${input.guildId}`);
  }
  if (!isTextType(channel.type))
    throw new Error(`discord emulator: channel ${channel.id} (type ${channel.type}) takes no messages`);
  return postAsUser(core, channel, input);
}

/** A user writes to the bot in DMs (no guild_id, no member), as MESSAGE_CREATE. */
export function sendDirectMessage(
  core: EmulatorCore,
  input: { authorId: string; content: string; id?: string },
): DispatchPayload {
  return postAsUser(core, core.store.dmChannel(input.authorId), input);
}

/** A user edits a stored message: MESSAGE_UPDATE with the full message and `edited_timestamp`. */
export function editMessage(
  core: EmulatorCore,
  input: { channelId: string; messageId: string; content: string; embeds?: unknown[] },
): DispatchPayload {
  const existing = core.store.message(input.messageId, input.channelId);
  if (!existing)
    throw new Error(`discord emulator: unknown message ${input.messageId} in ${input.channelId}`);
  const rebuilt = buildMessage(core.store, {
    id: existing.id,
    channel: core.store.channel(existing.channel_id),
    author: core.store.user(existing.author.id),
    content: input.content,
    type: existing.type,
    embeds: input.embeds ?? existing.embeds,
    components: existing.components ?? [],
    attachments: existing.attachments as unknown as JsonObject[],
    flags: existing.flags ?? 0,
  });
  const updated = { ...existing, ...rebuilt, edited_timestamp: core.store.isoNow() } as StoredMessage;
  core.store.putMessage(updated);
  return core.gateway.dispatch('MESSAGE_UPDATE', messageEventData(core.store, updated));
}

/** A user deletes a message: MESSAGE_DELETE. */
export function deleteMessage(
  core: EmulatorCore,
  input: { channelId: string; messageId: string },
): DispatchPayload {
  const channel = core.store.channel(input.channelId);
  core.store.deleteMessage(input.messageId);
  return core.gateway.dispatch('MESSAGE_DELETE', {
    id: input.messageId,
    channel_id: channel.id,
    ...(channel.guildId ? { guild_id: channel.guildId } : {}),
  });
}

/** A user reacts to a message: MESSAGE_REACTION_ADD (`emoji` is a unicode emoji or `name:id`). */
export function addReaction(
  core: EmulatorCore,
  input: { channelId: string; messageId: string; userId: string; emoji: string },
): DispatchPayload {
  const channel = core.store.channel(input.channelId);
  const message = core.store.message(input.messageId, channel.id);
  const custom = /^(?:a:)?([\w-]+):(\d+)$/.exec(input.emoji);
  const emoji = custom ? { id: custom[2], name: custom[1] } : { id: null, name: input.emoji };
  const member = channel.guildId ? core.store.memberJson(channel.guildId, input.userId) : undefined;
  return core.gateway.dispatch('MESSAGE_REACTION_ADD', {
    user_id: input.userId,
    channel_id: channel.id,
    message_id: input.messageId,
    emoji,
    burst: false,
    type: 0,
    ...(channel.guildId ? { guild_id: channel.guildId } : {}),
    ...(member ? { member } : {}),
    ...(message ? { message_author_id: message.author.id } : {}),
  });
}

/** A user starts a thread: THREAD_CREATE (the thread shares the message id when started from one). */
export function createUserThread(core: EmulatorCore, input: UserThreadInput): JsonObject {
  requireMember(core, input.guildId, input.ownerId);
  const parent = core.store.channel(input.channelId);
  if (input.messageId && !core.store.message(input.messageId, parent.id)) {
    throw new Error(`discord emulator: unknown message ${input.messageId} in ${parent.id}`);
  }
  const thread = createThreadChannel(core, {
    parent,
    name: input.name,
    ownerId: input.ownerId,
    type: input.type ?? 11,
    ...(input.messageId ? { id: input.messageId } : {}),
  });
  return threadCreateData(core, thread, true);
}

/** A user opens a forum post: THREAD_CREATE then MESSAGE_CREATE of the starter message (same id). */
export function createForumPost(
  core: EmulatorCore,
  input: ForumPostInput,
): { thread: JsonObject; message: DispatchPayload } {
  requireMember(core, input.guildId, input.authorId);
  const parent = core.store.channel(input.channelId);
  if (parent.type !== 15) throw new Error(`discord emulator: channel ${parent.id} is not a forum`);
  const thread = createThreadChannel(core, {
    parent,
    name: input.name,
    ownerId: input.authorId,
    type: 11,
    appliedTags: input.appliedTags ?? [],
  });
  const message = postAsUser(core, thread, {
    id: thread.id,
    authorId: input.authorId,
    content: input.content,
  });
  return { thread: core.store.channelJson(thread), message };
}

/** A user joins a guild: stores the member and dispatches GUILD_MEMBER_ADD. */
export function addMember(
  core: EmulatorCore,
  input: {
    guildId: string;
    user: { id: string; username: string; globalName?: string; bot?: boolean };
    roles?: string[];
  },
): DispatchPayload {
  const guild = core.store.guild(input.guildId);
  const user = core.store.addUser(input.user);
  const member = {
    userId: user.id,
    roles: [...(input.roles ?? [])],
    nick: null,
    joinedAt: core.store.isoNow(),
  };
  guild.members.set(user.id, member);
  return core.gateway.dispatch('GUILD_MEMBER_ADD', { guild_id: guild.id, ...memberObject(member, user) });
}

/** A member's roles or nickname change: GUILD_MEMBER_UPDATE. */
export function updateMember(
  core: EmulatorCore,
  input: { guildId: string; userId: string; roles?: string[]; nick?: string | null },
): DispatchPayload {
  const guild = core.store.guild(input.guildId);
  const member = guild.members.get(input.userId);
  if (!member)
    throw new Error(`discord emulator: user ${input.userId} is not a member of guild ${input.guildId}`);
  if (input.roles) member.roles = [...input.roles];
  if (input.nick !== undefined) member.nick = input.nick;
  return core.gateway.dispatch('GUILD_MEMBER_UPDATE', {
    guild_id: guild.id,
    ...memberObject(member, core.store.user(input.userId)),
  });
}

/**
 * A thread is archived (Discord does it after `auto_archive_duration` without activity, or a
 * moderator does): `archive_timestamp` is now, THREAD_UPDATE goes out. `archived: false` reopens it.
 */
export function archiveThread(
  core: EmulatorCore,
  input: { threadId: string; archived?: boolean },
): DispatchPayload {
  const channel = core.store.channel(input.threadId);
  if (!channel.thread) throw new Error(`discord emulator: channel ${channel.id} is not a thread`);
  channel.thread.archived = input.archived ?? true;
  channel.thread.archiveTimestamp = core.store.isoNow();
  return core.gateway.dispatch('THREAD_UPDATE', core.store.channelJson(channel));
}
