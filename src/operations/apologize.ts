import { safely } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { templateValues } from '../core/presenter.ts';
import { renderTemplate } from '../core/templates.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { type OperationResult, operate } from './operate.ts';

/** Posts the apology template to the customer, recorded against the latest breach (and how long after it). */
export function apologize(
  core: Core,
  issue: Issue,
  person: PersonFacts,
  reason: string,
): Promise<OperationResult> {
  return operate(
    core,
    issue,
    person,
    (i, a, now) => {
      const breach = i.sla.breaches.at(-1);
      return lifecycle.apologize(
        i,
        a,
        reason,
        now,
        breach ? { sinceBreachMs: now - breach.at, breach: breach.key } : undefined,
      );
    },
    async ({ issue: i }) => {
      await safely(core, 'apology', () =>
        core.chat.reply(i.conversation, {
          text: renderTemplate(core.config.templates.apology, templateValues(core.config, i, { reason })),
        }),
      );
      return rich`Apology sent to the customer on ${bold(issueRef(i))}.`;
    },
  );
}
