import { z } from 'zod';
import { parseAmount } from '../customers/amount.ts';
import { valueLabel } from '../customers/customer-value.ts';
import { describeProfile } from '../customers/customer-view.ts';
import { identityKey } from '../customers/identity.ts';
import { bold, code, rich } from '../messages/rich-text.ts';
import { args, defineCommand } from './command.ts';

/** How many of the newest issues are read for the profile view. */
const RECENT_ISSUES = 5;

export const customerCommand = defineCommand({
  name: 'customer',
  summary:
    "Show a customer's profile (organisation, tier, value, identities, notes, recent issues, last rating), or set their value.",
  access: 'staff',
  args: [
    {
      name: 'user',
      kind: 'identity',
      description: 'The customer: @mention, slack:U0123ABC or discord:123456789012345678',
    },
    {
      name: 'field',
      kind: 'word',
      label: 'value',
      description: 'value, to set what the customer is worth',
      optional: true,
      choices: ['value'],
    },
    {
      name: 'amount',
      kind: 'word',
      label: '12000|12k|clear',
      description: 'The value, e.g. 12000 or 12k (clear removes it)',
      optional: true,
    },
  ],
  schema: z.object({
    user: args.identity('the customer, e.g. @dana or discord:123456789012345678'),
    field: z.enum(['value']).optional(),
    amount: z.string().trim().min(1).max(30).optional(),
  }),
  async run({ core, person }, { user, field, amount }) {
    if (field === 'value' || amount !== undefined) {
      if (amount === undefined) {
        return {
          visibility: 'ephemeral',
          text: rich`Say the value: ${code('/heed customer @user value 12000')} (or ${code('clear')}).`,
        };
      }
      const cleared = /^(clear|none|-)$/i.test(amount);
      const value = cleared ? undefined : parseAmount(amount);
      if (!cleared && value === undefined) {
        return {
          visibility: 'ephemeral',
          text: rich`"${amount}" is not an amount; write it like ${code('12000')}, ${code('12,000')}, ${code('12k')} or ${code('1.5M')} (or ${code('clear')}).`,
        };
      }
      const before = await core.customers.find(user);
      const profile = await core.customers.setValue(user, value, core.clock.now());
      core.logger.info(
        { customer: profile.id, by: `${person.platform}:${person.id}`, value: value ?? null },
        'customer value set',
      );
      const was = before?.value !== undefined ? ` (was ${valueLabel(before.value)})` : '';
      return {
        visibility: 'ephemeral',
        text:
          value === undefined
            ? rich`${code(identityKey(user))} has no value of their own now${was}; their tier's applies, if any.`
            : rich`${code(identityKey(user))} is now worth ${bold(valueLabel(value)!)}${was}. New issues show it on the card, and routing and SLA rules with ${code('value: { atLeast }')} use it.`,
      };
    }
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
