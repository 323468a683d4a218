import { npsButtons } from '../actions/nps.ts';
import type { Core } from '../core/core.ts';
import type { OutboxDraft } from '../core/outbox.ts';
import type { CustomerProfile } from '../customers/profile.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import { rich } from '../messages/rich-text.ts';
import type { CommandReply, PersonFacts } from '../ports/inbound-port.ts';
import {
  answerNps,
  askedEvent,
  NPS_QUIET_MS,
  npsDue,
  npsGroup,
  npsQuestion,
} from '../satisfaction/net-promoter.ts';
import { operate } from './operate.ts';
import { startRecovery } from './rate.ts';

const RESOLVED: ReadonlySet<string> = new Set(['resolved', 'closed']);

/** How many of the customer's issues (all their linked identities) are resolved or closed, this one included. */
async function resolvedCount(
  core: Core,
  issue: Issue,
  profile: CustomerProfile | undefined,
): Promise<number> {
  const ids = new Set([...(profile?.issues.map((i) => i.id) ?? []), issue.id]);
  const issues = await core.issues.getMany([...ids]);
  // Issues past the profile's list (500) are only counted; they are long done.
  const older = profile?.olderIssues ?? 0;
  return older + issues.filter((i) => i && (RESOLVED.has(i.status) || i.id === issue.id)).length;
}

/** The NPS question for the customer's thread, recorded in the outbox with the issue's `nps-asked`. */
function questionDraft(issue: Issue, question: string, at: number): OutboxDraft {
  return {
    key: `nps:${at}`,
    kind: 'nps',
    group: `nps:${issue.id}:${at}`,
    target: { kind: 'reply', conversation: issue.conversation },
    message: { text: npsQuestion(question), actions: npsButtons(issue) },
  };
}

/**
 * After a resolution: asks the customer the NPS question in their thread, as its own message right after
 * the resolution's (which asks 👍/👎 about this issue), when they are due it (see `npsDue`). One change
 * stores the three together: the profile's mark of when (decided under the profile's lock, so a linked
 * customer resolved on two platforms at once is asked once), the issue's `nps-asked` and the question in
 * the outbox. A crash leaves either all three or none (then the next resolution asks), and a refused
 * send leaves the question owed for a later pass. Never in the way of the resolution: a failure is
 * logged.
 */
export async function askNpsIfDue(core: Core, issue: Issue): Promise<void> {
  const nps = core.config.nps;
  if (!nps) return;
  try {
    const customer = { platform: issue.customer.platform, id: issue.customer.id };
    const profile = await core.customers.find(customer);
    const now = core.clock.now();
    // Counting issues reads them all: not while the customer's quiet time runs (most resolutions).
    const last = profile?.npsAskedAt;
    if (last !== undefined && now - last < NPS_QUIET_MS) return;
    const resolvedIssues = 'resolvedIssues' in nps.after ? await resolvedCount(core, issue, profile) : 0;
    // Under the profile's lock, decided on its freshest state; the mark commits with the question.
    const saved = await core.customers.repository.withChange(
      customer,
      now,
      (current) => ({ ...current, npsAskedAt: now }),
      async (pending) => {
        if (!npsDue(nps, { resolvedIssues, lastAskedAt: pending.before?.npsAskedAt }, now)) return undefined;
        return core.issues.update(
          issue.id,
          (current) => ({
            ok: true,
            issue: { ...current, updatedAt: now },
            events: [askedEvent()],
            outbox: { at: now, drafts: [questionDraft(current, nps.question, now)] },
          }),
          async (trx) => {
            await pending.write(trx);
          },
        );
      },
    );
    if (!saved || !('issue' in saved)) return;
    // Refused by the platform, it stays owed and the next outbox pass sends it.
    if ((await core.outbox.send(saved.outbox ?? [], now, false)) > 0)
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
