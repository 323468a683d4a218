import { operationReply } from '../commands/command.ts';
import type { Core } from '../core/core.ts';
import type { Issue } from '../domain/issue.ts';
import { acknowledge } from '../operations/acknowledge.ts';
import { answerWith } from '../operations/answer.ts';
import { apologize } from '../operations/apologize.ts';
import { claim } from '../operations/claim.ts';
import { escalate } from '../operations/escalate.ts';
import { answerNpsOf } from '../operations/net-promoter.ts';
import type { OperationResult } from '../operations/operate.ts';
import { rateIssue } from '../operations/rate.ts';
import { resolve } from '../operations/resolve.ts';
import { snooze } from '../operations/snooze.ts';
import type { CommandReply, PersonFacts } from '../ports/inbound-port.ts';
import type { IssueOperations } from './action.ts';

const answer = async (result: Promise<OperationResult>): Promise<CommandReply> =>
  operationReply(await result);

/** The staff operations (`src/operations/`) on the pressed issue, for the person who pressed the button. */
export function operationsOn(core: Core, issue: Issue, person: PersonFacts): IssueOperations {
  return {
    claim: () => answer(claim(core, issue, person)),
    acknowledge: () => answer(acknowledge(core, issue, person)),
    resolve: (summary) => answer(resolve(core, issue, person, summary)),
    escalate: (reason) => answer(escalate(core, issue, person, reason)),
    apologize: (reason) => answer(apologize(core, issue, person, reason)),
    snooze: (durationMs, reason) => answer(snooze(core, issue, person, durationMs, reason)),
    rate: (score, comment) => rateIssue(core, issue, person, score, comment),
    nps: (score, comment) => answerNpsOf(core, issue, person, score, comment),
    answer: (replyId, edited) => answer(answerWith(core, issue, person, replyId, edited)),
  };
}
