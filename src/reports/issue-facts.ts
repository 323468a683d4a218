import type { LedgerEvent } from '../domain/ledger.ts';
import { type ActorRef, isPlatform } from '../domain/refs.ts';
import { CLOCK_NAMES, type ClockName } from '../sla/sla-state.ts';
import { type Period, type ReportIssue, UNASSIGNED } from './report.ts';

/** What one figure-bearing ledger event contributes, and to whom. */
export type FactDetail =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'first-response'; readonly durationMs: number }
  | {
      readonly kind: 'resolved';
      readonly durationMs: number;
      readonly oneTouch: boolean;
      /** Exactly one `responded` came before it: one-touch unless a reopen comes before the period ends. */
      readonly singleResponse: boolean;
    }
  | { readonly kind: 'deadline'; readonly clock: ClockName; readonly breached: boolean }
  | { readonly kind: 'breach'; readonly clock: ClockName }
  | { readonly kind: 'apology'; readonly sinceBreachMs: number | undefined }
  | { readonly kind: 'hand-off' }
  | { readonly kind: 'reopen' }
  | { readonly kind: 'rating'; readonly up: boolean };

/** A figure-bearing event of the period with the owner key and team it is attributed to. */
export interface Fact {
  readonly owner: string;
  readonly team: string;
  readonly detail: FactDetail;
}

/** `slack:U0STAFF1`: how people are keyed in reports (ids are only unique per platform). */
export function ownerKey(ref: Pick<ActorRef, 'platform' | 'id'>): string {
  return `${ref.platform}:${ref.id}`;
}

type Person = Pick<ActorRef, 'platform' | 'id'>;

// Where one SLA deadline stands while the ledger is replayed: no deadline running, running, or
// running and already counted as breached.
type Deadline = 'none' | 'open' | 'breached';

function clockOf(event: LedgerEvent): ClockName | undefined {
  const clock = event.data?.clock;
  return CLOCK_NAMES.find((name) => name === clock);
}

function inOrder(history: readonly LedgerEvent[]): readonly LedgerEvent[] {
  for (let index = 1; index < history.length; index += 1) {
    if (history[index]!.at < history[index - 1]!.at) {
      // Stable, so events stamped at the same instant keep the order they were appended in.
      return [...history].sort((a, b) => a.at - b.at);
    }
  }
  return history;
}

// Replays one issue's ledger. State and helpers live on an instance rather than in closures made per
// event: under tsx every named closure costs a defineProperty, which tripled the time of a big report.
class Replay {
  readonly facts: Fact[] = [];
  private readonly deadlines: Record<ClockName, Deadline> = {
    firstResponse: 'none',
    nextResponse: 'none',
    resolution: 'none',
  };
  private owner: Person | undefined;
  private responses = 0;
  private firstResponded = false;
  private resolved = false;
  private readonly openedAt: number;
  private readonly reopenedBeforeEnd: boolean;
  private readonly tracksNextResponse: boolean;

  constructor(
    private readonly issue: ReportIssue,
    private readonly period: Period,
    history: readonly LedgerEvent[],
  ) {
    this.openedAt = history.find((event) => event.kind === 'opened')?.at ?? issue.openedAt;
    this.reopenedBeforeEnd = history.some((event) => event.kind === 'reopened' && event.at < period.to);
    // The next-response clock runs only under a policy that sets it; the issue's clocks or an alert
    // about that clock show the policy did.
    this.tracksNextResponse =
      issue.sla.clocks.nextResponse !== undefined ||
      history.some((event) => clockOf(event) === 'nextResponse');
  }

  private add(event: LedgerEvent, detail: FactDetail, to: Person | undefined): void {
    if (event.at < this.period.from) return;
    this.facts.push({ owner: to ? ownerKey(to) : UNASSIGNED, team: event.team, detail });
  }

  private start(clock: ClockName): void {
    if (this.deadlines[clock] === 'none') this.deadlines[clock] = 'open';
  }

  // A deadline that ends while running was met, credited to whoever ended it; one already breached
  // was counted at the breach.
  private end(event: LedgerEvent, clock: ClockName, by: Person): void {
    if (this.deadlines[clock] === 'open') this.add(event, { kind: 'deadline', clock, breached: false }, by);
    this.deadlines[clock] = 'none';
  }

  private isCustomer(actor: Person): boolean {
    return actor.platform === this.issue.customer.platform && actor.id === this.issue.customer.id;
  }

