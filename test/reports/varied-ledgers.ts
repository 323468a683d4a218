import type { Issue } from '../../src/domain/issue.ts';
import type { LedgerDraft, LedgerEvent, LedgerKind } from '../../src/domain/ledger.ts';
import type { ActorRef } from '../../src/domain/refs.ts';
import { seeded } from '../support/seeded-random.ts';
import { HOUR, MINUTE } from './fixtures.ts';

export { seeded };

export const TEAMS = ['support', 'billing', 'sales'] as const;

const SLACK_STAFF = ['U0ALICE', 'U0BOB', 'U0BILL01', 'U0MGR001'];
const DISCORD_STAFF = ['1200000000000000042', '1200000000000000043'];
const HEED: ActorRef = { platform: 'heed', id: 'heed' };
const CLI: ActorRef = { platform: 'cli', id: 'ops' };
const CLOCKS = ['firstResponse', 'nextResponse', 'resolution', 'somethingElse', undefined];

/** One next-response clock, as the SLA engine stores it. */
export const NEXT_RESPONSE_CLOCK = {
  gen: 0,
  calendar: 'always',
  targetMs: 2 * HOUR,
  startedAt: 0,
  elapsedMs: 0,
  shiftMs: 0,
};

/** What to append to a ledger next: a kind, who, and its data. */
export type Step = LedgerDraft;

/**
 * Random ledger steps covering every figure and its odd cases: claims, releases and hand-offs (to
 * somebody, to nobody, by a manager or the command line), first answers flagged, unflagged or not,
 * customer replies, nags of every clock with and without repeats, apologies with and without a breach,
 * resolutions with and without answers, reopens by the customer or by staff, ratings up, down or
 * neither, and events that carry no figure at all.
 */
export function randomSteps(next: () => number, customer: ActorRef, count: number): Step[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const staff = (): ActorRef =>
    customer.platform === 'discord' && next() < 0.7
      ? { platform: 'discord', id: pick(DISCORD_STAFF) }
      : { platform: 'slack', id: pick(SLACK_STAFF) };
  const steps: Step[] = [];
  for (let index = 0; index < count; index += 1) {
    const kind = pick<LedgerKind>([
      'claimed',
      'claimed',
      'released',
      'handed-off',
      'responded',
      'responded',
      'responded',
      'customer-replied',
      'customer-replied',
      'nagged',
      'nagged',
      'warned',
      'escalated',
      'apologized',
      'resolved',
      'resolved',
      'reopened',
      'rated',
      'noted',
      'waiting',
      'snoozed',
      'closed',
    ]);
    switch (kind) {
      case 'handed-off': {
        const data: Record<string, string> = {};
        if (next() < 0.85) data.to = pick([...SLACK_STAFF, ...DISCORD_STAFF]);
        steps.push({ kind, actor: next() < 0.15 ? CLI : staff(), data });
        break;
      }
      case 'responded': {
        const first = pick([true, false, undefined]);
        steps.push({
          kind,
          actor: staff(),
          data: first === undefined ? { via: 'thread' } : { first, via: 'thread' },
        });
        break;
      }
      case 'customer-replied':
        steps.push({ kind, actor: customer });
        break;
      case 'nagged':
      case 'warned':
      case 'escalated': {
        const clock = pick(CLOCKS);
        const repeat = pick([0, 0, 1, 2, undefined]);
        const data: Record<string, string | number> = { level: 0, generation: 0 };
        if (clock !== undefined) data.clock = clock;
        if (repeat !== undefined) data.repeat = repeat;
        steps.push({ kind, actor: HEED, data });
        break;
      }
      case 'apologized':
        steps.push({
          kind,
          actor: staff(),
          ...(next() < 0.6 ? { data: { sinceBreachMs: Math.floor(next() * 3 * HOUR) } } : {}),
        });
        break;
      case 'reopened':
        steps.push({ kind, actor: next() < 0.7 ? customer : staff() });
        break;
      case 'rated':
        steps.push({ kind, actor: customer, data: { score: pick(['up', 'up', 'down', 'meh']) } });
        break;
      case 'closed':
        steps.push({ kind, actor: HEED });
        break;
      default:
        steps.push({ kind, actor: staff() });
        break;
    }
  }
  return steps;
}

/** How far the clock moves before the next step: usually forward, sometimes not at all, sometimes back. */
export function randomGap(next: () => number): number {
  const roll = next();
  if (roll < 0.1) return 0;
  if (roll < 0.18) return -Math.floor(next() * 2 * HOUR);
  return Math.floor(next() * 6 * HOUR) + MINUTE;
}

/**
 * `count` issues over about two weeks from `start`, built whole (for bulk imports): Slack and Discord
 * customers, three teams (some issues move team half-way, so events carry either), some policies
 * with a next-response target, some ledgers without an `opened` event, timestamps out of order.
 */
export function variedIssues(seed: number, count: number, start: number): Issue[] {
  const next = seeded(seed);
  return Array.from({ length: count }, (_, index) => {
    const number = index + 1;
    const id = `varied-${number}`;
    const discord = next() < 0.3;
    const customer: ActorRef & { platform: 'slack' | 'discord' } = discord
      ? { platform: 'discord', id: `16000000000000${number}` }
      : { platform: 'slack', id: `U0C${number}` };
    let team: string = TEAMS[Math.floor(next() * TEAMS.length)]!;
    const moves = next() < 0.1;
    const openedAt = start + Math.floor(next() * 14 * 24 * HOUR);
    const steps: Step[] = next() < 0.95 ? [{ kind: 'opened', actor: customer }] : [];
    steps.push(...randomSteps(next, customer, 2 + Math.floor(next() * 14)));
    let at = openedAt;
    const history: LedgerEvent[] = steps.map((step, position) => {
      if (position > 0) at += randomGap(next);
      if (moves && position === Math.floor(steps.length / 2))
        team = TEAMS[(TEAMS.indexOf(team as never) + 1) % 3]!;
      return {
        id: `${id}.${position}`,
        at,
        issueId: id,
        issueNumber: number,
        team,
        platform: customer.platform,
        ...step,
      };
    });
    const last = Math.max(...history.map((event) => event.at));
    return {
      v: 1,
      id,
      number,
      status: 'claimed',
      priority: 'normal',
      team,
      customer: { platform: customer.platform, id: customer.id },
      conversation: { platform: customer.platform, channel: 'C0CUST01', thread: `t-${number}` },
      subject: `Varied issue ${number}`,
      openedAt,
      updatedAt: last,
      lastCustomerMessageAt: openedAt,
      notes: [],
      seenMessages: [],
      messages: [],
      revision: history.length,
      sla: {
        clocks: next() < 0.3 ? { nextResponse: { ...NEXT_RESPONSE_CLOCK, startedAt: openedAt } } : {},
        fired: [],
        acknowledged: [],
        breaches: [],
      },
      history,
    };
  });
}
