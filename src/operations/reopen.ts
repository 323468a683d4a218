import type { Core } from '../core/core.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { type OperationResult, operate } from './operate.ts';

/** Staff reopen a resolved issue. */
export function reopen(
  core: Core,
  issue: Issue,
  person: PersonFacts,
  reason: string,
): Promise<OperationResult> {
  return operate(
    core,
    issue,
    person,
    (i, a, now) => lifecycle.reopen(i, a, reason, now),
    async ({ issue: i }) => rich`Reopened ${bold(issueRef(i))}.`,
  );
}
