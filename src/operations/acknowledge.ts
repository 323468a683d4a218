import type { Core } from '../core/core.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { runningDeadlines } from '../sla/clocks.ts';
import { clockKey } from '../sla/sla-state.ts';
import { type OperationResult, operate } from './operate.ts';

/** Stops the escalation chain for the issue's current deadlines (until a new deadline starts). */
export function acknowledge(core: Core, issue: Issue, person: PersonFacts): Promise<OperationResult> {
  return operate(
    core,
    issue,
    person,
    (i, a, now) => {
      const keys = runningDeadlines(i).map(({ name }) => clockKey(name, i.sla.clocks[name]!));
      const result = lifecycle.acknowledge(i, a, now, keys.join(' '));
      if (!result.ok) return result;
      const acknowledged = [...new Set([...i.sla.acknowledged, ...keys])];
      return { ...result, issue: { ...result.issue, sla: { ...result.issue.sla, acknowledged } } };
    },
    async ({ issue: i }) =>
      rich`Acknowledged ${bold(issueRef(i))}: escalation stops for the current deadline.`,
  );
}
