import type { Core } from '../core/core.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { type OperationResult, operate } from './operate.ts';

/**
 * A staff reply sent through Heed (`reply` command): relayed to the customer's thread, signed with a
 * mention on the same platform, else with the team's name.
 */
export function respond(
  core: Core,
  issue: Issue,
  person: PersonFacts,
  message: string,
): Promise<OperationResult> {
  return operate(
    core,
    issue,
    person,
    (i, a, now) => lifecycle.respond(i, a, now, 'command', undefined, message),
    async ({ issue: i }) => {
      const author =
        person.platform === i.conversation.platform
          ? rich`${{ t: 'mention', user: { platform: person.platform, id: person.id } }}`
          : rich`${core.config.teams.find((t) => t.id === i.team)?.name ?? 'Support'}`;
      await core.chat.reply(i.conversation, { text: rich`${author}: ${{ t: 'customer', v: message }}` });
      return rich`Sent to the customer on ${bold(issueRef(i))}.`;
    },
  );
}
