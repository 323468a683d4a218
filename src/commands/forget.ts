import { z } from 'zod';
import { identityKey } from '../customers/identity.ts';
import { code, customerText, rich } from '../messages/rich-text.ts';
import { type ForgetDeps, findPerson, forgetPerson, type KnownPerson } from '../privacy/forget.ts';
import { args, type CommandContext, defineCommand } from './command.ts';
import { refuseTeammate } from './customer-target.ts';

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

function depsOf({ core }: CommandContext): ForgetDeps {
  return {
    database: core.customers.database,
    issues: core.issues,
    customers: core.customers.repository,
    logger: core.rootLogger.child({ module: 'privacy' }),
  };
}

/** What forgetting the person removes, in a manager's words. */
function whatGoes(person: KnownPerson): string {
  const parts: string[] = [];
  if (person.profile) {
    parts.push(
      `their profile (${plural(person.identities.length, 'identity', 'identities')}, ${plural(person.emails.length, 'e-mail')}, ${plural(person.notes, 'note')})`,
    );
  }
  parts.push(person.names.length > 0 ? 'their name' : 'their id');
  if (person.issues.length > 0) {
    parts.push(
      `the text and files of ${plural(person.messages, 'message')} on ${person.issues.map((i) => `#${i.number}`).join(', ')}`,
    );
  }
  return parts.join(', ');
}

export const forgetCommand = defineCommand({
  name: 'forget',
  summary: 'Forget a customer (managers): profile, notes, name and words go; their issues stay, anonymised.',
  access: 'manager',
  args: [
    {
      name: 'user',
      kind: 'identity',
      description: 'The customer: @mention, slack:U0123ABC or discord:123456789012345678',
    },
    {
      name: 'confirm',
      kind: 'word',
      description: 'confirm, once you have read what will be removed',
      optional: true,
      choices: ['confirm'],
    },
  ],
  schema: z.object({
    user: args.identity('the customer, e.g. @dana or discord:123456789012345678'),
    confirm: z.literal('confirm', { error: 'the only word after the customer is "confirm"' }).optional(),
  }),
  async run(context, { user, confirm }) {
    const { core, person: manager } = context;
    const refused = refuseTeammate(core, user, 'forgetting');
    if (refused) return refused;
    const who = identityKey(user);
    const deps = depsOf(context);
    const person = await findPerson(deps, user);
    if (!person) {
      return {
        visibility: 'ephemeral',
        text: rich`Heed holds nothing about ${code(who)}: no profile, no issues, no name.`,
      };
    }
    const name = person.names[0];
    const named = name ? rich` (${customerText(name)})` : rich``;
    if (!confirm) {
      return {
        visibility: 'ephemeral',
        text: rich`Forgetting ${code(who)}${named} removes ${whatGoes(person)}. Their issues and the ledger stay, anonymised under a pseudonym; messages already posted on the platforms stay there. This cannot be undone.\nTo go ahead: ${code(`/heed forget ${who} confirm`)}`,
      };
    }
    const report = await forgetPerson(deps, person, { platform: manager.platform, id: manager.id });
    const issues =
      report.issues.length > 0
        ? ` Their ${plural(report.issues.length, 'issue')} (${report.issues.map((n) => `#${n}`).join(', ')}) stay as ${report.pseudonym}.`
        : '';
    return {
      visibility: 'ephemeral',
      text: rich`Forgotten: ${code(who)} is no longer in Heed's records.${issues} Logged without their details.`,
    };
  },
});
