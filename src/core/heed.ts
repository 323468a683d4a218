import type { HeedConfig } from '../config/schema.ts';
import { type Coordination, localCoordination } from '../coordination/coordination.ts';
import { Customers } from '../customers/customers.ts';
import type { Access } from '../domain/access.ts';
import type { Issue } from '../domain/issue.ts';
import type * as lifecycle from '../domain/lifecycle.ts';
import type { ChannelRef, ConversationRef, Platform } from '../domain/refs.ts';
import { handleMessage } from '../intake/handle-message.ts';
import { resendMissingIntakeEffects } from '../intake/intake-recovery.ts';
import type { Logger } from '../logging/logger.ts';
import type { Rich } from '../messages/rich-text.ts';
import type { HeedObserver } from '../observability/observer.ts';
import { claim } from '../operations/claim.ts';
import type { OperationResult } from '../operations/operate.ts';
import { resolve } from '../operations/resolve.ts';
import type { ActionName, ChatPort, FormSpec, IssueCard, OutboundMessage } from '../ports/chat-port.ts';
import type { InboundMessage, IntakeHooks, IntakeOutcome } from '../ports/inbound-port.ts';
import type { BusinessCalendar } from '../sla/business-time.ts';
import { applySla, type SlaContext } from '../sla/clocks.ts';
import { buildCalendars } from '../sla/policy.ts';
import type { HeedDatabase } from '../store/database.ts';
import type { PersonFacts } from './access-resolver.ts';
import { formFor } from './card.ts';
import { issueLog, refreshCard, safely } from './chat-effects.ts';
import type { Clock } from './clock.ts';
import type { Core } from './core.ts';
import { findIssue, issueIn } from './find-issue.ts';
import { IssueRepository } from './issue-repository.ts';
import { accessOf, actorFor, cardChannel } from './people.ts';
import { customerLabel, type TemplateValues, teamCard, templateValues } from './presenter.ts';
import { SlaScheduler } from './sla-scheduler.ts';

// Moved to the inbound port, the intake and the operations; still exported from here for older imports.
export { issueIdFor } from '../intake/conversation-keys.ts';
export type { OperationResult } from '../operations/operate.ts';
export type { InboundMessage, IntakeHooks, IntakeOutcome } from '../ports/inbound-port.ts';

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

/**
 * Heed's platform-neutral core: intake and routing, the issue lifecycle, and the effects each step has
 * on chat (acknowledgements, cards, pings). Adapters feed it neutral events and commands.
 */
export class Heed implements Core {
  readonly issues: IssueRepository;
  readonly config: HeedConfig;
  readonly chat: ChatPort;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The logger Heed was given, for modules that bind their own `module`. */
  readonly rootLogger: Logger;
  private readonly calendars: ReadonlyMap<string, BusinessCalendar>;
  readonly scheduler: SlaScheduler;
  /** Customer profiles: one per person, across platforms. */
  readonly customers: Customers;
  readonly observer: HeedObserver;
  /** What this instance agrees on with the others (or with itself, in embedded mode). */
  readonly coordination: Coordination;

  constructor(deps: HeedDeps) {
    this.observer = deps.observer ?? {};
    this.config = deps.config;
    this.chat = deps.chat;
    this.clock = deps.clock;
    this.rootLogger = deps.logger;
    this.logger = deps.logger.child({ module: 'core' });
    this.calendars = buildCalendars(deps.config);
    const sla: SlaContext = { config: deps.config, calendars: this.calendars };
    this.coordination = deps.coordination ?? localCoordination(() => deps.clock.now());
    this.scheduler = new SlaScheduler(
      this,
      deps.clock,
      this.logger.child({ module: 'sla' }),
      this.coordination.due,
    );
    this.issues = new IssueRepository(
      deps.database,
      this.logger.child({ module: 'issues' }),
      {
        prepare: (before, after) => applySla(before, after, sla),
        saved: (issue, events) => {
          this.scheduler.track(issue.id, issue.sla.nextAlertAt);
          this.observer.issueSaved?.(issue, events);
        },
      },
      this.coordination,
    );
    this.customers = new Customers({
      database: deps.database,
      config: deps.config,
      issues: this.issues,
      logger: this.logger.child({ module: 'customers' }),
      locks: this.coordination.locks,
    });
  }

