import { safely } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { onCallFor } from '../core/people.ts';
import { customerLabel } from '../core/presenter.ts';
import { type Issue, issueRef, type Priority } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { type OperationResult, operate } from './operate.ts';

/** Changes the priority (the SLA clocks follow); raising it to urgent pages the on-call person. */
export function setPriority(
  core: Core,
  issue: Issue,
  person: PersonFacts,
  priority: Priority,
  reason?: string,
): Promise<OperationResult> {
  return operate(
    core,
    issue,
    person,
    (i, a, now) => lifecycle.setPriority(i, a, priority, now, reason),
    async ({ issue: i }) => {
      if (priority === 'urgent') await pageOnCall(core, i);
      return rich`${bold(issueRef(i))} is now ${bold(priority)}.`;
    },
  );
}

async function pageOnCall(core: Core, issue: Issue): Promise<void> {
  const onCall = onCallFor(core, issue, core.clock.now());
  if (!onCall) return;
  await safely(core, 'on-call page', () =>
    core.chat.dm(onCall, {
      text: rich`🚨 ${bold(issueRef(issue))} (${customerLabel(issue)}) is now urgent and needs someone.`,
      actions: [{ action: 'claim', issueId: issue.id, label: 'Claim', style: 'primary' }],
    }),
  );
}
