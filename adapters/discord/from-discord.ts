import { MessageType } from 'discord.js';
import type { ArgSpec } from '../../src/commands/command.ts';
import type { ConversationRef } from '../../src/domain/refs.ts';
import type { InboundMessage, PersonFacts, RawArgs } from '../../src/ports/inbound-port.ts';
import { discordFiles, type WithFiles } from './discord-files.ts';

/** The one chat-input command; every registry command is one of its sub-commands. */
export { ROOT_COMMAND } from '../../src/commands/registry.ts';

/** The parts of a discord.js channel intake and interactions read. */
export interface ChannelLike {
  readonly id: string;
  readonly parentId?: string | null;
  isThread(): boolean;
}

/** A guild member as discord.js caches it (`roles.cache`) or as an interaction carries it (`roles: string[]`). */
export type MemberLike =
  | { readonly displayName?: string; readonly roles: { readonly cache: { keys(): Iterable<string> } } }
  | { readonly roles: readonly string[] };

/** The parts of a discord.js `Message` intake reads. */
export interface MessageLike extends WithFiles {
  readonly id: string;
  readonly content: string;
  readonly createdTimestamp: number;
  readonly type: MessageType;
  readonly system: boolean;
  readonly webhookId: string | null;
  readonly guildId: string | null;
  readonly author: {
    readonly id: string;
    readonly bot: boolean;
    readonly username: string;
    readonly globalName: string | null;
  };
  readonly member: MemberLike | null;
  readonly channel: ChannelLike;
}

export type MessageIntake =
  | { readonly kind: 'message'; readonly message: InboundMessage }
  | { readonly kind: 'ignored'; readonly reason: string };

/** Role ids of a member, without the guild's `@everyone` role (its id is the guild id). */
export function memberRoles(
  member: MemberLike | null | undefined,
  guildId: string | null,
): string[] | undefined {
  if (!member) return undefined;
  const ids = Array.isArray(member.roles)
    ? member.roles
    : [...(member.roles as { cache: { keys(): Iterable<string> } }).cache.keys()];
  return ids.filter((id) => id !== guildId);
}

function displayName(message: MessageLike): string {
  const member = message.member;
  const nick = member && 'displayName' in member ? member.displayName : undefined;
  return nick || message.author.globalName || message.author.username;
}

/**
 * A Discord message as Heed's intake sees it, or why it is ignored: only people's ordinary messages
 * (default or reply type) in a support channel, in a thread under one, or in a post of a support forum.
 * For threads the channel is the parent and `thread` the thread's id (a forum post's starter message
 * has the post's id).
 */
export function fromDiscordMessage(
  message: MessageLike,
  supportChannels: ReadonlySet<string>,
): MessageIntake {
  if (!message.guildId) return { kind: 'ignored', reason: 'direct message' };
  if (message.author.bot || message.webhookId) return { kind: 'ignored', reason: 'bot message' };
  if (message.system || (message.type !== MessageType.Default && message.type !== MessageType.Reply)) {
    return { kind: 'ignored', reason: 'system message' };
  }
  const inThread = message.channel.isThread();
  const channel = inThread ? message.channel.parentId : message.channel.id;
  if (!channel || !supportChannels.has(channel)) return { kind: 'ignored', reason: 'not a support channel' };
  const files = discordFiles(message);
  return {
    kind: 'message',
    message: {
      platform: 'discord',
      channel,
      ...(inThread ? { thread: message.channel.id } : {}),
      messageId: message.id,
      text: message.content,
      ...(files.length > 0 ? { files } : {}),
      at: message.createdTimestamp,
      author: {
        id: message.author.id,
        name: displayName(message),
        roles: memberRoles(message.member, message.guildId) ?? [],
        isBot: message.author.bot || message.system,
      },
    },
  };
}

/** The person behind an interaction; roles come from the member (absent in DMs). */
export function personOf(
  userId: string,
  roles: readonly string[] | undefined,
  name?: string | undefined,
): PersonFacts {
  return { platform: 'discord', id: userId, ...(roles ? { roles } : {}), ...(name ? { name } : {}) };
}

/** Where an interaction happened: a thread counts as a conversation under its parent channel. */
export function conversationOf(
  channelId: string | null,
  channel: ChannelLike | null,
): ConversationRef | undefined {
  if (!channelId) return undefined;
  if (channel?.isThread() && channel.parentId) {
    return { platform: 'discord', channel: channel.parentId, thread: channelId };
  }
  return { platform: 'discord', channel: channelId };
}

/** One filled-in option as discord.js resolves it. */
export interface OptionLike {
  readonly value?: string | number | boolean | undefined;
  readonly user?: { readonly id: string } | null | undefined;
  readonly member?: MemberLike | null | undefined;
}

/** Sub-command options by name (discord.js `interaction.options.get`). */
export interface OptionsLike {
  get(name: string): OptionLike | null;
}

/**
 * The options of a `/heed <sub-command>` as the named arguments `runCommand` validates: user options
 * become `{ platform: 'discord', id, roles }`, everything else its string value; missing ones are left out.
 */
export function commandOptions(
  args: readonly ArgSpec[],
  options: OptionsLike,
  guildId: string | null,
): RawArgs {
  const raw: RawArgs = {};
  for (const arg of args) {
    const option = options.get(arg.name);
    if (!option) continue;
    if (arg.kind === 'user') {
      const id = option.user?.id ?? (option.value === undefined ? undefined : String(option.value));
      if (!id) continue;
      const roles = memberRoles(option.member, guildId);
      raw[arg.name] = { platform: 'discord', id, ...(roles ? { roles } : {}) };
    } else if (option.value !== undefined) {
      raw[arg.name] = String(option.value);
    }
  }
  return raw;
}
