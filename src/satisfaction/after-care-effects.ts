import { ratingButtons } from '../actions/rate.ts';
import { refreshCard, safely } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { templateValues } from '../core/presenter.ts';
import { renderTemplate } from '../core/templates.ts';
import type { Issue } from '../domain/issue.ts';
import type { PlannedAfterCare } from './after-care.ts';
import { ratingOf } from './rating.ts';

/**
 * Sends what an after-care step owes once the scheduler has stored it as fired (so it is never sent
 * twice; a platform failure is logged, not retried): the follow-up check-in goes to the customer's
 * thread, with the rating buttons while the issue is not rated; a close updates the team card.
 */
export async function carryOutAfterCare(
  core: Pick<Core, 'config' | 'chat' | 'logger'>,
  issue: Issue,
  step: PlannedAfterCare,
): Promise<void> {
  if (step.kind === 'close') {
    await refreshCard(core, issue);
    return;
  }
  const followUp = core.config.followUp;
  if (!followUp) return;
  await safely(core, 'follow-up', () =>
    core.chat.reply(issue.conversation, {
      text: renderTemplate(followUp.message, templateValues(core.config, issue)),
      ...(ratingOf(issue) ? {} : { actions: ratingButtons(issue) }),
    }),
  );
}
