/** Who an issue concerns: the acting person's access, the team's managers, its card channel, on-call. */
import type { HeedConfig } from '../config/schema.ts';
import type { Access } from '../domain/access.ts';
import type { Issue } from '../domain/issue.ts';
import type { Actor } from '../domain/lifecycle.ts';
import { type ChannelRef, PLATFORMS, type UserRef } from '../domain/refs.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { resolveAccess } from './access-resolver.ts';
import type { Core } from './core.ts';

/** Which teams the person is staff or manager of. */
export function accessOf(config: HeedConfig, person: PersonFacts): Access {
  return resolveAccess(config, person);
}

/** The person as the ledger records them: who, and what they may do. */
export function actorFor(config: HeedConfig, person: PersonFacts): Actor {
  return { user: { platform: person.platform, id: person.id }, access: accessOf(config, person) };
}

/** The managers of the issue's team, on every platform. */
export function managersOf(config: HeedConfig, issue: Pick<Issue, 'team'>): UserRef[] {
  const team = config.teams.find((t) => t.id === issue.team);
  if (!team) return [];
  return PLATFORMS.flatMap((platform) => team.managers[platform].map((id) => ({ platform, id })));
}

/** Where the issue's card goes: the team channel on the customer's platform, else on the first other one. */
export function cardChannel(
  config: HeedConfig,
  issue: Pick<Issue, 'team' | 'conversation'>,
): ChannelRef | undefined {
  const team = config.teams.find((t) => t.id === issue.team);
  if (!team) return undefined;
  const same = team[issue.conversation.platform];
  if (same) return { platform: issue.conversation.platform, channel: same.channel };
  for (const platform of PLATFORMS) {
    const other = team[platform];
    if (other) return { platform, channel: other.channel };
  }
  return undefined;
}

/** Who is on call for the issue's team at `at`, on the platform of its card, if anyone. */
export function onCallFor(
  core: Pick<Core, 'config' | 'onCall'>,
  issue: Pick<Issue, 'team' | 'conversation'>,
  at: number,
): UserRef | undefined {
  const channel = cardChannel(core.config, issue);
  return channel ? core.onCall.roster().current(issue.team, channel.platform, at) : undefined;
}
