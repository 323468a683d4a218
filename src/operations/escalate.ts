import { safely } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { cardChannel, managersOf } from '../core/people.ts';
import { customerLabel } from '../core/presenter.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { bold, joinRich, rich } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { type OperationResult, operate } from './operate.ts';

/** Hands the issue up: a post in the team channel pinging its managers, and a DM to each of them. */
export function escalate(
  core: Core,
  issue: Issue,
  person: PersonFacts,
  reason: string,
): Promise<OperationResult> {
  return operate(
    core,
    issue,
    person,
    (i, a, now) => lifecycle.escalate(i, a, reason, now),
    async ({ issue: i }) => {
      const managers = managersOf(core.config, i);
      const channel = cardChannel(core.config, i);
      const who = { t: 'mention' as const, user: { platform: person.platform, id: person.id } };
      if (channel) {
        const pings = managers.filter((m) => m.platform === channel.platform);
        await safely(core, 'escalation post', () =>
          core.chat.post(channel, {
            text: rich`⬆️ ${who} escalated ${bold(issueRef(i))} (${customerLabel(i)}): ${reason}${
              pings.length
                ? rich` — ${joinRich(
                    pings.map((m) => rich`${m}`),
                    ' ',
                  )}`
                : ''
            }`,
          }),
        );
      }
      for (const manager of managers) {
        await safely(core, 'escalation DM', () =>
          core.chat.dm(manager, { text: rich`⬆️ ${who} escalated ${bold(issueRef(i))} to you: ${reason}` }),
        );
      }
      return rich`Escalated ${bold(issueRef(i))} to the managers of ${i.team}.`;
    },
  );
}
