/**
 * Who is looking at the dashboard and what they may see: managers see every team, staff the teams
 * they belong to, anyone else nothing. Worked out again on every request from the config of the moment.
 */
import type { HeedConfig } from '../config/schema.ts';
import { accessOf } from '../core/people.ts';
import { isAnyStaff } from '../domain/access.ts';
import type { UserRef } from '../domain/refs.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';

export interface Viewer {
  readonly person: UserRef;
  readonly name: string;
  /** A manager of at least one team. */
  readonly manager: boolean;
  /** The teams whose issues, people and customers they see, in config order. */
  readonly teams: readonly { readonly id: string; readonly name: string }[];
}

/** The viewer for a signed-in person, or undefined when they are not (or no longer) staff. */
export function viewerOf(config: HeedConfig, person: PersonFacts): Viewer | undefined {
  const access = accessOf(config, person);
  if (!isAnyStaff(access)) return undefined;
  const manager = access.managerOf.size > 0;
  const teams = config.teams
    .filter((team) => manager || access.staffOf.has(team.id) || access.managerOf.has(team.id))
    .map((team) => ({ id: team.id, name: team.name ?? team.id }));
  return {
    person: { platform: person.platform, id: person.id },
    name: person.name ?? `${person.platform}:${person.id}`,
    manager,
    teams,
  };
}

/** Whether the viewer sees the team's issues. */
export function sees(viewer: Viewer, team: string): boolean {
  return viewer.teams.some((t) => t.id === team);
}
