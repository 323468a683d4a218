import { IdFactory, makeTriggerId, TsClock } from './ids.ts';
import { compareTs } from './timestamps.ts';
import type {
  EphemeralRecord,
  SlackEmulatorChannel,
  SlackEmulatorUser,
  SlackMessage,
  ViewRecord,
} from './types.ts';

/** Fixed identity of the emulated workspace and app. */
export interface WorkspaceInfo {
  teamId: string;
  teamName: string;
  teamDomain: string;
  /** Slack Connect organisations by team id. */
  externalTeams: ReadonlyMap<string, string>;
  botUserId: string;
  botId: string;
  botName: string;
  apiAppId: string;
  verificationToken: string;
  triggerTtlMs: number | undefined;
  /** The app's Home tab is enabled (else `views.publish` answers `not_enabled`). */
  homeTabEnabled: boolean;
}

/** A conversation as the emulator keeps it. */
export interface StoredChannel {
  id: string;
  name: string;
  isExtShared: boolean;
  isPrivate: boolean;
  isArchived: boolean;
  isIm: boolean;
  isMpim: boolean;
  isMember: boolean;
  /** The other party of a DM. */
  user?: string;
  members: string[];
  created: number;
}

interface Trigger {
  userId: string | undefined;
  issuedAt: number;
  used: boolean;
}

/** In-memory state of the emulated workspace: users, conversations, messages, views, triggers. */
export class Workspace {
  readonly users = new Map<string, SlackEmulatorUser>();
  readonly channels = new Map<string, StoredChannel>();
  readonly ephemerals: EphemeralRecord[] = [];
  readonly viewHistory: ViewRecord[] = [];
  readonly views = new Map<string, Record<string, unknown>>();
  readonly ids = new IdFactory();
  private readonly clock: TsClock;
  private readonly messages = new Map<string, SlackMessage[]>();
  /** The same messages by channel and ts, so lookups stay cheap in long runs (benchmarks). */
  private readonly byTs = new Map<string, SlackMessage>();
  private readonly triggers = new Map<string, Trigger>();

  constructor(
    readonly info: WorkspaceInfo,
    users: SlackEmulatorUser[],
    channels: SlackEmulatorChannel[],
    /** The emulated Slack's clock (message ts, channel creation): `Date.now` unless a test fakes time. */
    readonly now: () => number = Date.now,
  ) {
    this.clock = new TsClock(now);
    for (const user of users) this.users.set(user.id, user);
    if (!this.users.has(info.botUserId)) {
      this.users.set(info.botUserId, { id: info.botUserId, name: info.botName, isBot: true });
    }
    const created = Math.floor(now() / 1000);
    for (const c of channels) {
      this.channels.set(c.id, {
        id: c.id,
        name: c.name,
        isExtShared: c.isExtShared ?? false,
        isPrivate: c.isPrivate ?? c.id.startsWith('G'),
        isArchived: c.isArchived ?? false,
        isIm: c.id.startsWith('D'),
        isMpim: false,
        isMember: c.isMember ?? true,
        members: c.members ?? [],
        created,
      });
    }
  }

  nextTs(): string {
    return this.clock.next();
  }

  /** Finds a conversation by id, by `name` or by `#name`. */
  findChannel(ref: string): StoredChannel | undefined {
    const byId = this.channels.get(ref);
    if (byId) return byId;
    const name = ref.startsWith('#') ? ref.slice(1) : ref;
    return [...this.channels.values()].find((c) => c.name === name && !c.isIm);
  }

  /** Opens (or reopens) the DM with a user; the id is stable: `U0ABC` → `D0ABC`. */
  openDm(userId: string): { channel: StoredChannel; existed: boolean } {
    const existing = [...this.channels.values()].find((c) => c.isIm && c.user === userId);
    if (existing) return { channel: existing, existed: true };
    let id = `D${userId.replace(/^[UW]/, '')}`;
    if (this.channels.has(id)) id = this.ids.next('D');
    const channel: StoredChannel = {
      id,
      name: id,
      isExtShared: false,
      isPrivate: true,
      isArchived: false,
      isIm: true,
      isMpim: false,
      isMember: true,
      user: userId,
      members: [userId, this.info.botUserId],
      created: Math.floor(this.now() / 1000),
    };
    this.channels.set(id, channel);
    return { channel, existed: false };
  }

