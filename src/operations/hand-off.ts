import { safely } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { accessOf } from '../core/people.ts';
import { customerLabel } from '../core/presenter.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import type { UserRef } from '../domain/refs.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { type OperationResult, operate } from './operate.ts';

/** The issue passes to another staff member, who is told why by DM. */
export function handOff(
  core: Core,
  issue: Issue,
  person: PersonFacts,
  target: PersonFacts,
  reason: string,
): Promise<OperationResult> {
  const targetRef: UserRef = { platform: target.platform, id: target.id };
  return operate(
    core,
    issue,
    person,
    (i, a, now) => lifecycle.handOff(i, a, targetRef, accessOf(core.config, target), reason, now),
    async ({ issue: i }) => {
      await safely(core, 'hand-off DM', () =>
        core.chat.dm(targetRef, {
          text: rich`${{ t: 'mention', user: { platform: person.platform, id: person.id } }} handed you ${bold(issueRef(i))} from ${customerLabel(i)}: ${reason}`,
        }),
      );
      return rich`Handed ${bold(issueRef(i))} to ${targetRef}.`;
    },
  );
}
