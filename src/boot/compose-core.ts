import type { HeedConfig } from '../config/schema.ts';
import { type Coordination, localCoordination } from '../coordination/coordination.ts';
import type { Clock } from '../core/clock.ts';
import type { Core } from '../core/core.ts';
import { IssueChanges } from '../core/issue-changes.ts';
import { IssueRepository } from '../core/issue-repository.ts';
import { OutboxStore } from '../core/outbox.ts';
import { OutboxSender } from '../core/outbox-sender.ts';
import { PeopleNames } from '../core/people-names.ts';
import { SlaScheduler } from '../core/sla-scheduler.ts';
import { Customers } from '../customers/customers.ts';
import { DashboardSignIn } from '../dashboard/sign-in.ts';
import type { Logger } from '../logging/logger.ts';
import type { HeedObserver } from '../observability/observer.ts';
import { OnCall } from '../oncall/on-call.ts';
import type { ChatPort } from '../ports/chat-port.ts';
import { applySla, type SlaContext } from '../sla/clocks.ts';
import { buildCalendars } from '../sla/policy.ts';
import type { HeedDatabase } from '../store/database.ts';

/** What the core is built from. */
export interface HeedDeps {
  readonly config: HeedConfig;
  readonly database: HeedDatabase;
  readonly chat: ChatPort;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Told about stored changes, handled messages and SLA ticks (the metrics). */
  readonly observer?: HeedObserver | undefined;
  /** Shared mode's coordination engine; embedded mode coordinates in memory. */
  readonly coordination?: Coordination | undefined;
}

/** The core's parts, wired: what the core works with, its SLA scheduler, and its coordination. */
export interface ComposedCore {
  readonly core: Core;
  readonly scheduler: SlaScheduler;
  /** What this instance agrees on with the others (or with itself, in embedded mode). */
  readonly coordination: Coordination;
  /** Messages owed and not yet marked sent. */
  readonly outbox: OutboxSender;
  /** Told of every issue change, local or announced (the Slack App Home refreshes from it). */
  readonly changes: IssueChanges;
}

/**
 * Builds the core from its dependencies: the issue repository (which applies the SLA clocks to every
 * change and tells the scheduler when each issue next needs attention), customer profiles, and the SLA
 * scheduler (which reads and updates issues through the core).
 */
export function composeCore(deps: HeedDeps): ComposedCore {
  const observer = deps.observer ?? {};
  const logger = deps.logger.child({ module: 'core' });
  const sla: SlaContext = { config: deps.config, calendars: buildCalendars(deps.config) };
  const coordination = deps.coordination ?? localCoordination(() => deps.clock.now());
  const changes = new IssueChanges(logger);
  const issues = new IssueRepository(
    deps.database,
    deps.logger.child({ module: 'issues' }),
    {
      prepare: (before, after) => applySla(before, after, sla),
      saved: (issue, events) => {
        scheduler.track(issue.id, issue.sla.nextAlertAt);
        observer.issueSaved?.(issue, events);
        changes.changed({ issueId: issue.id, team: issue.team });
      },
    },
    coordination,
  );
  const customers = new Customers({
    database: deps.database,
    config: deps.config,
    issues,
    logger: deps.logger.child({ module: 'customers' }),
    locks: coordination.locks,
  });
  const onCall = new OnCall(
    deps.config,
    deps.database,
    () => deps.clock.now(),
    deps.logger.child({ module: 'on-call' }),
  );
  const outbox = new OutboxSender(
    {
      onCall,
      issues,
      chat: deps.chat,
      config: deps.config,
      observer,
      logger: deps.logger.child({ module: 'outbox' }),
    },
    new OutboxStore(deps.database, coordination.instanceId),
  );
  const people = new PeopleNames(
    deps.database,
    () => deps.clock.now(),
    deps.logger.child({ module: 'people' }),
  );
  const core: Core = {
    dashboard: new DashboardSignIn(deps.database, deps.clock),
    people,
    onCall,
    config: deps.config,
    issues,
    customers,
    chat: deps.chat,
    clock: deps.clock,
    logger,
    rootLogger: deps.logger,
    observer,
    outbox,
  };
  const scheduler = new SlaScheduler(
    core,
    deps.clock,
    deps.logger.child({ module: 'sla' }),
    coordination.due,
  );
  return { core, scheduler, coordination, outbox, changes };
}

/**
 * Loads open issues into memory and their next alerts into the due queue (in shared mode the issues
 * table is the due queue, and other instances' changes keep the summaries current). Call once before
 * handling anything.
 */
export async function loadCore({
  core,
  scheduler,
  coordination,
  outbox,
  changes,
}: ComposedCore): Promise<void> {
  // Listening first: a change another instance makes during the load is not missed.
  await coordination.onAnnouncement(
    (change) => {
      core.issues.applyAnnouncement(change);
      const team = (change.summary as { team?: unknown } | undefined)?.team;
      changes.changed({ issueId: change.id, team: typeof team === 'string' ? team : undefined });
    },
    () => {
      core.issues.load().catch((error: unknown) => {
        core.logger.error({ err: error }, 'could not reload open issues after a lost connection');
      });
    },
  );
  // Embedded mode has one process: what an earlier one claimed and never sent is this one's to send now
  // (the scheduler's first tick sends it, marked late). In shared mode such claims lapse by themselves.
  if (coordination.mode === 'local') await outbox.releaseClaims();
  await core.onCall.refresh();
  const count = await core.issues.load();
  for (const summary of core.issues.listOpen()) scheduler.track(summary.id, summary.nextAlertAt);
  core.logger.info(
    { openIssues: count, sla: await scheduler.describeNext(), coordination: coordination.mode },
    'core ready',
  );
}
