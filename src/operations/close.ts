import type { Core } from '../core/core.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { type OperationResult, operate } from './operate.ts';

/** Closes the issue for good: the customer's next message opens a new one. */
export function close(core: Core, issue: Issue, person: PersonFacts): Promise<OperationResult> {
  return operate(
    core,
    issue,
    person,
    (i, a, now) => lifecycle.close(i, a, now),
    async ({ issue: i }) => rich`Closed ${bold(issueRef(i))}.`,
  );
}
