import { z } from 'zod';

/** The three SLA clocks, as in Zendesk / Jira Service Management. */
export const CLOCK_NAMES = ['firstResponse', 'nextResponse', 'resolution'] as const;
export type ClockName = (typeof CLOCK_NAMES)[number];

export const CLOCK_LABEL: Record<ClockName, string> = {
  firstResponse: 'first response',
  nextResponse: 'next response',
  resolution: 'resolution',
};

/**
 * One SLA clock. Business time elapsed so far is `elapsedMs` plus, while running, the business time since
 * `runningSince`. `gen` changes whenever the deadline is re-planned (restart, policy change, snooze), so
 * alerts fire once per (issue, clock, generation).
 */
export const clockSchema = z.object({
  gen: z.number().int().nonnegative(),
  calendar: z.string(),
  targetMs: z.number().nonnegative(),
  startedAt: z.number(),
  elapsedMs: z.number().nonnegative(),
  runningSince: z.number().optional(),
  stoppedAt: z.number().optional(),
  /** Wall-clock time added by snoozes. */
  shiftMs: z.number().nonnegative(),
  /** Cached instants of the current generation (recomputed on every change). */
  warnAt: z.number().optional(),
  dueAt: z.number().optional(),
});
export type Clock = z.infer<typeof clockSchema>;

export const slaStateSchema = z.object({
  policy: z.string().optional(),
  clocks: z.object({
    firstResponse: clockSchema.optional(),
    nextResponse: clockSchema.optional(),
    resolution: clockSchema.optional(),
  }),
  /** Alert ids already sent (`clock:gen:warn`, `clock:gen:L0.0`, …). */
  fired: z.array(z.string()),
  /** `clock:gen` of deadlines whose escalation somebody acknowledged. */
  acknowledged: z.array(z.string()),
  /** `clock:gen` of deadlines that were breached, with when. */
  breaches: z.array(z.object({ key: z.string(), at: z.number() })),
  /**
   * While the issue waits on the customer and `stale` is configured: since when it waits, and when the
   * nudge and the close fall due (business time of its policy's calendar, planned when the wait began).
   */
  stale: z.object({ since: z.number(), nudgeAt: z.number(), closeAt: z.number() }).optional(),
  /** Earliest unsent alert, for the due index. */
  nextAlertAt: z.number().optional(),
});
export type SlaState = z.infer<typeof slaStateSchema>;

export const EMPTY_SLA: SlaState = { clocks: {}, fired: [], acknowledged: [], breaches: [] };

export function clockKey(name: ClockName, clock: Pick<Clock, 'gen'>): string {
  return `${name}:${clock.gen}`;
}

export function isRunning(clock: Clock | undefined): clock is Clock & { runningSince: number } {
  return clock !== undefined && clock.runningSince !== undefined && clock.stoppedAt === undefined;
}

/** The earliest deadline of the running clocks (only running clocks carry `dueAt`), if any runs. */
export function earliestDue(sla: Pick<SlaState, 'clocks'>): number | undefined {
  let earliest: number | undefined;
  for (const clock of Object.values(sla.clocks)) {
    const due = clock?.dueAt;
    if (due !== undefined && (earliest === undefined || due < earliest)) earliest = due;
  }
  return earliest;
}
