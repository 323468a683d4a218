import type { APIRole } from 'discord.js';
import {
  type ChannelRecord,
  channelObject,
  isThreadType,
  type JsonObject,
  type MemberRecord,
  memberObject,
  roleObject,
  type ThreadRecord,
  type UserRecord,
  userObject,
} from './objects.ts';
import { combinePermissions, DEFAULT_EVERYONE_PERMISSIONS } from './permissions.ts';
import { SnowflakeFactory } from './snowflake.ts';
import type { DiscordEmulatorOptions, EmulatorGuildSpec, EmulatorUserSpec, StoredMessage } from './types.ts';

/** A guild as the emulator keeps it. */
export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  systemChannelId: string | null;
  joinedAt: string;
  roles: Map<string, APIRole>;
  members: Map<string, MemberRecord>;
  channelIds: string[];
}

const JOINED_AT = '2024-01-01T00:00:00.000000+00:00';

/** In-memory Discord state: users, guilds, channels, threads, DMs and messages. */
export class DiscordStore {
  readonly users = new Map<string, UserRecord>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly botUser: UserRecord;
  /** The emulated Discord's clock (ms since the epoch): message ids and timestamps, thread times. */
  readonly now: () => number;
  private readonly ids: SnowflakeFactory;
  private readonly messagesByChannel = new Map<string, StoredMessage[]>();
  private readonly messagesById = new Map<string, StoredMessage>();
  private readonly dmByUser = new Map<string, string>();

  constructor(readonly options: DiscordEmulatorOptions) {
    this.now = options.now ?? Date.now;
    // Worker 2: never the same id as the wall-clock ids of commands and interactions (worker 1).
    this.ids = new SnowflakeFactory(this.now, 2n);
    this.botUser = this.addUser({ ...options.botUser, bot: true });
    for (const guild of options.guilds) this.addGuild(guild);
  }

  /** A new snowflake from the emulator's clock (messages, threads, DM channels): strictly increasing. */
  nextId(): string {
    return this.ids.next();
  }

  /** The emulator's clock as an ISO 8601 string. */
  isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  /** Adds (or replaces) a user. */
  addUser(spec: EmulatorUserSpec): UserRecord {
    const user: UserRecord = {
      id: spec.id,
      username: spec.username,
      globalName: spec.globalName ?? null,
      bot: spec.bot ?? false,
      dmsClosed: spec.dmsClosed ?? false,
    };
    this.users.set(user.id, user);
    return user;
  }

  private addGuild(spec: EmulatorGuildSpec): void {
    const roles = new Map<string, APIRole>();
    const everyone = spec.roles.find((role) => role.id === spec.id);
    roles.set(
      spec.id,
      roleObject({
        id: spec.id,
        name: '@everyone',
        permissions: everyone?.permissions ?? DEFAULT_EVERYONE_PERMISSIONS.toString(),
        color: 0,
        position: 0,
        hoist: false,
        mentionable: false,
      }),
    );
    spec.roles.forEach((role, index) => {
      if (role.id === spec.id) return;
      roles.set(
        role.id,
        roleObject({
          id: role.id,
          name: role.name,
          permissions: role.permissions ?? '0',
          color: role.color ?? 0,
          position: role.position ?? index + 1,
          hoist: role.hoist ?? false,
          mentionable: role.mentionable ?? false,
        }),
      );
    });
    const members = new Map<string, MemberRecord>();
    for (const member of spec.members) {
      this.addUser(member.user);
      members.set(member.user.id, {
        userId: member.user.id,
        roles: [...member.roles],
        nick: member.nick ?? null,
        joinedAt: member.joinedAt ?? JOINED_AT,
      });
    }
    if (!members.has(this.botUser.id)) {
      members.set(this.botUser.id, { userId: this.botUser.id, roles: [], nick: null, joinedAt: JOINED_AT });
    }
    const guild: GuildRecord = {
      id: spec.id,
      name: spec.name,
      ownerId: spec.ownerId ?? spec.members.find((m) => !m.user.bot)?.user.id ?? this.botUser.id,
      systemChannelId: spec.systemChannelId ?? null,
      joinedAt: JOINED_AT,
      roles,
      members,
      channelIds: [],
    };
    this.guilds.set(guild.id, guild);
    spec.channels.forEach((channel, index) => {
      const record = this.addChannel({
        id: channel.id,
        type: channel.type,
        guildId: guild.id,
        name: channel.name,
        parentId: channel.parentId ?? null,
        position: channel.position ?? index,
        topic: channel.topic ?? null,
        availableTags: channel.availableTags ?? [],
      });
      if (isThreadType(channel.type)) {
        record.thread = this.newThreadState(channel.ownerId ?? guild.ownerId);
      }
    });
  }

  /** Adds a channel record with defaults. */
  addChannel(
    init: Partial<ChannelRecord> & { id: string; type: number; guildId: string | null },
  ): ChannelRecord {
    const record: ChannelRecord = {
      name: null,
      parentId: null,
      position: 0,
      topic: null,
      lastMessageId: null,
      availableTags: [],
      recipientId: null,
      thread: null,
      ...init,
    };
    this.channels.set(record.id, record);
    if (record.guildId) this.guilds.get(record.guildId)?.channelIds.push(record.id);
    return record;
  }

