import { profileName } from '../customers/customer-view.ts';
import { identityKey } from '../customers/identity.ts';
import type { UserRef } from '../domain/refs.ts';
import { code, customerText, rich } from '../messages/rich-text.ts';
import type { CommandReply } from '../ports/inbound-port.ts';
import type { CommandContext } from './command.ts';
import { refuseTeammate } from './customer-target.ts';

/**
 * `/heed note @user <text>`: a staff note on the customer's profile (created if Heed has not met them
 * yet). It persists across issues: `/heed customer` lists it and their next issues' cards count it.
 */
export async function noteOnCustomer(
  { core, person }: CommandContext,
  customer: UserRef,
  text: string,
): Promise<CommandReply> {
  const refused = refuseTeammate(core, customer, 'a customer note');
  if (refused) return refused;
  const profile = await core.customers.repository.addNote(customer, {
    at: core.clock.now(),
    by: { platform: person.platform, id: person.id },
    text,
  });
  return {
    visibility: 'ephemeral',
    text: rich`Note added to the profile of ${customerText(profileName(profile))} (${code(identityKey(customer))}; staff only). It shows in ${code('/heed customer')} and on their next issues' cards.`,
  };
}
