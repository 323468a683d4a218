import type { Issue } from '../../src/domain/issue.ts';
import type { LedgerEvent, LedgerKind } from '../../src/domain/ledger.ts';
import type { ActorRef } from '../../src/domain/refs.ts';
import { EMPTY_SLA } from '../../src/sla/sla-state.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** One ledger entry as written in a fixture: when, what, who, and its data. */
export interface FixtureEvent {
  readonly at: number;
  readonly kind: LedgerKind;
  readonly actor: ActorRef;
  readonly reason?: string;
  readonly data?: LedgerEvent['data'];
}

/** An issue document whose ledger is exactly `events`, on the given team, with ids stamped on. */
export function fixtureIssue(options: {
  readonly number: number;
  readonly team: string;
  readonly customer: ActorRef & { platform: 'slack' | 'discord' };
  readonly events: readonly FixtureEvent[];
  /** The policy sets a next-response target (the issue has run a next-response clock). */
  readonly nextResponse?: boolean;
}): Issue {
  const id = `issue-${options.number}`;
  const openedAt = options.events[0]!.at;
  const platform = options.customer.platform;
  const last = options.events.at(-1)!.at;
  return {
    v: 1,
    id,
    number: options.number,
    status: 'claimed',
    priority: 'normal',
    team: options.team,
    customer: { platform, id: options.customer.id },
    conversation: { platform, channel: 'C0CUST01', thread: `t-${options.number}` },
    subject: `Fixture issue ${options.number}`,
    openedAt,
    updatedAt: last,
    lastCustomerMessageAt: openedAt,
    notes: [],
    seenMessages: [],
    messages: [],
    revision: options.events.length,
    sla: options.nextResponse
      ? {
          ...EMPTY_SLA,
          clocks: {
            nextResponse: {
              gen: 0,
              calendar: 'always',
              targetMs: 2 * HOUR,
              startedAt: openedAt,
              elapsedMs: 0,
              shiftMs: 0,
              stoppedAt: last,
            },
          },
        }
      : EMPTY_SLA,
    history: options.events.map((event, index) => ({
      id: `${id}.${index}`,
      issueId: id,
      issueNumber: options.number,
      team: options.team,
      platform,
      ...event,
    })),
  };
}
