import { safely } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { cardChannel, managersOf } from '../core/people.ts';
import { customerLabel } from '../core/presenter.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import { bold, type Rich, rich } from '../messages/rich-text.ts';
import type { CommandReply, PersonFacts } from '../ports/inbound-port.ts';
import { rate, type Score } from '../satisfaction/rating.ts';
import { recoveryNotice } from '../satisfaction/recovery.ts';
import { operate } from './operate.ts';

function thanks(issue: Issue, score: Score): Rich {
  return score === 'up'
    ? rich`Thanks for the 👍! We are glad ${bold(issueRef(issue))} is sorted.`
    : rich`Thanks for telling us. A team lead will look at ${bold(issueRef(issue))} and get back to you.`;
}

/**
 * Hands a 👎 (or an NPS detractor, `verdict`) to the team leads: a DM to every manager of the team and a
 * post in the team channel.
 */
export async function startRecovery(
  core: Core,
  issue: Issue,
  comment: string | undefined,
  verdict?: string,
): Promise<void> {
  const customer = customerLabel(issue);
  // The team leads: every manager of the team, on every platform.
  for (const manager of managersOf(core.config, issue)) {
    await safely(core, 'recovery DM', () =>
      core.chat.dm(manager, {
        text: recoveryNotice({ issue, customer, comment, platform: manager.platform, verdict }),
      }),
    );
  }
  const channel = cardChannel(core.config, issue);
  if (channel) {
    await safely(core, 'recovery post', () =>
      core.chat.post(channel, {
        text: recoveryNotice({ issue, customer, comment, platform: channel.platform, verdict }),
      }),
    );
  }
}

/**
 * The customer pressed 👍 or 👎 (and maybe left a comment): records the rating on the freshest issue,
 * refuses anyone but the customer and a second rating politely (logged), starts the recovery task on a
 * 👎, and answers the customer with a short, private thank-you. The card does not show ratings.
 */
export async function rateIssue(
  core: Core,
  issue: Issue,
  person: PersonFacts,
  score: Score,
  comment?: string,
): Promise<CommandReply> {
  const result = await operate(
    core,
    issue,
    person,
    (current, actor, now) => rate(current, actor.user, score, comment, now),
    async ({ issue: rated }) => {
      core.logger.info({ issue: rated.number, score }, 'customer rated the resolution');
      if (score === 'down') await startRecovery(core, rated, comment);
      return thanks(rated, score);
    },
    { logged: false, updatesCard: false },
  );
  if (!result.ok) {
    core.logger.info(
      { issue: issue.number, code: result.code, platform: person.platform, user: person.id },
      'rating refused',
    );
  }
  return { visibility: 'ephemeral', text: result.reply };
}
