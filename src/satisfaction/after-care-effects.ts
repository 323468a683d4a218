import { ratingButtons } from '../actions/rate.ts';
import type { HeedConfig } from '../config/schema.ts';
import { DEFAULT_STALE_MESSAGE } from '../config/schema.ts';
import { refreshCard, safely } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import type { OutboxDraft } from '../core/outbox.ts';
import { templateValues } from '../core/presenter.ts';
import { renderTemplate } from '../core/templates.ts';
import type { Issue } from '../domain/issue.ts';
import { rich } from '../messages/rich-text.ts';
import { formatDuration } from '../sla/duration.ts';
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
  // A nudge went out through the outbox with the change that fired it.
  if (step.kind === 'nudge') return;
  if (step.kind === 'close' || step.kind === 'stale-close') {
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

/**
 * The nudge to a silent customer, as an outbox entry recorded with the change that fires it: sent at
 * least once (late after downtime), never after the issue moved on (the step is planned only while the
 * issue waits, and the change is refused once it does not).
 */
export function nudgeDraft(
  config: HeedConfig,
  issue: Issue,
  step: PlannedAfterCare,
  now: number,
): OutboxDraft {
  const closeAt = issue.sla.stale?.closeAt ?? now;
  const message = config.stale?.message ?? DEFAULT_STALE_MESSAGE;
  return {
    key: `nudge:${step.id}`,
    kind: 'nudge',
    group: `nudge:${issue.id}`,
    target: { kind: 'reply', conversation: issue.conversation },
    message: {
      text: renderTemplate(
        message,
        templateValues(config, issue, { close_in: rich`${formatDuration(Math.max(closeAt - now, 60_000))}` }),
      ),
    },
  };
}
