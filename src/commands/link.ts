import { z } from 'zod';
import { profileName, profileTally } from '../customers/customer-view.ts';
import { identityKey } from '../customers/identity.ts';
import { sameUser } from '../domain/refs.ts';
import { code, customerText, rich } from '../messages/rich-text.ts';
import { args, defineCommand } from './command.ts';
import { refuseTeammate } from './customer-target.ts';

export const linkCommand = defineCommand({
  name: 'link',
  summary: 'Join two identities of one customer (Slack, Discord) into one profile, with notes and history.',
  access: 'staff',
  args: [
    {
      name: 'user-a',
      kind: 'identity',
      description: 'One identity: @mention, slack:U0123ABC or discord:1234…',
    },
    {
      name: 'user-b',
      kind: 'identity',
      description: 'The same person elsewhere: slack:U0123ABC or discord:1234…',
    },
  ],
  schema: z.object({
    'user-a': args.identity('the first identity, e.g. @dana or slack:U0123ABC'),
    'user-b': args.identity('the other identity, e.g. discord:123456789012345678'),
  }),
  async run({ core, person }, { 'user-a': first, 'user-b': second }) {
    if (sameUser(first, second)) {
      return {
        visibility: 'ephemeral',
        text: rich`Those are the same identity. Name two: for example ${code('/heed link @dana discord:123456789012345678')}.`,
      };
    }
    const refused = refuseTeammate(core, first, 'linking') ?? refuseTeammate(core, second, 'linking');
    if (refused) return refused;
    const outcome = await core.customers.repository.link(
      first,
      second,
      { platform: person.platform, id: person.id },
      core.clock.now(),
    );
    const pair = rich`${code(identityKey(first))} and ${code(identityKey(second))}`;
    const who = customerText(profileName(outcome.profile));
    if (outcome.kind === 'already-linked') {
      return { visibility: 'ephemeral', text: rich`${pair} are already one profile (${who}).` };
    }
    return {
      visibility: 'ephemeral',
      text: rich`Linked ${pair}: one profile for ${who} now (${profileTally(outcome.profile)}).`,
    };
  },
});