  apply(event: LedgerEvent): void {
    switch (event.kind) {
      case 'opened':
        this.start('firstResponse');
        this.start('resolution');
        break;
      case 'claimed':
        this.owner = event.actor;
        this.add(event, { kind: 'claimed' }, event.actor);
        break;
      case 'released':
        this.owner = undefined;
        break;
      case 'handed-off': {
        this.add(event, { kind: 'hand-off' }, this.owner ?? event.actor);
        const to = event.data?.to;
        if (typeof to === 'string') {
          // The new owner is on the platform of the person who handed over (a CLI or Heed actor has none).
          const { platform } = event.actor;
          this.owner = {
            platform: isPlatform(platform) ? platform : event.platform,
            id: to,
          };
        }
        break;
      }
      case 'responded': {
        this.responses += 1;
        const flagged = event.data?.first;
        const first = flagged === true || (flagged === undefined && !this.firstResponded);
        if (first && !this.firstResponded) {
          this.add(event, { kind: 'first-response', durationMs: event.at - this.openedAt }, event.actor);
        }
        this.firstResponded ||= first;
        this.end(event, 'firstResponse', event.actor);
        this.end(event, 'nextResponse', event.actor);
        break;
      }
      case 'customer-replied':
        if (this.tracksNextResponse && this.firstResponded && !this.resolved) this.start('nextResponse');
        break;
      case 'resolved':
        this.add(
          event,
          {
            kind: 'resolved',
            durationMs: event.at - this.openedAt,
            oneTouch: this.responses === 1 && !this.reopenedBeforeEnd,
            singleResponse: this.responses === 1,
          },
          event.actor,
        );
        // Resolving stops every clock, so running response deadlines end unbroken.
        for (const clock of CLOCK_NAMES) this.end(event, clock, event.actor);
        this.owner ??= event.actor;
        this.resolved = true;
        break;
      case 'reopened':
        this.add(event, { kind: 'reopen' }, this.owner);
        this.resolved = false;
        this.start('resolution');
        if (this.tracksNextResponse && this.firstResponded && this.isCustomer(event.actor)) {
          this.start('nextResponse');
        }
        break;
      case 'nagged': {
        const clock = clockOf(event);
        if (!clock) break;
        const repeat = event.data?.repeat;
        if (repeat === undefined || repeat === 0) this.add(event, { kind: 'breach', clock }, this.owner);
        if (this.deadlines[clock] !== 'breached') {
          this.add(event, { kind: 'deadline', clock, breached: true }, this.owner);
          this.deadlines[clock] = 'breached';
        }
        break;
      }
      case 'apologized': {
        const since = event.data?.sinceBreachMs;
        this.add(
          event,
          { kind: 'apology', sinceBreachMs: typeof since === 'number' ? since : undefined },
          event.actor,
        );
        break;
      }
      case 'rated': {
        const score = event.data?.score;
        if (score === 'up' || score === 'down')
          this.add(event, { kind: 'rating', up: score === 'up' }, this.owner);
        break;
      }
      default:
        break;
    }
  }
}

/**
 * Replays one issue's ledger from the start (earlier events give the owner, the opening time and the
 * running deadlines) and returns the facts of the events with `from <= at < to`. Events at or after
 * `to` are ignored entirely, so a report over a past period never changes. Pure.
 */
export function issueFacts(issue: ReportIssue, period: Period): Fact[] {
  const history = inOrder(issue.history);
  const replay = new Replay(issue, period, history);
  for (const event of history) {
    if (event.at >= period.to) break;
    replay.apply(event);
  }
  return replay.facts;
}

const ALL_TIME: Period = { from: -Infinity, to: Infinity };

/**
 * The facts of every event of the issue's whole ledger, aligned with `issue.history` (an event without
 * a figure gets an empty list). A fact never depends on the period it is reported in, except a
 * resolution's `oneTouch`, which here says whether the issue was ever reopened: the period's own
 * answer is `singleResponse` and no `reopened` event before the period ends. Pure.
 */
export function factsByEvent(issue: ReportIssue): Fact[][] {
  const history = inOrder(issue.history);
  const replay = new Replay(issue, ALL_TIME, history);
  const byEvent = new Map<LedgerEvent, Fact[]>();
  for (const event of history) {
    const before = replay.facts.length;
    replay.apply(event);
    if (replay.facts.length > before) byEvent.set(event, replay.facts.slice(before));
  }
  return issue.history.map((event) => byEvent.get(event) ?? []);
}
