import { safely } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { cardChannel } from '../core/people.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { type OperationResult, operate } from './operate.ts';

/** The owner gives the issue up; the team channel hears it needs a new owner. */
export function release(
  core: Core,
  issue: Issue,
  person: PersonFacts,
  reason?: string,
): Promise<OperationResult> {
  return operate(
    core,
    issue,
    person,
    (i, a, now) => lifecycle.release(i, a, now, reason),
    async ({ issue: i }) => {
      const channel = cardChannel(core.config, i);
      if (channel) {
        await safely(core, 'release notice', () =>
          core.chat.post(channel, { text: rich`${bold(issueRef(i))} was released and needs a new owner.` }),
        );
      }
      return rich`Released ${bold(issueRef(i))}; the team has been told it needs an owner.`;
    },
  );
}
