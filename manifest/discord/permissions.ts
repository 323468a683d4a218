import { OAuth2Scopes, PermissionFlagsBits } from 'discord.js';

/** Every permission Heed's bot needs, and why. Nothing else: no administrator, no Mention Everyone. */
export const HEED_PERMISSIONS = [
  {
    name: 'View Channel',
    flag: PermissionFlagsBits.ViewChannel,
    why: 'see the support, forum and team channels',
  },
  {
    name: 'Send Messages',
    flag: PermissionFlagsBits.SendMessages,
    why: 'post issue cards and SLA alerts in team channels',
  },
  {
    name: 'Send Messages in Threads',
    flag: PermissionFlagsBits.SendMessagesInThreads,
    why: "answer customers in their issue's thread and in forum posts",
  },
  {
    name: 'Create Public Threads',
    flag: PermissionFlagsBits.CreatePublicThreads,
    why: "start each issue's thread from the customer's message",
  },
  {
    name: 'Read Message History',
    flag: PermissionFlagsBits.ReadMessageHistory,
    why: "see messages already in a channel: the customer's message a thread starts from, earlier thread messages, and what customers wrote while Heed was offline",
  },
  { name: 'Embed Links', flag: PermissionFlagsBits.EmbedLinks, why: 'show issue cards, which are embeds' },
] as const;

/** The permission integer for the invite URL. */
export const HEED_PERMISSION_BITS: bigint = HEED_PERMISSIONS.reduce(
  (bits, permission) => bits | permission.flag,
  0n,
);

/** OAuth2 scopes: the bot user, and its slash commands. */
export const HEED_SCOPES = [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands] as const;

/** The URL a server admin opens to add Heed to a server. */
export function inviteUrl(applicationId: string): string {
  const query = new URLSearchParams({
    client_id: applicationId,
    scope: HEED_SCOPES.join(' '),
    permissions: HEED_PERMISSION_BITS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${query.toString()}`;
}
