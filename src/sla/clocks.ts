import type { HeedConfig, SlaPolicyConfig } from '../config/schema.ts';
import { customerValue } from '../customers/customer-value.ts';
import type { Issue } from '../domain/issue.ts';
import { addBusinessTime, type BusinessCalendar, businessTimeBetween } from './business-time.ts';
import { selectPolicy } from './policy.ts';
import { nextDueAt } from './schedule.ts';
import { type Clock, type ClockName, isRunning, type SlaState } from './sla-state.ts';

/** What the SLA functions need: the config (policies, warnAt, escalation) and built calendars. */
export interface SlaContext {
  readonly config: HeedConfig;
  readonly calendars: ReadonlyMap<string, BusinessCalendar>;
}

function calendarOf(ctx: SlaContext, clock: Pick<Clock, 'calendar'>): BusinessCalendar {
  const calendar = ctx.calendars.get(clock.calendar) ?? ctx.calendars.get('always');
  if (!calendar) throw new Error(`calendar ${clock.calendar} is not built`);
  return calendar;
}

function policyName(ctx: SlaContext, policy: SlaPolicyConfig): string {
  return policy.name ?? `policy ${ctx.config.sla.policies.indexOf(policy) + 1}`;
}

function targetOf(policy: SlaPolicyConfig, name: ClockName): number | undefined {
  return name === 'firstResponse'
    ? policy.firstResponse
    : name === 'nextResponse'
      ? policy.nextResponse
      : policy.resolution;
}

function start(policy: SlaPolicyConfig, name: ClockName, at: number, gen: number): Clock | undefined {
  const targetMs = targetOf(policy, name);
  if (targetMs === undefined) return undefined;
  return {
    gen,
    calendar: policy.calendar,
    targetMs,
    startedAt: at,
    elapsedMs: 0,
    runningSince: at,
    shiftMs: 0,
  };
}

function stop(ctx: SlaContext, clock: Clock, at: number): Clock {
  if (clock.stoppedAt !== undefined) return clock;
  const elapsed = isRunning(clock) ? businessTimeBetween(calendarOf(ctx, clock), clock.runningSince, at) : 0;
  const { runningSince: _r, warnAt: _w, dueAt: _d, ...rest } = clock;
  return { ...rest, elapsedMs: clock.elapsedMs + elapsed, stoppedAt: at };
}

function pause(ctx: SlaContext, clock: Clock, at: number): Clock {
  if (!isRunning(clock)) return clock;
  const { runningSince, warnAt: _w, dueAt: _d, ...rest } = clock;
  return {
    ...rest,
    elapsedMs: clock.elapsedMs + businessTimeBetween(calendarOf(ctx, clock), runningSince, at),
  };
}

function resume(clock: Clock, at: number): Clock {
  if (isRunning(clock)) return clock;
  const { stoppedAt: _s, ...rest } = clock;
  return { ...rest, runningSince: at };
}

/** Recomputes the cached warn and due instants of a running clock. */
function plan(ctx: SlaContext, clock: Clock): Clock {
  if (!isRunning(clock)) return clock;
  const calendar = calendarOf(ctx, clock);
  const remaining = Math.max(0, clock.targetMs - clock.elapsedMs);
  const dueAt = addBusinessTime(calendar, clock.runningSince, remaining) + clock.shiftMs;
  const warnRemaining = ctx.config.sla.warnAt * clock.targetMs - clock.elapsedMs;
  const warnAt =
    warnRemaining > 0
      ? addBusinessTime(calendar, clock.runningSince, warnRemaining) + clock.shiftMs
      : undefined;
  return { ...clock, dueAt, ...(warnAt !== undefined && warnAt < dueAt ? { warnAt } : {}) };
}

type Clocks = SlaState['clocks'];

function mapClocks(clocks: Clocks, change: (clock: Clock, name: ClockName) => Clock | undefined): Clocks {
  const out: { -readonly [K in keyof Clocks]: Clocks[K] } = {};
  for (const name of ['firstResponse', 'nextResponse', 'resolution'] as const) {
    const clock = clocks[name];
    const next = clock ? change(clock, name) : undefined;
    if (next) out[name] = next;
  }
  return out;
}

/**
 * Derives the SLA clocks of an issue from the change `before → after` (pure; time is `after.updatedAt`):
 * opening starts the first-response and resolution clocks; the first staff response stops the
 * first-response clock; a customer message after a response starts a next-response clock; waiting on
 * the customer pauses the resolution clock; resolving stops everything and reopening resumes it; a
 * priority or tier change re-targets the running clocks under the new policy.
 */
