import type { DueQueue } from '../coordination/coordination.ts';
import type { Issue } from '../domain/issue.ts';
import type { LedgerDraft } from '../domain/ledger.ts';
import type { Logger } from '../logging/logger.ts';
import { type Rich, rich } from '../messages/rich-text.ts';
import type { OnCallRoster } from '../oncall/on-call-roster.ts';
import { applyAfterCare, dueAfterCare, type PlannedAfterCare } from '../satisfaction/after-care.ts';
import { carryOutAfterCare, nudgeDraft } from '../satisfaction/after-care-effects.ts';
import { formatDuration } from '../sla/duration.ts';
import { dueAlerts, nextDueAt, type PlannedAlert } from '../sla/schedule.ts';
import { CLOCK_LABEL, clockKey } from '../sla/sla-state.ts';
import type { TickReport } from '../sla/tick-report.ts';
import type { Clock } from './clock.ts';
import type { Core } from './core.ts';
import type { Saved } from './issue-repository.ts';
import type { OutboxDraft, OutboxEntry } from './outbox.ts';
import { cardChannel } from './people.ts';
import { customerLabel } from './presenter.ts';
import { alertActions, alertLine, type Destination, destinationsFor } from './sla-alerts.ts';
import { MAX_SLEEP_MS, TimerLoop } from './timer-loop.ts';

/** An alert sent this long after it fell due is marked late (Heed was down or busy). */
export const LATE_AFTER_MS = 60_000;

const LEDGER_KIND = { warn: 'warned', nag: 'nagged', escalation: 'escalated' } as const;

export type { TickReport } from '../sla/tick-report.ts';

/** What the scheduler needs of the core: the issues, the chat, the config, the log, and where to report a tick. */
export type SchedulerHost = Pick<
  Core,
  'issues' | 'chat' | 'config' | 'observer' | 'logger' | 'outbox' | 'onCall'
>;

/** The outbox entry of one alert for one destination. */
function alertDraft(issue: Issue, alert: PlannedAlert, destination: Destination, line: Rich): OutboxDraft {
  return {
    key: `alert:${alert.id}:${destination.key}`,
    kind: 'alert',
    group: destination.key,
    target:
      destination.kind === 'dm'
        ? { kind: 'dm', user: destination.user }
        : { kind: 'post', channel: destination.channel, pings: [...destination.pings] },
    message: { text: line, actions: alertActions(issue, alert) },
  };
}

/**
 * The thin driver of the SLA engine. Deciding what is due is pure (`sla/schedule.ts`); this class feeds
 * the due queue (in memory, or in shared mode the issues table itself, which hands each due issue to one
 * instance only), records each alert as fired in the issue (under its lock, re-checking the fresh
 * state) before sending it, groups what one destination receives in one tick into a digest, and sleeps on
 * real timers.
 */
export class SlaScheduler {
  private readonly loop: TimerLoop<TickReport>;

  constructor(
    private readonly core: SchedulerHost,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly index: DueQueue,
  ) {
    this.loop = new TimerLoop({
      work: () => this.runTick(),
      nextDelay: async () => {
        const due = await this.index.peek();
        const held = this.core.outbox.nextHeldAt();
        const next = due === undefined ? held : held === undefined ? due : Math.min(due, held);
        const sleep = next === undefined ? MAX_SLEEP_MS : next - this.clock.now();
        return Math.min(sleep, this.index.maxSleepMs ?? MAX_SLEEP_MS);
      },
      onError: (error) => {
        this.logger.error({ err: error }, 'SLA tick failed');
        return undefined;
      },
    });
  }

  /** Called for every stored issue change and at load. */
  track(id: string, nextAlertAt: number | undefined): void {
    this.index.track(id, nextAlertAt);
    if (this.loop.active && nextAlertAt !== undefined && nextAlertAt <= this.clock.now() + MAX_SLEEP_MS) {
      this.loop.arm();
    }
  }

  get pending(): number {
    return this.index.size;
  }

  /** Processes everything due now. Ticks never overlap. */
  tick(): Promise<TickReport> {
    return this.loop.run();
  }

  private async runTick(): Promise<TickReport> {
    const now = this.clock.now();
    const ids = await this.index.takeDue(now);
    const owed: OutboxEntry[] = [];
    const lateness: number[] = [];
    const afterCare: { issue: Issue; step: PlannedAfterCare }[] = [];
    const failed = new Set<string>();
    let alerts = 0;
    // On-call targets are read as the alerts fire, with the overrides as they are now (another instance
    // may have set one since the last refresh).
    const roster =
      ids.length === 0
        ? this.core.onCall.roster()
        : await this.core.onCall.refresh().catch((error: unknown) => {
            this.logger.warn({ err: error }, 'could not re-read on-call overrides; using the last known');
            return this.core.onCall.roster();
          });
    for (const id of ids) {
      const fired = await this.record(id, now, failed, roster);
      if (!fired) continue;
      for (const step of fired.steps) afterCare.push({ issue: fired.issue, step });
      this.logger
        .child({ platform: fired.issue.conversation.platform, issue: fired.issue.number })
        .info({ alerts: fired.alerts.map((alert) => alert.id) }, 'SLA alerts due');
      for (const alert of fired.alerts) {
        alerts += 1;
        lateness.push(now - alert.at);
      }
      owed.push(...fired.outbox);
    }
    // With what an earlier pass left unsent (a crash or an outage: marked late) or held back to go out
    // together, so one destination gets one message.
    const left = await this.core.outbox.claimLeftovers(now);
    const messages = await this.core.outbox.send([...owed, ...left], now, false);
    for (const { issue, step } of afterCare) await carryOutAfterCare(this.core, issue, step);
    // A failed issue stays claimed: in shared mode its claim lapses and a later tick tries again.
    await this.index.finish(ids.filter((id) => !failed.has(id))).catch((error: unknown) => {
      // The claims lapse by themselves; another tick re-checks the issues and finds nothing due.
      this.logger.warn({ err: error }, 'could not release claimed deadlines');
    });
    const report = {
      issues: ids.length,
      alerts,
      messages,
      lateness,
      afterCare: afterCare.length,
    };
    this.core.observer.slaTicked?.(report);
    return report;
  }

