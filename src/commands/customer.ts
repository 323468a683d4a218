import { z } from 'zod';
import { describeProfile } from '../customers/customer-view.ts';
import { identityKey } from '../customers/identity.ts';
import { code, rich } from '../messages/rich-text.ts';
import { args, defineCommand } from './command.ts';

/** How many of the newest issues are read for the profile view. */
const RECENT_ISSUES = 5;

export const customerCommand = defineCommand({
  name: 'customer',
  summary: "Show a customer's profile: organisation, tier, identities, notes, recent issues, last rating.",
  access: 'staff',
  args: [
    {
      name: 'user',
      kind: 'identity',
      description: 'The customer: @mention, slack:U0123ABC or discord:123456789012345678',
    },
  ],
  schema: z.object({ user: args.identity('the customer, e.g. @dana or discord:123456789012345678') }),
  async run({ core }, { user }) {
    const profile = await core.customers.find(user);
    if (!profile) {
      return {
        visibility: 'ephemeral',
        text: rich`I have no profile for ${code(identityKey(user))} yet. Heed starts one when someone writes in a customer channel, or when you add a note with ${code('/heed note @user <text>')}.`,
      };
    }
    const recent = await core.customers.recentIssues(profile, RECENT_ISSUES);
    const rating = await core.customers.lastRating(profile);
    return { visibility: 'ephemeral', text: describeProfile(profile, recent, rating, core.clock.now()) };
  },
});
