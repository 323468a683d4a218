import type { JsonObject } from './objects.ts';

/** Gateway intent bits used by the emulator. */
export const Intent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  GuildMessageReactions: 1 << 10,
  DirectMessages: 1 << 12,
  DirectMessageReactions: 1 << 13,
  MessageContent: 1 << 15,
} as const;

const GUILD_EVENTS = new Set([
  'GUILD_CREATE',
  'GUILD_UPDATE',
  'GUILD_DELETE',
  'GUILD_ROLE_CREATE',
  'GUILD_ROLE_UPDATE',
  'GUILD_ROLE_DELETE',
  'CHANNEL_CREATE',
  'CHANNEL_UPDATE',
  'CHANNEL_DELETE',
  'THREAD_CREATE',
  'THREAD_UPDATE',
  'THREAD_DELETE',
  'THREAD_LIST_SYNC',
  'THREAD_MEMBER_UPDATE',
]);
const MEMBER_EVENTS = new Set([
  'GUILD_MEMBER_ADD',
  'GUILD_MEMBER_UPDATE',
  'GUILD_MEMBER_REMOVE',
  'THREAD_MEMBERS_UPDATE',
]);
const MESSAGE_EVENTS = new Set(['MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_DELETE', 'MESSAGE_DELETE_BULK']);
const REACTION_EVENTS = new Set([
  'MESSAGE_REACTION_ADD',
  'MESSAGE_REACTION_REMOVE',
  'MESSAGE_REACTION_REMOVE_ALL',
  'MESSAGE_REACTION_REMOVE_EMOJI',
]);

function has(intents: number, bit: number): boolean {
  return (intents & bit) !== 0;
}

function mentionsUser(d: JsonObject, userId: string): boolean {
  return Array.isArray(d.mentions) && d.mentions.some((u) => (u as JsonObject | null)?.id === userId);
}

/**
 * Applies Discord's intent rules to one dispatch for a session: returns the data to send (content
 * blanked without the Message Content intent) or null when the session's intents exclude the event.
 */
export function applyIntents(t: string, d: unknown, intents: number, botId: string): unknown {
  if (GUILD_EVENTS.has(t)) return has(intents, Intent.Guilds) ? d : null;
  if (MEMBER_EVENTS.has(t)) return has(intents, Intent.GuildMembers) ? d : null;
  const data = (d ?? {}) as JsonObject;
  const inGuild = typeof data.guild_id === 'string';
  if (REACTION_EVENTS.has(t)) {
    return has(intents, inGuild ? Intent.GuildMessageReactions : Intent.DirectMessageReactions) ? d : null;
  }
  if (!MESSAGE_EVENTS.has(t)) return d;
  if (!has(intents, inGuild ? Intent.GuildMessages : Intent.DirectMessages)) return null;
  if (t === 'MESSAGE_DELETE' || t === 'MESSAGE_DELETE_BULK') return d;
  if (contentNeedsIntent(data, botId) && !has(intents, Intent.MessageContent)) return withoutContent(data);
  return d;
}

/**
 * Whether reading this message's content needs the Message Content intent: everything except the
 * app's own messages, DMs and messages that mention the app (Discord's gateway docs), over the gateway
 * and REST alike.
 */
export function contentNeedsIntent(message: JsonObject, botId: string): boolean {
  const author = message.author as JsonObject | undefined;
  return typeof message.guild_id === 'string' && author?.id !== botId && !mentionsUser(message, botId);
}

/** A message as an app without the Message Content intent sees it: content fields empty. */
export function withoutContent(message: JsonObject): JsonObject {
  return { ...message, content: '', embeds: [], attachments: [], components: [] };
}

/** The privileged intents requested but not enabled; empty when identify may proceed. */
export function disallowedIntents(
  intents: number,
  enabled: { guildMembers?: boolean; guildPresences?: boolean; messageContent?: boolean },
): number[] {
  const denied: number[] = [];
  if (has(intents, Intent.GuildMembers) && enabled.guildMembers === false) denied.push(Intent.GuildMembers);
  if (has(intents, Intent.GuildPresences) && enabled.guildPresences === false)
    denied.push(Intent.GuildPresences);
  if (has(intents, Intent.MessageContent) && enabled.messageContent === false)
    denied.push(Intent.MessageContent);
  return denied;
}
