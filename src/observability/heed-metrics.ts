import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { IssueSummary } from '../core/open-issues.ts';
import type { Issue } from '../domain/issue.ts';
import type { LedgerEvent } from '../domain/ledger.ts';
import type { Platform } from '../domain/refs.ts';
import type { TickReport } from '../sla/tick-report.ts';
import type { HeedObserver } from './observer.ts';

/** Where the gauges computed at scrape time read from; set by the composition root once it has them. */
export interface MetricSources {
  /** Summaries of every not-yet-closed issue (`heed.issues.listOpen()`). */
  readonly openIssues?: () => readonly IssueSummary[];
  /** Outbound messages waiting or in flight, per platform. */
  readonly queueDepth?: Partial<Record<Platform, () => number>>;
  /** Outbox entries not yet sent, and the age of the oldest (`heed.outbox.depth(now)`). */
  readonly outbox?: () => Promise<{ readonly unsent: number; readonly oldestAgeMs: number }>;
}

const ALERT_KIND = { warned: 'warn', nagged: 'nag', escalated: 'escalation' } as const;
const MINUTE = 60;
const HOUR = 60 * MINUTE;

/** Seconds: from a few minutes to two days (first responses run on business time). */
export const FIRST_RESPONSE_BUCKETS = [
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  4 * HOUR,
  8 * HOUR,
  24 * HOUR,
  48 * HOUR,
];
/** Seconds: handling one inbound message (store round trips plus the acknowledgement and card). */
export const HANDLING_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: how late an SLA alert went out (up to a day, for alerts that fell due while Heed was down). */
export const LATENESS_BUCKETS = [
  0.1,
  0.5,
  1,
  5,
  15,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  HOUR,
  4 * HOUR,
  24 * HOUR,
];

/**
 * Heed's metrics, on a prom-client registry of their own. As the core's {@link HeedObserver} it counts SLA
 * breaches and alerts from the ledger events the scheduler records, times first responses and message
 * handling, and records alert lateness; open issues and outbound queue depth are read at scrape time
 * from {@link MetricSources}. prom-client's default process metrics (`heed_process_*`, `heed_nodejs_*`:
 * memory, CPU, event-loop lag, handles) come with them.
 */
export class HeedMetrics implements HeedObserver {
  readonly registry = new Registry();
  readonly breaches: Counter<'team' | 'clock'>;
  readonly alerts: Counter<'kind'>;
  readonly firstResponse: Histogram<'team'>;
  readonly handling: Histogram<'platform' | 'outcome'>;
  readonly backfilled: Counter<'platform'>;
  readonly lateness: Histogram;
  private sources: MetricSources = {};

