import type { HeedConfig } from '../config/schema.ts';
import { type Coordination, localCoordination } from '../coordination/coordination.ts';
import { Customers } from '../customers/customers.ts';
import type { Access } from '../domain/access.ts';
import { type Issue, issueRef, type Priority } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import type { ChannelRef, ConversationRef, Platform, UserRef } from '../domain/refs.ts';
import { handleMessage } from '../intake/handle-message.ts';
import { resendMissingIntakeEffects } from '../intake/intake-recovery.ts';
import type { Logger } from '../logging/logger.ts';
import { bold, joinRich, type Rich, rich } from '../messages/rich-text.ts';
import type { HeedObserver } from '../observability/observer.ts';
import type { ActionName, ChatPort, FormSpec, IssueCard, OutboundMessage } from '../ports/chat-port.ts';
import type { InboundMessage, IntakeHooks, IntakeOutcome } from '../ports/inbound-port.ts';
import { ratingButtons, ratingOf } from '../satisfaction/rating.ts';
import type { BusinessCalendar } from '../sla/business-time.ts';
import { applySla, runningDeadlines, type SlaContext, snoozeClocks } from '../sla/clocks.ts';
import { formatDuration } from '../sla/duration.ts';
import { buildCalendars } from '../sla/policy.ts';
import { clockKey } from '../sla/sla-state.ts';
import type { HeedDatabase } from '../store/database.ts';
import type { PersonFacts } from './access-resolver.ts';
import { formFor } from './card.ts';
import { issueLog, refreshCard, safely } from './chat-effects.ts';
import type { Clock } from './clock.ts';
import type { Core } from './core.ts';
import { findIssue, issueIn } from './find-issue.ts';
import { IssueRepository, type Saved } from './issue-repository.ts';
import { accessOf, actorFor, cardChannel, managersOf, onCallFor } from './people.ts';
import { customerLabel, type TemplateValues, teamCard, templateValues } from './presenter.ts';
import { SlaScheduler } from './sla-scheduler.ts';
import { renderTemplate } from './templates.ts';

// Intake's types and issue ids now live with the inbound port and the intake; still exported from here.
export { issueIdFor } from '../intake/conversation-keys.ts';
export type { InboundMessage, IntakeHooks, IntakeOutcome } from '../ports/inbound-port.ts';

