import type { HeedConfig } from '../config/schema.ts';
import type { Issue } from '../domain/issue.ts';
import type { LedgerDraft } from '../domain/ledger.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { HEED_ACTOR } from '../domain/refs.ts';
import { formatDuration } from '../sla/duration.ts';

/**
 * What Heed does on its own: after a resolution, check in with the customer, then close the issue; while
 * it waits on a silent customer (`stale`), nudge them, then resolve it as "no reply from the customer".
 */
export type AfterCareKind = 'follow-up' | 'close' | 'nudge' | 'stale-close';

/** One after-care step of one resolution. */
export interface PlannedAfterCare {
  /**
   * `resolved:<resolvedAt>:follow-up|close`, or `waiting:<since>:nudge|close` for a silent customer;
   * recorded in `sla.fired` once done.
   */
  readonly id: string;
  readonly kind: AfterCareKind;
  readonly at: number;
  /** The resolution (or, for a silent customer, the wait) this step belongs to; a new one plans new steps. */
  readonly resolvedAt: number;
}

/** The part of an issue after-care planning reads. */
export type AfterCareFacts = Pick<Issue, 'status' | 'resolvedAt'> & {
  readonly sla: Pick<Issue['sla'], 'fired'> & { readonly stale?: Issue['sla']['stale'] };
};

/**
 * The after-care steps of a resolved issue, fired or not (pure): the optional follow-up check-in at
 * `resolvedAt + followUp.after` and the auto-close at `resolvedAt + reopenWindow`. Nothing for any
 * other status: a reopened issue has no resolution, a closed one is done.
 */
export function planAfterCare(issue: AfterCareFacts, config: HeedConfig): PlannedAfterCare[] {
  const stale = issue.sla.stale;
  if (issue.status === 'waiting' && stale && config.stale) {
    return [
      { id: `waiting:${stale.since}:nudge`, kind: 'nudge', at: stale.nudgeAt, resolvedAt: stale.since },
      { id: `waiting:${stale.since}:close`, kind: 'stale-close', at: stale.closeAt, resolvedAt: stale.since },
    ];
  }
  const resolvedAt = issue.resolvedAt;
  if (issue.status !== 'resolved' || resolvedAt === undefined) return [];
  const step = (kind: AfterCareKind, after: number): PlannedAfterCare => ({
    id: `resolved:${resolvedAt}:${kind}`,
    kind,
    at: resolvedAt + after,
    resolvedAt,
  });
  const steps: PlannedAfterCare[] = [];
  if (config.followUp && config.followUp.after < config.reopenWindow) {
    steps.push(step('follow-up', config.followUp.after));
  }
  steps.push(step('close', config.reopenWindow));
  return steps;
}

/** When the earliest unfired after-care step is due (possibly in the past), or undefined. Pure. */
export function nextAfterCareAt(issue: AfterCareFacts, config: HeedConfig): number | undefined {
  let earliest: number | undefined;
  for (const step of planAfterCare(issue, config)) {
    if (issue.sla.fired.includes(step.id)) continue;
    if (earliest === undefined || step.at < earliest) earliest = step.at;
  }
  return earliest;
}

export interface DueAfterCare {
  /** Steps to carry out now, follow-up before close. */
  readonly send: PlannedAfterCare[];
  /** Ids to record as fired: the steps carried out plus a follow-up overtaken by the close. */
  readonly fired: string[];
}

/**
 * What after-care is due at `now` (pure). A follow-up that fell due while Heed was down is still sent
 * (late) unless the close is due as well: checking in on an issue that is being closed helps nobody.
 */
export function dueAfterCare(issue: AfterCareFacts, config: HeedConfig, now: number): DueAfterCare {
  const due = planAfterCare(issue, config).filter(
    (step) => step.at <= now && !issue.sla.fired.includes(step.id),
  );
  // A check-in or a nudge overtaken by its close (Heed was down past both) helps nobody.
  const closing = due.some((step) => step.kind === 'close' || step.kind === 'stale-close');
  return {
    send: closing ? due.filter((step) => step.kind === 'close' || step.kind === 'stale-close') : due,
    fired: due.map((step) => step.id),
  };
}

/**
 * The state change of the due after-care steps (pure): the close makes the issue `closed` with a
 * `closed` event by Heed; a follow-up is logged as a `noted` event by Heed with `data.followUp: true`
 * (its message goes out after the change is stored). `late` marks steps carried out after Heed was down.
 */
export function applyAfterCare(
  issue: Issue,
  steps: readonly PlannedAfterCare[],
  config: HeedConfig,
  now: number,
  late: (step: PlannedAfterCare) => boolean,
): { issue: Issue; events: LedgerDraft[] } {
  let next = issue;
  const events: LedgerDraft[] = [];
  for (const step of steps) {
    if (step.kind === 'nudge') {
      // Its message to the customer goes through the outbox, recorded with this change.
      events.push({
        kind: 'noted',
        actor: HEED_ACTOR,
        reason: 'Nudged the customer: no reply since the issue started waiting',
        data: { staleNudge: true, late: late(step) },
      });
      continue;
    }
    if (step.kind === 'stale-close') {
      const resolved = lifecycle.resolveSilent(next, now);
      if (!resolved.ok) continue;
      next = resolved.issue;
      events.push(
        ...resolved.events.map((event) => ({ ...event, data: { ...event.data, late: late(step) } })),
      );
      continue;
    }
    if (step.kind === 'follow-up') {
      events.push({
        kind: 'noted',
        actor: HEED_ACTOR,
        reason: 'Follow-up check-in sent to the customer',
        data: { followUp: true, late: late(step) },
      });
      continue;
    }
    const closed = lifecycle.close(
      next,
      'heed',
      now,
      `no customer message within the reopen window (${formatDuration(config.reopenWindow)})`,
    );
    if (!closed.ok) continue;
    next = closed.issue;
    events.push(
      ...closed.events.map((event) => ({
        ...event,
        data: { ...event.data, automatic: true, late: late(step) },
      })),
    );
  }
  return { issue: next, events };
}
