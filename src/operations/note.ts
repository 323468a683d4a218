import type { Core } from '../core/core.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { type OperationResult, operate } from './operate.ts';

/** Adds a staff-only note to the issue. */
export function note(core: Core, issue: Issue, person: PersonFacts, text: string): Promise<OperationResult> {
  return operate(
    core,
    issue,
    person,
    (i, a, now) => lifecycle.addNote(i, a, text, now),
    async ({ issue: i }) =>
      rich`Note added to ${bold(issueRef(i))} (staff only; the customer does not see it).`,
  );
}