  /** `startTimeSeconds`: the process start (default: the Node.js time origin). */
  constructor(options: { readonly startTimeSeconds?: number } = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'heed_' });
    new Gauge({ name: 'heed_up', help: 'Always 1 while Heed answers scrapes.', registers }).set(1);
    new Gauge({
      name: 'heed_start_time_seconds',
      help: 'Start time of the Heed process, in seconds since the Unix epoch.',
      registers,
    }).set(Math.round(options.startTimeSeconds ?? performance.timeOrigin / 1000));
    const sources = () => this.sources;
    new Gauge({
      name: 'heed_open_issues',
      help: 'Issues not yet closed, by team, priority and status (resolved issues stay until closed).',
      labelNames: ['team', 'priority', 'status'] as const,
      registers,
      collect() {
        this.reset();
        const counts = new Map<string, { team: string; priority: string; status: string; n: number }>();
        for (const summary of sources().openIssues?.() ?? []) {
          const key = `${summary.team}\u0000${summary.priority}\u0000${summary.status}`;
          const entry = counts.get(key) ?? {
            team: summary.team,
            priority: summary.priority,
            status: summary.status,
            n: 0,
          };
          entry.n += 1;
          counts.set(key, entry);
        }
        for (const { team, priority, status, n } of counts.values()) this.set({ team, priority, status }, n);
      },
    });
    this.breaches = new Counter({
      name: 'heed_sla_breaches_total',
      help: 'SLA deadlines that went past due (one per deadline generation), by team and clock.',
      labelNames: ['team', 'clock'] as const,
      registers,
    });
    this.alerts = new Counter({
      name: 'heed_nags_sent_total',
      help: 'SLA alerts fired by the scheduler, by kind: warn (before a deadline), nag (at breach), escalation.',
      labelNames: ['kind'] as const,
      registers,
    });
    for (const kind of Object.values(ALERT_KIND)) this.alerts.inc({ kind }, 0);
    this.firstResponse = new Histogram({
      name: 'heed_first_response_seconds',
      help: "Time from an issue's opening to its first staff response (calendar time), by team.",
      labelNames: ['team'] as const,
      buckets: FIRST_RESPONSE_BUCKETS,
      registers,
    });
    this.backfilled = new Counter({
      name: 'heed_backfilled_messages_total',
      help: 'Customer-channel messages read back from platform history when catching up after downtime or a reconnect, by platform.',
      labelNames: ['platform'] as const,
      registers,
    });
    this.handling = new Histogram({
      name: 'heed_event_handling_seconds',
      help: 'Time the core took to handle one inbound message, by platform and outcome.',
      labelNames: ['platform', 'outcome'] as const,
      buckets: HANDLING_BUCKETS,
      registers,
    });
    // Read at scrape time; with the store away the gauges keep their last value and /metrics still answers.
    let lastOutbox = { unsent: 0, oldestAgeMs: 0 };
    const outbox = async () => {
      try {
        lastOutbox = (await sources().outbox?.()) ?? lastOutbox;
      } catch {
        // The store is unreachable: /healthz says so.
      }
      return lastOutbox;
    };
    new Gauge({
      name: 'heed_outbox_depth',
      help: 'Messages Heed owes (acknowledgements, cards, on-call pages, SLA alerts) recorded in the outbox and not yet sent.',
      registers,
      async collect() {
        this.set((await outbox()).unsent);
      },
    });
    new Gauge({
      name: 'heed_outbox_oldest_unsent_seconds',
      help: 'Age of the oldest outbox entry not yet sent (0 when none is waiting).',
      registers,
      async collect() {
        this.set((await outbox()).oldestAgeMs / 1000);
      },
    });
    new Gauge({
      name: 'heed_outbound_queue_depth',
      help: 'Outbound platform calls waiting or in flight, by platform.',
      labelNames: ['platform'] as const,
      registers,
      collect() {
        this.reset();
        for (const [platform, depth] of Object.entries(sources().queueDepth ?? {})) {
          if (depth) this.set({ platform }, depth());
        }
      },
    });
    this.lateness = new Histogram({
      name: 'heed_sla_alert_lateness_seconds',
      help: 'How long after its planned time each SLA alert was sent.',
      buckets: LATENESS_BUCKETS,
      registers,
    });
  }

  /** Tells the scrape-time gauges where to read (merged with what was set before). */
  watch(sources: MetricSources): void {
    this.sources = {
      ...this.sources,
      ...sources,
      queueDepth: { ...this.sources.queueDepth, ...sources.queueDepth },
    };
  }

  /** The metrics in the Prometheus text format 0.0.4 ({@link contentType}). */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  issueSaved(issue: Issue, events: readonly LedgerEvent[]): void {
    for (const event of events) {
      if (event.kind === 'responded' && event.data?.first === true) {
        this.firstResponse.observe({ team: event.team }, Math.max(0, event.at - issue.openedAt) / 1000);
        continue;
      }
      if (event.kind !== 'warned' && event.kind !== 'nagged' && event.kind !== 'escalated') continue;
      // Only what the scheduler fires: `/heed escalate` is a person's escalation, not an SLA alert.
      if (event.actor.platform !== 'heed') continue;
      this.alerts.inc({ kind: ALERT_KIND[event.kind] });
      const repeat = event.data?.repeat;
      if (event.kind === 'nagged' && (repeat === undefined || repeat === 0)) {
        this.breaches.inc({ team: event.team, clock: String(event.data?.clock ?? 'unknown') });
      }
    }
  }

  messageHandled(platform: Platform, outcome: string, seconds: number): void {
    this.handling.observe({ platform, outcome }, seconds);
  }

  caughtUp(platform: Platform, messages: number): void {
    this.backfilled.inc({ platform }, messages);
  }

  slaTicked(report: TickReport): void {
    for (const ms of report.lateness) this.lateness.observe(Math.max(0, ms) / 1000);
  }
}
