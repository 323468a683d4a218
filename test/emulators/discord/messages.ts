import {
  type ChannelRecord,
  type JsonObject,
  memberObjectNoUser,
  type UserRecord,
  userObject,
} from './objects.ts';
import { snowflake, snowflakeTime } from './snowflake.ts';
import type { DiscordStore } from './store.ts';
import type { StoredMessage } from './types.ts';

/** Discord's `allowed_mentions` object. */
export interface AllowedMentions {
  parse?: string[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

/** Everything needed to build a message object. */
export interface BuildMessageInput {
  id?: string;
  channel: ChannelRecord;
  author: UserRecord;
  content?: string;
  type?: number;
  embeds?: unknown[];
  components?: unknown[];
  attachments?: JsonObject[];
  flags?: number;
  tts?: boolean;
  nonce?: string | number;
  messageReference?: JsonObject;
  referencedMessage?: StoredMessage;
  allowedMentions?: AllowedMentions;
  webhookId?: string;
  applicationId?: string;
  interactionMetadata?: JsonObject;
}

const USER_MENTION = /<@!?(\d{5,25})>/g;
const ROLE_MENTION = /<@&(\d{5,25})>/g;

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/** Adds `type: 'rich'` to embeds that lack a type, as Discord does. */
export function normalizeEmbeds(embeds: unknown[] | undefined): unknown[] {
  return (embeds ?? []).map((embed) =>
    embed && typeof embed === 'object' && !('type' in embed) ? { type: 'rich', ...embed } : embed,
  );
}

/** Assigns numeric component `id`s depth-first where missing, as Discord does. */
export function normalizeComponents(components: unknown[] | undefined): unknown[] {
  let next = 1;
  const visit = (component: unknown): unknown => {
    if (!component || typeof component !== 'object') return component;
    const copy: JsonObject = { ...(component as JsonObject) };
    if (typeof copy.id !== 'number') copy.id = next;
    next = Math.max(next, Number(copy.id)) + 1;
    if (Array.isArray(copy.components)) copy.components = copy.components.map(visit);
    if (copy.component) copy.component = visit(copy.component);
    if (copy.accessory) copy.accessory = visit(copy.accessory);
    return copy;
  };
  return (components ?? []).map(visit);
}

/** Builds a complete message object (with mentions resolved and filtered by `allowed_mentions`). */
export function buildMessage(store: DiscordStore, input: BuildMessageInput): StoredMessage {
  const id = input.id ?? store.nextId();
  const content = input.content ?? '';
  const guild = input.channel.guildId ? store.guilds.get(input.channel.guildId) : undefined;
  const allowed = input.allowedMentions;
  const parse = new Set(allowed ? (allowed.parse ?? []) : ['users', 'roles', 'everyone']);

  const userIds = unique([...content.matchAll(USER_MENTION)].map((m) => m[1] ?? '')).filter(
    (userId) => store.users.has(userId) && (parse.has('users') || (allowed?.users ?? []).includes(userId)),
  );
  const repliedAuthor = input.referencedMessage?.author.id;
  const pingReplied = allowed ? allowed.replied_user === true : true;
  if (repliedAuthor && pingReplied && !userIds.includes(repliedAuthor)) userIds.push(repliedAuthor);
  const roleIds = unique([...content.matchAll(ROLE_MENTION)].map((m) => m[1] ?? '')).filter(
    (roleId) =>
      guild?.roles.has(roleId) === true && (parse.has('roles') || (allowed?.roles ?? []).includes(roleId)),
  );
  const mentionEveryone = /@(everyone|here)\b/.test(content) && parse.has('everyone');

  const mentions = userIds.map((userId) => {
    const user = userObject(store.user(userId));
    const member = guild?.members.get(userId);
    return member ? { ...user, member: memberObjectNoUser(member) } : user;
  });

  const message: JsonObject = {
    id,
    type: input.type ?? (input.messageReference ? 19 : 0),
    content,
    channel_id: input.channel.id,
    author: userObject(input.author),
    attachments: input.attachments ?? [],
    embeds: normalizeEmbeds(input.embeds),
    mentions,
    mention_roles: roleIds,
    mention_everyone: mentionEveryone,
    pinned: false,
    tts: input.tts ?? false,
    timestamp: new Date(snowflakeTime(id)).toISOString(),
    edited_timestamp: null,
    flags: input.flags ?? 0,
    components: normalizeComponents(input.components),
  };
  if (input.channel.guildId) message.guild_id = input.channel.guildId;
  if (input.nonce !== undefined) message.nonce = input.nonce;
  if (input.webhookId) message.webhook_id = input.webhookId;
  if (input.applicationId) message.application_id = input.applicationId;
  if (input.interactionMetadata) message.interaction_metadata = input.interactionMetadata;
  if (input.messageReference) {
    message.message_reference = input.messageReference;
    message.referenced_message = input.referencedMessage ?? null;
  }
  return message as unknown as StoredMessage;
}

/** The MESSAGE_CREATE / MESSAGE_UPDATE `d` for a stored message (adds `member` and `channel_type`). */
export function messageEventData(store: DiscordStore, message: StoredMessage): JsonObject {
  const channel = store.channels.get(message.channel_id);
  const data: JsonObject = { ...message };
  if (channel) data.channel_type = channel.type;
  const guildId = channel?.guildId;
  if (guildId) {
    data.guild_id = guildId;
    const member = store.guilds.get(guildId)?.members.get(message.author.id);
    if (member && !message.webhook_id) data.member = memberObjectNoUser(member);
  }
  return data;
}

/** A fake CDN attachment object for an uploaded file. */
export function attachmentObject(
  baseUrl: string,
  channelId: string,
  file: { filename: string; contentType: string; size: number },
  description?: string,
): JsonObject {
  const id = snowflake();
  const url = `${baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
  return {
    id,
    filename: file.filename,
    ...(description ? { description } : {}),
    content_type: file.contentType,
    size: file.size,
    url,
    proxy_url: url,
  };
}
