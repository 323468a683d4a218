import type { HeedConfig, SlaPolicyConfig } from '../config/schema.ts';
import { valueMatches } from '../customers/customer-value.ts';
import type { Priority } from '../domain/issue.ts';
import { ALWAYS_CALENDAR, type BusinessCalendar, buildCalendar } from './business-time.ts';

export interface PolicySubject {
  readonly priority: Priority;
  readonly tier?: string | undefined;
  readonly team: string;
  /** What the customer is worth (`value: { atLeast }` policies). */
  readonly value?: number | undefined;
}

/** First policy whose conditions (priority, tier, team, value) all hold; DESIGN.md: "first match wins". */
export function selectPolicy(config: HeedConfig, subject: PolicySubject): SlaPolicyConfig | undefined {
  return config.sla.policies.find(
    (policy) =>
      (policy.priority === undefined || policy.priority === subject.priority) &&
      (policy.tier === undefined || policy.tier === subject.tier) &&
      (policy.team === undefined || policy.team === subject.team) &&
      valueMatches(policy.value, subject.value),
  );
}

/** Builds every configured calendar once; `always` (24/7) is built in. */
export function buildCalendars(config: HeedConfig): ReadonlyMap<string, BusinessCalendar> {
  const calendars = new Map<string, BusinessCalendar>([['always', ALWAYS_CALENDAR]]);
  for (const definition of config.sla.calendars) calendars.set(definition.id, buildCalendar(definition));
  return calendars;
}
