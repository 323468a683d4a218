import type { Core } from '../core/core.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { type OperationResult, operate } from './operate.ts';

/** The person takes ownership of the issue. */
export function claim(core: Core, issue: Issue, person: PersonFacts): Promise<OperationResult> {
  return operate(
    core,
    issue,
    person,
    lifecycle.claim,
    async ({ issue: i }) => rich`You now own ${bold(issueRef(i))}.`,
  );
}
