import { ratingButtons } from '../actions/rate.ts';
import { safely } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { templateValues } from '../core/presenter.ts';
import { renderTemplate } from '../core/templates.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { ratingOf } from '../satisfaction/rating.ts';
import { formatDuration } from '../sla/duration.ts';
import { askNpsIfDue } from './net-promoter.ts';
import { type OperationResult, operate } from './operate.ts';

/** Resolves the issue and tells the customer, asking for a rating if they have not given one. */
export function resolve(
  core: Core,
  issue: Issue,
  person: PersonFacts,
  summary: string,
): Promise<OperationResult> {
  return operate(
    core,
    issue,
    person,
    (i, a, now) => lifecycle.resolve(i, a, summary, now),
    async ({ issue: i }) => {
      await safely(core, 'resolution notice', () =>
        core.chat.reply(i.conversation, {
          text: renderTemplate(core.config.templates.resolution, templateValues(core.config, i, { summary })),
          // The customer rates each issue once; a resolution after a reopen asks only if not yet rated.
          ...(ratingOf(i) ? {} : { actions: ratingButtons(i) }),
        }),
      );
      await askNpsIfDue(core, i);
      return rich`Resolved ${bold(issueRef(i))}. The customer can reply within ${formatDuration(core.config.reopenWindow)} to reopen it.`;
    },
  );
}