  /** Opens a group DM with several users. */
  openMpim(userIds: string[]): { channel: StoredChannel; existed: boolean } {
    const members = [...new Set([...userIds, this.info.botUserId])].sort();
    const key = members.join(',');
    const existing = [...this.channels.values()].find(
      (c) => c.isMpim && [...c.members].sort().join(',') === key,
    );
    if (existing) return { channel: existing, existed: true };
    const id = this.ids.next('G');
    const names = members.map((m) => this.users.get(m)?.name ?? m);
    const channel: StoredChannel = {
      id,
      name: `mpdm-${names.join('--')}-1`,
      isExtShared: false,
      isPrivate: true,
      isArchived: false,
      isIm: false,
      isMpim: true,
      isMember: true,
      members,
      created: Math.floor(this.now() / 1000),
    };
    this.channels.set(id, channel);
    return { channel, existed: false };
  }

  /** Slack's `channel_type` for message events. */
  channelType(channelId: string): 'channel' | 'group' | 'im' | 'mpim' {
    const channel = this.channels.get(channelId);
    if (channel?.isIm || (!channel && channelId.startsWith('D'))) return 'im';
    if (channel?.isMpim) return 'mpim';
    if (channel?.isPrivate || (!channel && channelId.startsWith('G'))) return 'group';
    return 'channel';
  }

  /** Stores a message; a reply (thread_ts ≠ ts) names its parent's author and updates the parent's thread fields. */
  addMessage(channelId: string, message: SlackMessage): void {
    const list = this.messages.get(channelId) ?? [];
    const known = this.byTs.get(`${channelId}/${message.ts}`);
    if (known) list[list.indexOf(known)] = message;
    else {
      list.push(message);
      // Messages mostly arrive in order: sort only when one does not.
      const before = list.at(-2);
      if (before && compareTs(before.ts, message.ts) > 0) list.sort((a, b) => compareTs(a.ts, b.ts));
    }
    this.byTs.set(`${channelId}/${message.ts}`, message);
    this.messages.set(channelId, list);
    const parentTs = message.thread_ts;
    if (parentTs === undefined || parentTs === message.ts) return;
    const parent = this.getMessage(channelId, parentTs);
    if (!parent) return;
    if (parent.user !== undefined) message.parent_user_id ??= parent.user;
    const replies = list.filter((m) => m.thread_ts === parentTs && m.ts !== parentTs);
    const replyUsers = [...new Set(replies.map((m) => m.user).filter((u) => u !== undefined))];
    Object.assign(parent, {
      thread_ts: parentTs,
      reply_count: replies.length,
      reply_users_count: replyUsers.length,
      latest_reply: replies.at(-1)?.ts,
      reply_users: replyUsers,
      is_locked: false,
      subscribed: false,
    });
  }

  getMessage(channelId: string, ts: string): SlackMessage | undefined {
    return this.byTs.get(`${channelId}/${ts}`);
  }

  removeMessage(channelId: string, ts: string): boolean {
    const list = this.messages.get(channelId);
    if (!list) return false;
    const at = list.findIndex((m) => m.ts === ts);
    if (at < 0) return false;
    list.splice(at, 1);
    this.byTs.delete(`${channelId}/${ts}`);
    return true;
  }

  /** All stored messages of a conversation, oldest first. */
  messagesIn(channelId: string): SlackMessage[] {
    return [...(this.messages.get(channelId) ?? [])];
  }

  issueTrigger(userId: string | undefined): string {
    const id = makeTriggerId();
    this.triggers.set(id, { userId, issuedAt: Date.now(), used: false });
    return id;
  }

  /** Exchanges a trigger id for a view operation (single use, optionally expiring). */
  useTrigger(id: string): { error: string } | { userId: string | undefined } {
    const trigger = this.triggers.get(id);
    if (!trigger) return { error: 'invalid_trigger_id' };
    if (trigger.used) return { error: 'trigger_exchanged' };
    const ttl = this.info.triggerTtlMs;
    if (ttl !== undefined && Date.now() - trigger.issuedAt > ttl) return { error: 'expired_trigger_id' };
    trigger.used = true;
    return { userId: trigger.userId };
  }
}