  /** Marks what is due as fired and appends the ledger events, on the freshest copy of the issue. */
  private async record(
    id: string,
    now: number,
    failed: Set<string>,
    roster: OnCallRoster,
  ): Promise<
    | { issue: Issue; alerts: PlannedAlert[]; steps: PlannedAfterCare[]; outbox: readonly OutboxEntry[] }
    | undefined
  > {
    let alerts: PlannedAlert[] = [];
    let steps: PlannedAfterCare[] = [];
    let saved: Saved | { ok: false } | undefined;
    let fresh: Issue | undefined;
    try {
      saved = await this.core.issues.update(id, (issue) => {
        fresh = issue;
        const due = dueAlerts(issue.sla, this.core.config, now);
        alerts = due.send;
        const care = dueAfterCare(issue, this.core.config, now);
        steps = care.send;
        if (due.fired.length === 0 && care.fired.length === 0) {
          return { ok: false, code: 'nothing-due', message: rich`` };
        }
        const breaches = due.send
          .filter(
            (alert) =>
              alert.kind === 'nag' && !issue.sla.breaches.some((b) => b.key === clockKey(alert.clock, alert)),
          )
          .map((alert) => ({ key: clockKey(alert.clock, alert), at: alert.dueAt }));
        const events: LedgerDraft[] = due.send.map((alert) => ({
          kind: LEDGER_KIND[alert.kind],
          actor: { platform: 'heed', id: 'heed' },
          reason: `${CLOCK_LABEL[alert.clock]} ${alert.kind === 'warn' ? 'due' : 'was due'} ${new Date(alert.dueAt).toISOString()}`,
          data: {
            clock: alert.clock,
            generation: alert.gen,
            level: alert.level,
            repeat: alert.repeat,
            dueAt: alert.dueAt,
            late: now - alert.at > LATE_AFTER_MS,
          },
        }));
        const cared = applyAfterCare(
          {
            ...issue,
            updatedAt: now,
            sla: {
              ...issue.sla,
              fired: [...issue.sla.fired, ...due.fired, ...care.fired],
              breaches: [...issue.sla.breaches, ...breaches],
            },
          },
          steps,
          this.core.config,
          now,
          (step) => now - step.at > LATE_AFTER_MS,
        );
        // Each alert, for each of its destinations, goes to the outbox in this same transaction.
        const teamChannel = cardChannel(this.core.config, cared.issue);
        const drafts = due.send.flatMap((alert) => {
          const line = alertLine({
            issue: cared.issue,
            alert,
            now,
            late: now - alert.at > LATE_AFTER_MS,
            customer: customerLabel(cared.issue),
          });
          return destinationsFor(this.core.config, cared.issue, alert, teamChannel, roster, now).map(
            (destination) => alertDraft(cared.issue, alert, destination, line),
          );
        });
        const nudges = steps
          .filter((step) => step.kind === 'nudge')
          .map((step) => nudgeDraft(this.core.config, cared.issue, step, now));
        return {
          ok: true,
          issue: cared.issue,
          events: [...events, ...cared.events],
          outbox: { at: now, drafts: [...drafts, ...nudges] },
        };
      });
    } catch (error) {
      this.logger.error({ err: error, issueId: id }, 'could not record due alerts; will retry');
      failed.add(id);
      this.index.track(id, now + 5_000);
      return undefined;
    }
    if (!saved || !('issue' in saved)) {
      // The index was stale (the issue moved on): track the fresh next alert instead.
      const next = fresh ? nextDueAt(fresh, this.core.config) : undefined;
      if (fresh && next !== undefined && next > now) this.index.track(id, next);
      return undefined;
    }
    return { issue: saved.issue, alerts, steps, outbox: saved.outbox ?? [] };
  }

  /** Starts the real-time loop. Overdue alerts (Heed was down) fire on the first tick, marked late. */
  start(): void {
    this.loop.start();
  }

  /** Stops the loop after the tick in progress, so an alert recorded as fired is also sent. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** For logs: a short description of the next alert. */
  async describeNext(): Promise<string> {
    const next = await this.index.peek();
    return next === undefined
      ? 'nothing scheduled'
      : `next alert in ${formatDuration(Math.max(0, next - this.clock.now()))}`;
  }
}
