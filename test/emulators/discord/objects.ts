import type { APIGuildMember, APIRole, APIUser, GuildMemberFlags, RoleFlags, UserFlags } from 'discord.js';

const NO_USER_FLAGS = 0 as UserFlags;

/** A JSON object as sent on the wire. */
export type JsonObject = Record<string, unknown>;

/** A user as the emulator keeps it. */
export interface UserRecord {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
  dmsClosed: boolean;
}

/** A guild membership as the emulator keeps it. */
export interface MemberRecord {
  userId: string;
  roles: string[];
  nick: string | null;
  joinedAt: string;
}

/** A channel (guild channel, thread or DM) as the emulator keeps it. */
export interface ChannelRecord {
  id: string;
  type: number;
  guildId: string | null;
  name: string | null;
  parentId: string | null;
  position: number;
  topic: string | null;
  lastMessageId: string | null;
  availableTags: Array<{ id: string; name: string }>;
  /** DM recipient. */
  recipientId: string | null;
  thread: ThreadRecord | null;
}

/** Thread-only state. */
export interface ThreadRecord {
  ownerId: string;
  archived: boolean;
  locked: boolean;
  autoArchiveDuration: number;
  archiveTimestamp: string;
  createTimestamp: string;
  messageCount: number;
  totalMessageSent: number;
  memberIds: Set<string>;
  appliedTags: string[];
}

/** The wire form of a user. */
export function userObject(user: UserRecord): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName,
    avatar: null,
    ...(user.bot ? { bot: true } : {}),
    public_flags: NO_USER_FLAGS,
    flags: NO_USER_FLAGS,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
}

/** The wire form of a member without its user (as embedded in MESSAGE_CREATE). */
export function memberObjectNoUser(member: MemberRecord): Omit<APIGuildMember, 'user'> {
  return {
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: [...member.roles],
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** The wire form of a member with its user. */
export function memberObject(member: MemberRecord, user: UserRecord): APIGuildMember {
  return { ...memberObjectNoUser(member), user: userObject(user) };
}

/** The wire form of a role. */
export function roleObject(role: {
  id: string;
  name: string;
  permissions: string;
  color: number;
  position: number;
  hoist: boolean;
  mentionable: boolean;
}): APIRole {
  return {
    id: role.id,
    name: role.name,
    color: role.color,
    colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
    hoist: role.hoist,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions,
    managed: false,
    mentionable: role.mentionable,
    flags: 0 as RoleFlags,
  };
}

/** The wire form of a channel, thread or DM channel. */
export function channelObject(channel: ChannelRecord, users: ReadonlyMap<string, UserRecord>): JsonObject {
  if (channel.type === 1) {
    const recipient = channel.recipientId ? users.get(channel.recipientId) : undefined;
    return {
      id: channel.id,
      type: 1,
      last_message_id: channel.lastMessageId,
      flags: 0,
      recipients: recipient ? [userObject(recipient)] : [],
    };
  }
  const base: JsonObject = {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    parent_id: channel.parentId,
    flags: 0,
  };
  if (channel.thread) {
    const t = channel.thread;
    return {
      ...base,
      owner_id: t.ownerId,
      last_message_id: channel.lastMessageId,
      rate_limit_per_user: 0,
      message_count: t.messageCount,
      member_count: t.memberIds.size,
      total_message_sent: t.totalMessageSent,
      applied_tags: [...t.appliedTags],
      thread_metadata: {
        archived: t.archived,
        auto_archive_duration: t.autoArchiveDuration,
        archive_timestamp: t.archiveTimestamp,
        locked: t.locked,
        ...(channel.type === 12 ? { invitable: true } : {}),
        create_timestamp: t.createTimestamp,
      },
    };
  }
  const guildChannel: JsonObject = {
    ...base,
    position: channel.position,
    permission_overwrites: [],
    nsfw: false,
  };
  if (channel.type === 4) return guildChannel;
  const textLike: JsonObject = {
    ...guildChannel,
    topic: channel.topic,
    last_message_id: channel.lastMessageId,
    rate_limit_per_user: 0,
    default_auto_archive_duration: 4320,
    default_thread_rate_limit_per_user: 0,
  };
  if (channel.type !== 15) return textLike;
  return {
    ...textLike,
    available_tags: channel.availableTags.map((tag) => ({
      id: tag.id,
      name: tag.name,
      moderated: false,
      emoji_id: null,
      emoji_name: null,
    })),
    default_reaction_emoji: null,
    default_sort_order: null,
    default_forum_layout: 0,
    template: '',
  };
}

/** Whether a channel type is a thread. */
export function isThreadType(type: number): boolean {
  return type === 10 || type === 11 || type === 12;
}

/** Whether messages can be posted in a channel of this type. */
export function isTextType(type: number): boolean {
  return type === 0 || type === 1 || type === 5 || isThreadType(type);
}
