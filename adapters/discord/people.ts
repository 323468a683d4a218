import { type Client, DiscordAPIError, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { PersonFacts } from '../../src/ports/inbound-port.ts';
import { safeDiscordError } from './errors.ts';
import { type MemberLike, memberRoles, personOf } from './from-discord.ts';

/** Discord's page size for the bot's guilds (`GET /users/@me/guilds`, 1–200). */
const GUILD_PAGE = 200;

/**
 * The person behind an interaction with the role ids Heed's access rules need. In a guild the
 * interaction carries the member; in a DM Heed reads their roles afresh (see {@link currentPerson}), so
 * staff listed by role are still recognised there, and someone whose role was taken away is not.
 */
export async function resolvePerson(
  client: Client,
  userId: string,
  member: MemberLike | null,
  guildId: string | null,
  name?: string | undefined,
): Promise<PersonFacts> {
  if (member) return personOf(userId, memberRoles(member, guildId), name);
  return currentPerson(client, userId, name);
}

/**
 * The person as Discord describes them now: their role ids in every guild the bot is in, read over REST
 * (`GET /guilds/{guild}/members/{user}`; a member fetch needs no privileged intent, and the bot has no
 * member events to keep a cache fresh). Works without a gateway session (the guilds come from
 * `GET /users/@me/guilds` then), so an instance in shared mode that does not hold the gateway answers
 * too. Someone in none of the guilds has no roles. Throws (an error safe to log) when Discord cannot say.
 */
export async function currentPerson(
  client: Client,
  userId: string,
  name?: string | undefined,
): Promise<PersonFacts> {
  const roles: string[] = [];
  for (const guildId of await botGuilds(client)) {
    let member: { roles: string[] };
    try {
      member = (await client.rest.get(Routes.guildMember(guildId, userId))) as { roles: string[] };
    } catch (error) {
      if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownMember) continue;
      throw safeDiscordError(error, 'reading a member’s roles');
    }
    roles.push(...member.roles.filter((id) => id !== guildId));
  }
  return personOf(userId, roles, name);
}

/** The guilds the bot is in: the gateway's list while a session is up, else Discord's over REST. */
async function botGuilds(client: Client): Promise<string[]> {
  if (client.isReady()) return [...client.guilds.cache.keys()];
  const ids: string[] = [];
  for (;;) {
    const query = new URLSearchParams({ limit: String(GUILD_PAGE) });
    if (ids.length > 0) query.set('after', ids.at(-1)!);
    let page: { id: string }[];
    try {
      page = (await client.rest.get(Routes.userGuilds(), { query })) as { id: string }[];
    } catch (error) {
      throw safeDiscordError(error, 'listing the bot’s guilds');
    }
    ids.push(...page.map((guild) => guild.id));
    if (page.length < GUILD_PAGE) return ids;
  }
}