export function applySla(before: Issue | undefined, after: Issue, ctx: SlaContext): Issue {
  const now = after.updatedAt;
  const policy = selectPolicy(ctx.config, {
    priority: after.priority,
    tier: after.customer.tier,
    team: after.team,
    value: customerValue(ctx.config, after.customer),
  });
  let sla: SlaState = after.sla;
  let clocks: Clocks = { ...sla.clocks };

  if (!before) {
    if (policy) {
      const first = start(policy, 'firstResponse', after.openedAt, 0);
      const resolution = start(policy, 'resolution', after.openedAt, 0);
      clocks = { ...(first ? { firstResponse: first } : {}), ...(resolution ? { resolution } : {}) };
    }
  } else {
    const name = policy ? policyName(ctx, policy) : undefined;
    if (name !== sla.policy && policy) {
      clocks = mapClocks(clocks, (clock, clockName) => {
        if (clock.stoppedAt !== undefined) return clock;
        const targetMs = targetOf(policy, clockName);
        if (targetMs === undefined) return stop(ctx, clock, now);
        return { ...clock, targetMs, calendar: policy.calendar, gen: clock.gen + 1 };
      });
    }
    if (
      after.firstResponseAt !== undefined &&
      clocks.firstResponse &&
      clocks.firstResponse.stoppedAt === undefined
    ) {
      clocks.firstResponse = stop(ctx, clocks.firstResponse, after.firstResponseAt);
    }
    if (
      after.lastResponseAt !== before.lastResponseAt &&
      after.lastResponseAt !== undefined &&
      clocks.nextResponse
    ) {
      clocks.nextResponse = stop(ctx, clocks.nextResponse, after.lastResponseAt);
    }
    const customerWrote = after.lastCustomerMessageAt !== before.lastCustomerMessageAt;
    if (customerWrote && after.firstResponseAt !== undefined && policy && !isRunning(clocks.nextResponse)) {
      const gen = clocks.nextResponse ? clocks.nextResponse.gen + 1 : 0;
      const next = start(policy, 'nextResponse', after.lastCustomerMessageAt, gen);
      if (next) clocks.nextResponse = next;
    }
  }

  if (after.status === 'resolved' || after.status === 'closed') {
    clocks = mapClocks(clocks, (clock) => stop(ctx, clock, now));
  } else if (clocks.resolution) {
    const wasDone = before?.status === 'resolved' || before?.status === 'closed';
    if (after.status === 'waiting') clocks.resolution = pause(ctx, clocks.resolution, now);
    else if (clocks.resolution.stoppedAt === undefined || wasDone)
      clocks.resolution = resume(clocks.resolution, now);
  }

  clocks = mapClocks(clocks, (clock) => plan(ctx, clock));
  const name = policy ? policyName(ctx, policy) : undefined;
  const { stale: _stale, ...withoutStale } = sla;
  const stale = staleSchedule(ctx, after, policy?.calendar, sla.stale);
  sla = { ...withoutStale, clocks, ...(name ? { policy: name } : {}), ...(stale ? { stale } : {}) };
  // A resolved issue keeps a due time for its after-care (follow-up, auto-close).
  const next = nextDueAt({ ...after, sla }, ctx.config);
  const { nextAlertAt: _, ...rest } = sla;
  return { ...after, sla: next === undefined ? rest : { ...rest, nextAlertAt: next } };
}

/**
 * When a silent customer is nudged and their issue closed (`stale` in the config): planned once, when the
 * issue starts waiting, in the business time of its policy's calendar (all hours without one). Gone as
 * soon as the issue stops waiting, so a customer's message cancels both.
 */
function staleSchedule(
  ctx: SlaContext,
  issue: Issue,
  calendarName: string | undefined,
  planned: SlaState['stale'],
): SlaState['stale'] {
  const stale = ctx.config.stale;
  const since = issue.waitingSince;
  if (!stale || issue.status !== 'waiting' || since === undefined) return undefined;
  if (planned?.since === since) return planned;
  const calendar = calendarOf(ctx, { calendar: calendarName ?? 'always' });
  return {
    since,
    nudgeAt: addBusinessTime(calendar, since, stale.nudgeAfter),
    closeAt: addBusinessTime(calendar, since, stale.closeAfter),
  };
}

/**
 * Snoozing moves every running deadline to `max(due, now) + duration` and starts a new generation, so
 * the warning and nag fire again for the moved deadline.
 */
export function snoozeClocks(issue: Issue, durationMs: number, now: number): Issue {
  const clocks = mapClocks(issue.sla.clocks, (clock) => {
    if (!isRunning(clock) || clock.dueAt === undefined) return clock;
    const base = clock.dueAt - clock.shiftMs;
    const moved = Math.max(clock.dueAt, now) + durationMs;
    return { ...clock, shiftMs: moved - base, gen: clock.gen + 1 };
  });
  return { ...issue, sla: { ...issue.sla, clocks } };
}

/** The running deadlines of an issue, soonest first, for cards and messages. */
export function runningDeadlines(issue: Issue): { name: ClockName; dueAt: number }[] {
  const out: { name: ClockName; dueAt: number }[] = [];
  for (const name of ['firstResponse', 'nextResponse', 'resolution'] as const) {
    const clock = issue.sla.clocks[name];
    if (isRunning(clock) && clock.dueAt !== undefined) out.push({ name, dueAt: clock.dueAt });
  }
  return out.sort((a, b) => a.dueAt - b.dueAt);
}