  /** Fresh thread state owned by a user. */
  newThreadState(ownerId: string, autoArchiveDuration = 4320): ThreadRecord {
    const now = this.isoNow();
    return {
      ownerId,
      archived: false,
      locked: false,
      autoArchiveDuration,
      archiveTimestamp: now,
      createTimestamp: now,
      messageCount: 0,
      totalMessageSent: 0,
      memberIds: new Set([ownerId]),
      appliedTags: [],
    };
  }

  /** A guild by id, or throws (for helpers called by tests). */
  guild(guildId: string): GuildRecord {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`discord emulator: unknown guild ${guildId}`);
    return guild;
  }

  /** A channel by id, or throws. */
  channel(channelId: string): ChannelRecord {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`discord emulator: unknown channel ${channelId}`);
    return channel;
  }

  /** A user by id, or throws. */
  user(userId: string): UserRecord {
    const user = this.users.get(userId);
    if (!user) throw new Error(`discord emulator: unknown user ${userId}`);
    return user;
  }

  /** The wire form of a channel. */
  channelJson(channel: ChannelRecord): JsonObject {
    return channelObject(channel, this.users);
  }

  /** The wire form of a member, or undefined when the user is not in the guild. */
  memberJson(guildId: string, userId: string): JsonObject | undefined {
    const member = this.guilds.get(guildId)?.members.get(userId);
    const user = this.users.get(userId);
    return member && user ? { ...memberObject(member, user) } : undefined;
  }

  /** A member's guild-level permissions as a decimal string. */
  permissionsOf(guildId: string, userId: string): string {
    const guild = this.guild(guildId);
    const member = guild.members.get(userId);
    const roleIds = [guild.id, ...(member?.roles ?? [])];
    const strings = roleIds.flatMap((id) => {
      const role = guild.roles.get(id);
      return role ? [role.permissions] : [];
    });
    if (guild.ownerId === userId) return combinePermissions([...strings, (1n << 3n).toString()]);
    return combinePermissions(strings);
  }

  /** The GUILD_CREATE payload for a guild. */
  guildCreate(guildId: string): JsonObject {
    const guild = this.guild(guildId);
    const channels = guild.channelIds.map((id) => this.channel(id));
    const members = [...guild.members.values()].map((member) =>
      memberObject(member, this.user(member.userId)),
    );
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      region: 'deprecated',
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 1,
      explicit_content_filter: 0,
      roles: [...guild.roles.values()],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: guild.systemChannelId,
      system_channel_flags: 0,
      rules_channel_id: null,
      safety_alerts_channel_id: null,
      public_updates_channel_id: null,
      max_presences: null,
      max_members: 500000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      vanity_url_code: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      nsfw: false,
      hub_type: null,
      incidents_data: null,
      lazy: true,
      large: false,
      unavailable: false,
      joined_at: guild.joinedAt,
      member_count: guild.members.size,
      members,
      channels: channels.filter((c) => !isThreadType(c.type)).map((c) => this.channelJson(c)),
      threads: channels.filter((c) => c.thread && !c.thread.archived).map((c) => this.channelJson(c)),
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  /** The DM channel with a user, created on first use (stable per user). */
  dmChannel(userId: string): ChannelRecord {
    const existing = this.dmByUser.get(userId);
    if (existing) return this.channel(existing);
    const channel = this.addChannel({ id: this.nextId(), type: 1, guildId: null, recipientId: userId });
    this.dmByUser.set(userId, channel.id);
    return channel;
  }

  /** Stores a message (or replaces one with the same id) and bumps channel counters. */
  putMessage(message: StoredMessage): StoredMessage {
    const list = this.messagesByChannel.get(message.channel_id) ?? [];
    const index = list.findIndex((m) => m.id === message.id);
    if (index >= 0) {
      list[index] = message;
    } else {
      list.push(message);
      const channel = this.channels.get(message.channel_id);
      if (channel) {
        channel.lastMessageId = message.id;
        if (channel.thread && message.type !== 21) {
          channel.thread.messageCount += 1;
          channel.thread.totalMessageSent += 1;
        }
      }
    }
    this.messagesByChannel.set(message.channel_id, list);
    this.messagesById.set(message.id, message);
    return message;
  }

  /** A stored message by id (optionally checking its channel). */
  message(messageId: string, channelId?: string): StoredMessage | undefined {
    const message = this.messagesById.get(messageId);
    if (!message || (channelId !== undefined && message.channel_id !== channelId)) return undefined;
    return message;
  }

  /** Removes a stored message. */
  deleteMessage(messageId: string): StoredMessage | undefined {
    const message = this.messagesById.get(messageId);
    if (!message) return undefined;
    this.messagesById.delete(messageId);
    const list = this.messagesByChannel.get(message.channel_id) ?? [];
    this.messagesByChannel.set(
      message.channel_id,
      list.filter((m) => m.id !== messageId),
    );
    return message;
  }

  /** Messages of a channel in creation order. */
  messages(channelId: string): StoredMessage[] {
    return [...(this.messagesByChannel.get(channelId) ?? [])];
  }

  /** The wire form of the bot user as READY carries it. */
  botUserJson(): JsonObject {
    return { ...userObject(this.botUser), bot: true, verified: true, mfa_enabled: false, email: null };
  }
}
