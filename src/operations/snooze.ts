import type { Core } from '../core/core.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { snoozeClocks } from '../sla/clocks.ts';
import { formatDuration } from '../sla/duration.ts';
import { type OperationResult, operate } from './operate.ts';

/** Holds the issue's alerts for a while: its running deadlines move by the snooze. */
export function snooze(
  core: Core,
  issue: Issue,
  person: PersonFacts,
  durationMs: number,
  reason: string,
): Promise<OperationResult> {
  return operate(
    core,
    issue,
    person,
    (i, a, now) => {
      const result = lifecycle.snooze(i, a, durationMs, reason, now);
      return result.ok ? { ...result, issue: snoozeClocks(result.issue, durationMs, now) } : result;
    },
    async ({ issue: i }) => rich`Snoozed ${bold(issueRef(i))} for ${formatDuration(durationMs)}: ${reason}`,
  );
}
