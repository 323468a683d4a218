import type { Client, GuildMember } from 'discord.js';
import type { PersonFacts } from '../../src/ports/inbound-port.ts';
import { type MemberLike, memberRoles, personOf } from './from-discord.ts';

/**
 * The person behind an interaction with the role ids Heed's access rules need. In a guild the
 * interaction carries the member; in a DM Heed looks the user up in the guilds it serves (a REST member
 * fetch needs no privileged intent), so staff listed by role are still recognised there.
 */
export async function resolvePerson(
  client: Client,
  userId: string,
  member: MemberLike | null,
  guildId: string | null,
  name?: string | undefined,
): Promise<PersonFacts> {
  if (member) return personOf(userId, memberRoles(member, guildId), name);
  const roles: string[] = [];
  for (const guild of client.guilds.cache.values()) {
    const found: GuildMember | undefined =
      guild.members.cache.get(userId) ?? (await guild.members.fetch(userId).catch(() => undefined));
    if (found) roles.push(...(memberRoles(found, guild.id) ?? []));
  }
  return personOf(userId, roles, name);
}
