import type { Core } from '../core/core.ts';
import { accessOf } from '../core/people.ts';
import { identityKey } from '../customers/identity.ts';
import { isAnyStaff } from '../domain/access.ts';
import type { UserRef } from '../domain/refs.ts';
import { code, rich } from '../messages/rich-text.ts';
import type { CommandReply } from '../ports/inbound-port.ts';

/**
 * A refusal when `user` is on a support team: profiles, customer notes and links are for customers,
 * and a teammate named by mistake (`/heed note @sam …` inside a thread) should not get a profile.
 */
export function refuseTeammate(
  core: Pick<Core, 'config'>,
  user: UserRef,
  what: string,
): CommandReply | undefined {
  if (!isAnyStaff(accessOf(core.config, user))) return undefined;
  const hint = what.includes('note')
    ? rich` To note on an issue, start with its reference: ${code('/heed note #42 <text>')}.`
    : rich``;
  return {
    visibility: 'ephemeral',
    text: rich`${code(identityKey(user))} is on the support team; ${what} is for customers.${hint}`,
  };
}
