import type { CommandReply } from '../commands/command.ts';
import type { PersonFacts } from '../core/access-resolver.ts';
import type { Heed } from '../core/heed.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import { bold, type Rich, rich } from '../messages/rich-text.ts';
import { rate, type Score } from './rating.ts';
import { recoveryNotice, teamLeads } from './recovery.ts';

function thanks(issue: Issue, score: Score): Rich {
  return score === 'up'
    ? rich`Thanks for the 👍! We are glad ${bold(issueRef(issue))} is sorted.`
    : rich`Thanks for telling us. A team lead will look at ${bold(issueRef(issue))} and get back to you.`;
}

/** Hands a 👎 to the team leads: a DM to every manager of the team and a post in the team channel. */
async function startRecovery(heed: Heed, issue: Issue, comment: string | undefined): Promise<void> {
  const customer = heed.customerLabel(issue);
  for (const manager of teamLeads(heed.config, issue)) {
    await heed.safely('recovery DM', () =>
      heed.chat.dm(manager, {
        text: recoveryNotice({ issue, customer, comment, platform: manager.platform }),
      }),
    );
  }
  const channel = heed.cardChannel(issue);
  if (channel) {
    await heed.safely('recovery post', () =>
      heed.chat.post(channel, {
        text: recoveryNotice({ issue, customer, comment, platform: channel.platform }),
      }),
    );
  }
}

/**
 * The customer pressed 👍 or 👎 (and maybe left a comment): records the rating on the freshest issue,
 * refuses anyone but the customer and a second rating politely (logged), starts the recovery task on a
 * 👎, and answers the customer with a short, private thank-you.
 */
export async function rateIssue(
  heed: Heed,
  issue: Issue,
  person: PersonFacts,
  score: Score,
  comment?: string,
): Promise<CommandReply> {
  const now = heed.now();
  const user = { platform: person.platform, id: person.id };
  const saved = await heed.issues.update(issue.id, (current) => rate(current, user, score, comment, now));
  if (!('issue' in saved)) {
    heed.logger.info(
      { issue: issue.number, code: saved.code, platform: person.platform, user: person.id },
      'rating refused',
    );
    return { visibility: 'ephemeral', text: saved.message };
  }
  heed.logger.info({ issue: saved.issue.number, score }, 'customer rated the resolution');
  if (score === 'down') await startRecovery(heed, saved.issue, comment);
  return { visibility: 'ephemeral', text: thanks(saved.issue, score) };
}
