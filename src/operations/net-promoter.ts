import { npsButtons } from '../actions/nps.ts';
import { safely } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { CommandReply, PersonFacts } from '../ports/inbound-port.ts';
import { answerNps, askedEvent, npsDue, npsGroup } from '../satisfaction/net-promoter.ts';
import { operate } from './operate.ts';
import { startRecovery } from './rate.ts';

const RESOLVED: ReadonlySet<string> = new Set(['resolved', 'closed']);

/**
 * After a resolution: asks the customer the NPS question in their thread when they are due it (see
 * `npsDue`), remembering the time on their profile and the ask on the issue. Never in the way of the
 * resolution: a failure is logged.
 */
export async function askNpsIfDue(core: Core, issue: Issue): Promise<void> {
  const nps = core.config.nps;
  if (!nps) return;
  try {
    const customer = { platform: issue.customer.platform, id: issue.customer.id };
    const profile = await core.customers.find(customer);
    const ids = profile?.issues.map((i) => i.id) ?? [issue.id];
    const issues = await core.issues.getMany([...new Set([...ids, issue.id])]);
    const resolvedIssues = issues.filter((i) => i && (RESOLVED.has(i.status) || i.id === issue.id)).length;
    const now = core.clock.now();
    if (!npsDue(nps, { resolvedIssues, lastAskedAt: profile?.npsAskedAt }, now)) return;
    await core.customers.repository.setDetails(customer, now, { npsAskedAt: now });
    const saved = await core.issues.update(issue.id, (current) => ({
      ok: true,
      issue: { ...current, updatedAt: now },
      events: [askedEvent()],
    }));
    if (!('issue' in saved)) return;
    await safely(core, 'NPS question', () =>
      core.chat.reply(saved.issue.conversation, {
        text: rich`${bold(nps.question)} (0 = not at all likely, 10 = extremely likely)`,
        actions: npsButtons(saved.issue),
      }),
    );
    core.logger.info({ issue: issue.number }, 'asked the customer the NPS question');
  } catch (error) {
    core.logger.warn({ err: error, issue: issue.number }, 'could not ask the NPS question');
  }
}

/** The customer answered 0–10 (maybe with a comment): recorded once; a detractor starts a recovery. */
export async function answerNpsOf(
  core: Core,
  issue: Issue,
  person: PersonFacts,
  score: number,
  comment: string | undefined,
): Promise<CommandReply> {
  const result = await operate(
    core,
    issue,
    person,
    (current, actor, now) => answerNps(current, actor.user, score, comment, now),
    async ({ issue: answered }) => {
      core.logger.info({ issue: answered.number, score }, 'customer answered NPS');
      const group = npsGroup(score);
      if (group === 'detractor')
        await startRecovery(core, answered, comment, `answered ${score} of 10 on NPS`);
      return group === 'promoter'
        ? rich`Thank you! We are glad to hear it.`
        : rich`Thank you for telling us${group === 'detractor' ? `; a team lead will look at ${issueRef(answered)}` : ''}.`;
    },
    { logged: false, updatesCard: false },
  );
  return { visibility: 'ephemeral', text: result.reply };
}
