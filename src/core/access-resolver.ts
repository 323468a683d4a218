import type { HeedConfig } from '../config/schema.ts';
import type { Access } from '../domain/access.ts';
import type { Platform } from '../domain/refs.ts';
import { OnCallRoster } from '../oncall/on-call-roster.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';

function listed(list: readonly string[], person: PersonFacts): boolean {
  return list.includes(person.id) || (person.roles ?? []).some((role) => list.includes(role));
}

/** Which teams a person is staff or manager of, from the config (Discord lists may name roles). */
export function resolveAccess(config: HeedConfig, person: PersonFacts): Access {
  const staffOf = new Set<string>();
  const managerOf = new Set<string>();
  for (const team of config.teams) {
    if (listed(team.managers[person.platform], person)) managerOf.add(team.id);
    if (listed(team.staff[person.platform], person)) staffOf.add(team.id);
    // Everyone the team's on-call schedule names works the team's issues.
    if (scheduledPeople(config, team.id, person.platform).includes(person.id)) staffOf.add(team.id);
  }
  return { staffOf, managerOf };
}

/** The people to ping for a team role on a platform. Discord entries may be role ids (returned as-is). */
export function teamPeople(
  config: HeedConfig,
  teamId: string,
  platform: Platform,
  role: 'staff' | 'managers',
): string[] {
  const team = config.teams.find((t) => t.id === teamId);
  return team ? [...team[role][platform]] : [];
}

const rosters = new WeakMap<HeedConfig, OnCallRoster>();

/** Everyone the team's on-call schedule (or fixed on-call person) names on the platform. */
export function scheduledPeople(config: HeedConfig, teamId: string, platform: Platform): string[] {
  let roster = rosters.get(config);
  if (!roster) {
    roster = new OnCallRoster(config, []);
    rosters.set(config, roster);
  }
  return roster.people(teamId, platform);
}