/** The result of a staff operation: what to tell the person who asked. */
export type OperationResult =
  | { readonly ok: true; readonly issue: Issue; readonly reply: Rich }
  | { readonly ok: false; readonly reply: Rich; readonly code: string };

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

  // ---------------------------------------------------------------- staff operations

  private async operate(
    issue: Issue,
    person: PersonFacts,
    transition: (issue: Issue, actor: lifecycle.Actor, now: number) => lifecycle.Transition,
    effects: (saved: Saved, actor: lifecycle.Actor) => Promise<Rich>,
  ): Promise<OperationResult> {
    const actor = this.actorFor(person);
    const now = this.clock.now();
    const saved = await this.issues.update(issue.id, (current) => transition(current, actor, now));
    const log = this.issueLog(issue);
    if (!('issue' in saved)) {
      log.info({ code: saved.code, actor: person.id }, 'operation refused');
      return { ok: false, reply: saved.message, code: saved.code };
    }
    log.info({ events: saved.events.map((e) => e.kind), actor: person.id }, 'operation applied');
    const reply = await effects(saved, actor);
    await this.refreshCard(saved.issue);
    return { ok: true, issue: saved.issue, reply };
  }

  claim(issue: Issue, person: PersonFacts): Promise<OperationResult> {
    return this.operate(
      issue,
      person,
      lifecycle.claim,
      async ({ issue: i }) => rich`You now own ${bold(issueRef(i))}.`,
    );
  }

  release(issue: Issue, person: PersonFacts, reason?: string): Promise<OperationResult> {
    return this.operate(
      issue,
      person,
      (i, a, now) => lifecycle.release(i, a, now, reason),
      async ({ issue: i }) => {
        const channel = this.cardChannel(i);
        if (channel) {
          await this.safely('release notice', () =>
            this.chat.post(channel, { text: rich`${bold(issueRef(i))} was released and needs a new owner.` }),
          );
        }
        return rich`Released ${bold(issueRef(i))}; the team has been told it needs an owner.`;
      },
    );
  }

  handOff(issue: Issue, person: PersonFacts, target: PersonFacts, reason: string): Promise<OperationResult> {
    const targetRef: UserRef = { platform: target.platform, id: target.id };
    return this.operate(
      issue,
      person,
      (i, a, now) => lifecycle.handOff(i, a, targetRef, this.accessOf(target), reason, now),
      async ({ issue: i }) => {
        await this.safely('hand-off DM', () =>
          this.chat.dm(targetRef, {
            text: rich`${{ t: 'mention', user: { platform: person.platform, id: person.id } }} handed you ${bold(issueRef(i))} from ${this.customerLabel(i)}: ${reason}`,
          }),
        );
        return rich`Handed ${bold(issueRef(i))} to ${targetRef}.`;
      },
    );
  }

  /** A staff reply sent through Heed (`reply` command): relayed to the customer's thread. */
  respond(issue: Issue, person: PersonFacts, message: string): Promise<OperationResult> {
    return this.operate(
      issue,
      person,
      (i, a, now) => lifecycle.respond(i, a, now, 'command'),
      async ({ issue: i }) => {
        const author =
          person.platform === i.conversation.platform
            ? rich`${{ t: 'mention', user: { platform: person.platform, id: person.id } }}`
            : rich`${this.config.teams.find((t) => t.id === i.team)?.name ?? 'Support'}`;
        await this.chat.reply(i.conversation, { text: rich`${author}: ${{ t: 'customer', v: message }}` });
        return rich`Sent to the customer on ${bold(issueRef(i))}.`;
      },
    );
  }

  apologize(issue: Issue, person: PersonFacts, reason: string): Promise<OperationResult> {
    return this.operate(
      issue,
      person,
      (i, a, now) => {
        const breach = i.sla.breaches.at(-1);
        return lifecycle.apologize(
          i,
          a,
          reason,
          now,
          breach ? { sinceBreachMs: now - breach.at, breach: breach.key } : undefined,
        );
      },
      async ({ issue: i }) => {
        await this.safely('apology', () =>
          this.chat.reply(i.conversation, {
            text: renderTemplate(this.config.templates.apology, this.templateValues(i, { reason })),
          }),
        );
        return rich`Apology sent to the customer on ${bold(issueRef(i))}.`;
      },
    );
  }

  resolve(issue: Issue, person: PersonFacts, summary: string): Promise<OperationResult> {
    return this.operate(
      issue,
      person,
      (i, a, now) => lifecycle.resolve(i, a, summary, now),
      async ({ issue: i }) => {
        await this.safely('resolution notice', () =>
          this.chat.reply(i.conversation, {
            text: renderTemplate(this.config.templates.resolution, this.templateValues(i, { summary })),
            // The customer rates each issue once; a resolution after a reopen asks only if not yet rated.
            ...(ratingOf(i) ? {} : { actions: ratingButtons(i) }),
          }),
        );
        return rich`Resolved ${bold(issueRef(i))}. The customer can reply within ${formatDuration(this.config.reopenWindow)} to reopen it.`;
      },
    );
  }

  reopen(issue: Issue, person: PersonFacts, reason: string): Promise<OperationResult> {
    return this.operate(
      issue,
      person,
      (i, a, now) => lifecycle.reopen(i, a, reason, now),
      async ({ issue: i }) => rich`Reopened ${bold(issueRef(i))}.`,
    );
  }

  close(issue: Issue, person: PersonFacts): Promise<OperationResult> {
    return this.operate(
      issue,
      person,
      (i, a, now) => lifecycle.close(i, a, now),
      async ({ issue: i }) => rich`Closed ${bold(issueRef(i))}.`,
    );
  }

  setPriority(
    issue: Issue,
    person: PersonFacts,
    priority: Priority,
    reason?: string,
  ): Promise<OperationResult> {
    return this.operate(
      issue,
      person,
      (i, a, now) => lifecycle.setPriority(i, a, priority, now, reason),
      async ({ issue: i }) => {
        if (priority === 'urgent') await this.pageOnCall(i);
        return rich`${bold(issueRef(i))} is now ${bold(priority)}.`;
      },
    );
  }

  note(issue: Issue, person: PersonFacts, note: string): Promise<OperationResult> {
    return this.operate(
      issue,
      person,
      (i, a, now) => lifecycle.addNote(i, a, note, now),
      async ({ issue: i }) =>
        rich`Note added to ${bold(issueRef(i))} (staff only; the customer does not see it).`,
    );
  }

  snooze(issue: Issue, person: PersonFacts, durationMs: number, reason: string): Promise<OperationResult> {
    return this.operate(
      issue,
      person,
      (i, a, now) => {
        const result = lifecycle.snooze(i, a, durationMs, reason, now);
        return result.ok ? { ...result, issue: snoozeClocks(result.issue, durationMs, now) } : result;
      },
      async ({ issue: i }) => rich`Snoozed ${bold(issueRef(i))} for ${formatDuration(durationMs)}: ${reason}`,
    );
  }

  escalate(issue: Issue, person: PersonFacts, reason: string): Promise<OperationResult> {
    return this.operate(
      issue,
      person,
      (i, a, now) => lifecycle.escalate(i, a, reason, now),
      async ({ issue: i }) => {
        const managers = managersOf(this.config, i);
        const channel = this.cardChannel(i);
        const who = { t: 'mention' as const, user: { platform: person.platform, id: person.id } };
        if (channel) {
          const pings = managers.filter((m) => m.platform === channel.platform);
          await this.safely('escalation post', () =>
            this.chat.post(channel, {
              text: rich`⬆️ ${who} escalated ${bold(issueRef(i))} (${this.customerLabel(i)}): ${reason}${
                pings.length
                  ? rich` — ${joinRich(
                      pings.map((m) => rich`${m}`),
                      ' ',
                    )}`
                  : ''
              }`,
            }),
          );
        }
        for (const manager of managers) {
          await this.safely('escalation DM', () =>
            this.chat.dm(manager, { text: rich`⬆️ ${who} escalated ${bold(issueRef(i))} to you: ${reason}` }),
          );
        }
        return rich`Escalated ${bold(issueRef(i))} to the managers of ${i.team}.`;
      },
    );
  }

  acknowledge(issue: Issue, person: PersonFacts): Promise<OperationResult> {
    return this.operate(
      issue,
      person,
      (i, a, now) => {
        const keys = runningDeadlines(i).map(({ name }) => clockKey(name, i.sla.clocks[name]!));
        const result = lifecycle.acknowledge(i, a, now, keys.join(' '));
        if (!result.ok) return result;
        const acknowledged = [...new Set([...i.sla.acknowledged, ...keys])];
        return { ...result, issue: { ...result.issue, sla: { ...result.issue.sla, acknowledged } } };
      },
      async ({ issue: i }) =>
        rich`Acknowledged ${bold(issueRef(i))}: escalation stops for the current deadline.`,
    );
  }

  private async pageOnCall(issue: Issue): Promise<void> {
    const onCall = onCallFor(this.config, issue);
    if (!onCall) return;
    await this.safely('on-call page', () =>
      this.chat.dm(onCall, {
        text: rich`🚨 ${bold(issueRef(issue))} (${this.customerLabel(issue)}) is now urgent and needs someone.`,
        actions: [{ action: 'claim', issueId: issue.id, label: 'Claim', style: 'primary' }],
      }),
    );
  }

  /** Sends a neutral message; used by commands that answer in public. */
  async post(channel: { platform: Platform; channel: string }, message: OutboundMessage): Promise<void> {
    await this.safely('post', () => this.chat.post(channel, message));
  }
}