  /**
   * Loads open issues into memory and their next alerts into the due queue (in shared mode the issues
   * table is the due queue, and other instances' changes keep the summaries current). Call once before
   * handling anything.
   */
  async start(): Promise<void> {
    // Listening first: a change another instance makes during the load is not missed.
    await this.coordination.onAnnouncement(
      (change) => this.issues.applyAnnouncement(change),
      () => {
        this.issues.load().catch((error: unknown) => {
          this.logger.error({ err: error }, 'could not reload open issues after a lost connection');
        });
      },
    );
    const count = await this.issues.load();
    for (const summary of this.issues.listOpen()) this.scheduler.track(summary.id, summary.nextAlertAt);
    this.logger.info(
      { openIssues: count, sla: await this.scheduler.describeNext(), coordination: this.coordination.mode },
      'core ready',
    );
  }

  now(): number {
    return this.clock.now();
  }

  accessOf(person: PersonFacts): Access {
    return accessOf(this.config, person);
  }

  actorFor(person: PersonFacts): lifecycle.Actor {
    return actorFor(this.config, person);
  }

  // ---------------------------------------------------------------- intake (src/intake/)

  /** Handles a message in a customer channel or an issue thread (see `intake/handle-message.ts`). */
  handleMessage(message: InboundMessage, hooks: IntakeHooks = {}): Promise<IntakeOutcome> {
    return handleMessage(this, message, hooks);
  }

  /** A child logger bound to one issue: `{ module, platform, issue }` on every line. */
  issueLog(issue: Pick<Issue, 'number' | 'conversation'>): Logger {
    return issueLog(this, issue);
  }

  /** Sends the acknowledgements and cards a crash cut off (see `intake/intake-recovery.ts`). */
  resendMissingIntakeEffects(newest = 50): Promise<number> {
    return resendMissingIntakeEffects(this, newest);
  }

  cardChannel(issue: Issue): ChannelRef | undefined {
    return cardChannel(this.config, issue);
  }

  // ---------------------------------------------------------------- presentation helpers

  customerLabel(issue: Pick<Issue, 'customer'>): Rich {
    return customerLabel(issue);
  }

  templateValues(issue: Issue, extra: TemplateValues = {}): TemplateValues {
    return templateValues(this.config, issue, extra);
  }

  card(issue: Issue): IssueCard {
    return teamCard(issue);
  }

  /** The form an action's button opens (also for buttons sent before a restart). */
  formFor(issue: Issue, action: ActionName): FormSpec | undefined {
    return formFor(issue, action);
  }

  /** Updates the team card in place after any change. */
  refreshCard(issue: Issue): Promise<void> {
    return refreshCard(this, issue);
  }

  /** Runs a chat effect; a platform failure is logged and never undoes what was stored. */
  safely<T>(what: string, effect: () => Promise<T>): Promise<T | undefined> {
    return safely(this, what, effect);
  }

  // ---------------------------------------------------------------- lookups

  /** Finds an issue from what a person typed: `#42`, `42`, or an issue id. */
  findIssue(reference: string): Promise<Issue | undefined> {
    return findIssue(this, reference);
  }

  issueIn(conversation: ConversationRef | undefined): Promise<Issue | undefined> {
    return issueIn(this, conversation);
  }

  // ---------------------------------------------------------------- staff operations (src/operations/)

  // The two that scripts and tests drive directly; commands and buttons call the operations themselves.

  claim(issue: Issue, person: PersonFacts): Promise<OperationResult> {
    return claim(this, issue, person);
  }

  resolve(issue: Issue, person: PersonFacts, summary: string): Promise<OperationResult> {
    return resolve(this, issue, person, summary);
  }

  /** Sends a neutral message; used by commands that answer in public. */
  async post(channel: { platform: Platform; channel: string }, message: OutboundMessage): Promise<void> {
    await this.safely('post', () => this.chat.post(channel, message));
  }
}
