import type { HeedConfig } from '../config/schema.ts';
import { renderTemplate } from '../core/templates.ts';
import type { Issue } from '../domain/issue.ts';
import type { Rich } from '../messages/rich-text.ts';
import type { ChatPort } from '../ports/chat-port.ts';
import type { PlannedAfterCare } from './after-care.ts';
import { ratingButtons, ratingOf } from './rating.ts';

/** What carrying out after-care needs of the core. */
export interface AfterCareHost {
  readonly config: Pick<HeedConfig, 'followUp'>;
  readonly chat: Pick<ChatPort, 'reply'>;
  refreshCard(issue: Issue): Promise<void>;
  safely<T>(what: string, effect: () => Promise<T>): Promise<T | undefined>;
  templateValues(issue: Issue): Record<string, string | Rich | undefined>;
}

/**
 * Sends what an after-care step owes once the scheduler has stored it as fired (so it is never sent
 * twice; a platform failure is logged, not retried): the follow-up check-in goes to the customer's
 * thread, with the rating buttons while the issue is not rated; a close updates the team card.
 */
export async function carryOutAfterCare(
  heed: AfterCareHost,
  issue: Issue,
  step: PlannedAfterCare,
): Promise<void> {
  if (step.kind === 'close') {
    await heed.refreshCard(issue);
    return;
  }
  const followUp = heed.config.followUp;
  if (!followUp) return;
  await heed.safely('follow-up', () =>
    heed.chat.reply(issue.conversation, {
      text: renderTemplate(followUp.message, heed.templateValues(issue)),
      ...(ratingOf(issue) ? {} : { actions: ratingButtons(issue) }),
    }),
  );
}
