/** What a person may do, per team. Built by `core/access-resolver.ts` from the config. */
export interface Access {
  readonly staffOf: ReadonlySet<string>;
  readonly managerOf: ReadonlySet<string>;
}

export const NO_ACCESS: Access = { staffOf: new Set(), managerOf: new Set() };

export function isStaffOf(access: Access, team: string): boolean {
  return access.staffOf.has(team) || access.managerOf.has(team);
}

export function isManagerOf(access: Access, team: string): boolean {
  return access.managerOf.has(team);
}

export function isAnyStaff(access: Access): boolean {
  return access.staffOf.size > 0 || access.managerOf.size > 0;
}
