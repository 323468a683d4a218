import { createHash } from 'node:crypto';
import type { HeedConfig } from '../config/schema.ts';
import { type Coordination, localCoordination } from '../coordination/coordination.ts';
import { Customers } from '../customers/customers.ts';
import { type Access, isAnyStaff, isStaffOf } from '../domain/access.ts';
import { type Issue, issueRef, type Priority } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import type { ChannelRef, ConversationRef, Platform, UserRef } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import { bold, joinRich, type Rich, rich, truncate } from '../messages/rich-text.ts';
import type { HeedObserver } from '../observability/observer.ts';
import type { ActionName, ChatPort, FormSpec, IssueCard, OutboundMessage } from '../ports/chat-port.ts';
import { detectTier } from '../routing/detect-tier.ts';
import { routeIssue } from '../routing/route-issue.ts';
import { ratingButtons, ratingOf } from '../satisfaction/rating.ts';
import type { BusinessCalendar } from '../sla/business-time.ts';
import { applySla, runningDeadlines, type SlaContext, snoozeClocks } from '../sla/clocks.ts';
import { formatDuration } from '../sla/duration.ts';
import { buildCalendars } from '../sla/policy.ts';
import { clockKey, EMPTY_SLA } from '../sla/sla-state.ts';
import type { HeedDatabase } from '../store/database.ts';
import { onCallOf, type PersonFacts } from './access-resolver.ts';
import { formFor } from './card.ts';
import { issueLog, refreshCard, safely } from './chat-effects.ts';
import type { Clock } from './clock.ts';
import type { Core } from './core.ts';
import { findIssue, issueIn } from './find-issue.ts';
import { IssueRepository, type Saved } from './issue-repository.ts';
import { accessOf, actorFor, cardChannel, managersOf, onCallFor } from './people.ts';
import {
  acknowledgementText,
  customerLabel,
  type TemplateValues,
  teamCard,
  templateValues,
} from './presenter.ts';
import { SlaScheduler } from './sla-scheduler.ts';
import { renderTemplate } from './templates.ts';

/** A message someone wrote in a channel Heed watches, as the adapter saw it. */
export interface InboundMessage {
  readonly platform: Platform;
  /** The channel (for Discord threads: the parent channel). */
  readonly channel: string;
  /** Thread root id (Slack `thread_ts`; Discord thread channel id), unset for a top-level message. */
  readonly thread?: string | undefined;
  readonly messageId: string;
  readonly text: string;
  readonly at: number;
  readonly author: {
    readonly id: string;
    readonly name?: string | undefined;
    readonly organisation?: string | undefined;
    readonly teamId?: string | undefined;
    readonly roles?: readonly string[] | undefined;
    readonly email?: string | undefined;
    readonly isBot?: boolean | undefined;
  };
}

export type IntakeOutcome =
  | { readonly kind: 'opened'; readonly issue: Issue }
  | { readonly kind: 'appended'; readonly issue: Issue }
  | { readonly kind: 'reopened'; readonly issue: Issue }
  | { readonly kind: 'response'; readonly issue: Issue }
  | { readonly kind: 'duplicate'; readonly issue: Issue }
  | { readonly kind: 'ignored'; readonly reason: string };

/** Told during intake: `stored` once the message is safely persisted (before chat effects). */
export interface IntakeHooks {
  readonly stored?: () => void;
}

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

/** Stable issue id for the message that opened it, so a redelivered message finds the same issue. */
export function issueIdFor(platform: Platform, channel: string, rootMessageId: string): string {
  return createHash('sha256')
    .update(`${platform}:${channel}:${rootMessageId}`)
    .digest('base64url')
    .slice(0, 20);
}

const SUBJECT_LENGTH = 2000;

/** The lock of one conversation (a thread and the message that started it): intake runs under it. */
function conversationLock(platform: Platform, channel: string, root: string): string {
  return `conversation:${platform}:${channel}:${root}`;
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

  // ---------------------------------------------------------------- intake

  /**
   * Handles a message in a customer channel or an issue thread. Persists before any chat effect, and says
   * so through `hooks.stored` (the Slack adapter answers Slack then, while the acknowledgement and card are
   * still being sent; `resendMissingIntakeEffects` finishes what a crash cut off).
   */
  async handleMessage(message: InboundMessage, hooks: IntakeHooks = {}): Promise<IntakeOutcome> {
    const started = performance.now();
    let outcome: IntakeOutcome | undefined;
    try {
      outcome = await this.intake(message, hooks);
      if ('issue' in outcome)
        this.issueLog(outcome.issue).debug({ outcome: outcome.kind }, 'message handled');
      return outcome;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.observer.messageHandled?.(message.platform, outcome?.kind ?? 'error', seconds);
    }
  }

  /** A child logger bound to one issue: `{ module, platform, issue }` on every line. */
  issueLog(issue: Pick<Issue, 'number' | 'conversation'>): Logger {
    return issueLog(this, issue);
  }

  private async intake(message: InboundMessage, hooks: IntakeHooks): Promise<IntakeOutcome> {
    if (message.author.isBot) return { kind: 'ignored', reason: 'bot message' };
    const lockKey = conversationLock(message.platform, message.channel, message.thread ?? message.messageId);
    return this.issues.withLock(lockKey, async () => {
      if (message.thread) {
        const existing = await this.issues.getByConversation({
          platform: message.platform,
          channel: message.channel,
          thread: message.thread,
        });
        if (existing) return this.threadMessage(existing, message, hooks);
      }
      const intake = this.config.intake.find(
        (i) => i.platform === message.platform && i.channel === message.channel,
      );
      if (!intake) return { kind: 'ignored', reason: 'not a customer channel' };
      if (isAnyStaff(this.accessOf({ ...message.author, platform: message.platform }))) {
        return { kind: 'ignored', reason: 'staff message outside an issue thread' };
      }
      const id = issueIdFor(message.platform, message.channel, message.messageId);
      const already = await this.issues.get(id);
      if (already) {
        hooks.stored?.();
        await this.ensureIntakeEffects(already);
        return { kind: 'duplicate', issue: already };
      }
      const opened = await this.openIssue(id, message, hooks);
      return { kind: 'opened', issue: opened };
    });
  }

  private async threadMessage(
    issue: Issue,
    message: InboundMessage,
    hooks: IntakeHooks,
  ): Promise<IntakeOutcome> {
    const person: PersonFacts = {
      platform: message.platform,
      id: message.author.id,
      roles: message.author.roles,
    };
    const access = this.accessOf(person);
    if (issue.seenMessages.includes(message.messageId)) {
      hooks.stored?.();
      return { kind: 'duplicate', issue };
    }
    if (isStaffOf(access, issue.team)) {
      const saved = await this.issues.update(issue.id, (current) => {
        const result = lifecycle.respond(
          current,
          { user: { platform: person.platform, id: person.id }, access },
          message.at,
          'thread',
        );
        return result.ok
          ? {
              ...result,
              issue: {
                ...result.issue,
                seenMessages: [...current.seenMessages, message.messageId].slice(-50),
              },
            }
          : result;
      });
      if (!('issue' in saved)) return { kind: 'ignored', reason: 'refused' };
      hooks.stored?.();
      await this.refreshCard(saved.issue);
      return { kind: 'response', issue: saved.issue };
    }
    if (isAnyStaff(access)) return { kind: 'ignored', reason: 'staff of another team' };
    const now = message.at;
    const insideWindow = issue.resolvedAt !== undefined && now - issue.resolvedAt <= this.config.reopenWindow;
    if ((issue.status === 'resolved' && !insideWindow) || issue.status === 'closed') {
      return this.followUpIssue(issue, message, hooks);
    }
    const saved = await this.issues.update(issue.id, (current) =>
      lifecycle.customerWrote(current, message.messageId, now, insideWindow),
    );
    if (!('issue' in saved)) return { kind: 'duplicate', issue };
    await this.customers.contacted({ ...message.author, platform: message.platform, at: message.at });
    hooks.stored?.();
    const reopened = saved.events.some((e) => e.kind === 'reopened');
    await this.refreshCard(saved.issue);
    if (reopened) {
      await this.safely('reopen notice', async () => {
        await this.chat.reply(saved.issue.conversation, {
          text: renderTemplate(this.config.templates.reopened, this.templateValues(saved.issue)),
        });
        if (saved.issue.owner) {
          await this.chat.dm(saved.issue.owner, {
            text: rich`${bold(issueRef(saved.issue))} was reopened: ${this.customerLabel(saved.issue)} wrote again after it was resolved.`,
          });
        }
      });
      return { kind: 'reopened', issue: saved.issue };
    }
    return { kind: 'appended', issue: saved.issue };
  }

  /** After the reopen window a customer writing in an old thread gets a new issue linked to the old one. */
  private async followUpIssue(
    previous: Issue,
    message: InboundMessage,
    hooks: IntakeHooks,
  ): Promise<IntakeOutcome> {
    const id = issueIdFor(message.platform, message.channel, message.messageId);
    const already = await this.issues.get(id);
    if (already) return { kind: 'duplicate', issue: already };
    const opened = await this.openIssue(id, message, hooks, previous);
    return { kind: 'opened', issue: opened };
  }

  private async openIssue(
    id: string,
    message: InboundMessage,
    hooks: IntakeHooks,
    previous?: Issue,
  ): Promise<Issue> {
    const tier = detectTier(this.config, { ...message.author, platform: message.platform });
    const route = routeIssue(this.config, {
      platform: message.platform,
      channel: message.channel,
      text: message.text,
      tier,
    });
    const conversation: ConversationRef = previous
      ? previous.conversation
      : { platform: message.platform, channel: message.channel, thread: message.thread ?? message.messageId };
    const profile = await this.customers.beforeOpening({
      ...message.author,
      platform: message.platform,
      at: message.at,
    });
    const { issue } = await this.issues.create((number) => ({
      issue: {
        v: 1,
        id,
        number,
        status: 'new',
        priority: route.priority,
        team: route.team,
        customer: {
          platform: message.platform,
          id: message.author.id,
          ...(message.author.name ? { name: message.author.name } : {}),
          ...(message.author.organisation ? { organisation: message.author.organisation } : {}),
          ...(tier ? { tier } : {}),
          ...profile,
        },
        conversation,
        subject: truncate(message.text, SUBJECT_LENGTH),
        routedBy: route.reason,
        openedAt: message.at,
        updatedAt: message.at,
        lastCustomerMessageAt: message.at,
        ...(previous ? { previousIssueId: previous.id } : {}),
        notes: [],
        seenMessages: [message.messageId],
        revision: 0,
        sla: EMPTY_SLA,
        history: [],
      },
      events: [
        {
          kind: 'opened',
          actor: { platform: message.platform, id: message.author.id },
          ...(previous ? { data: { followUpOf: previous.number } } : {}),
        },
        {
          kind: 'routed',
          actor: { platform: 'heed', id: 'heed' },
          reason: route.reason,
          data: { team: route.team, priority: route.priority },
        },
      ],
    }));
    await this.customers.afterOpening(issue);
    hooks.stored?.();
    this.issueLog(issue).info({ team: issue.team, priority: issue.priority }, 'issue opened');
    return this.ensureIntakeEffects(issue);
  }

  /**
   * Sends the acknowledgement and card still owed by the newest issues: the platform was told a message
   * was stored as soon as it was, so a crash before these went out would otherwise leave them unsent.
   * Called once the adapters are up.
   */
  async resendMissingIntakeEffects(newest = 50): Promise<number> {
    let sent = 0;
    const last = await this.issues.lastIssueNumber();
    for (let number = last; number > Math.max(0, last - newest); number -= 1) {
      const issue = await this.issues.getByNumber(number).catch(() => undefined);
      if (!issue || issue.status === 'closed' || (issue.acknowledgement && issue.card)) continue;
      const { platform, channel, thread } = issue.conversation;
      await this.issues.withLock(conversationLock(platform, channel, thread ?? ''), async () => {
        const fresh = await this.issues.get(issue.id);
        if (!fresh || (fresh.acknowledgement && fresh.card)) return;
        this.issueLog(fresh).warn('sending the acknowledgement or card a restart cut off');
        await this.ensureIntakeEffects(fresh);
        sent += 1;
      });
    }
    return sent;
  }

  /**
   * Sends what a new issue owes: the customer acknowledgement, the team card and, for urgent issues, the
   * on-call page. Each is sent once; their references are stored so a retry only sends what is missing.
   */
  private async ensureIntakeEffects(issue: Issue): Promise<Issue> {
    let current = issue;
    const channel = current.card ? undefined : this.cardChannel(current);
    const onCall =
      channel && current.priority === 'urgent'
        ? onCallOf(this.config, current.team, channel.platform)
        : undefined;
    // Both go out at once (different channels), then one change stores both references.
    const [ack, card] = await Promise.all([
      current.acknowledgement
        ? undefined
        : this.safely('acknowledgement', () =>
            this.chat.reply(current.conversation, { text: acknowledgementText(this.config, current) }),
          ),
      channel
        ? this.safely('card', () =>
            this.chat.post(channel, {
              text: rich`${current.priority === 'urgent' ? '🚨 Urgent ' : 'New '}issue ${bold(issueRef(current))} from ${this.customerLabel(current)}${onCall ? rich` — ${onCall}, you are on call` : ''}`,
              card: teamCard(current),
            }),
          )
        : undefined,
    ]);
    if (ack || card) {
      current = await this.patch(current.id, (i) => ({
        ...i,
        ...(ack ? { acknowledgement: ack } : {}),
        ...(card ? { card } : {}),
      }));
    }
    if (card && onCall) {
      await this.safely('on-call page', () =>
        this.chat.dm(onCall, {
          text: rich`🚨 Urgent ${bold(issueRef(current))} from ${this.customerLabel(current)} needs someone now: ${{ t: 'customer', v: truncate(current.subject, 300) }}`,
          actions: [{ action: 'claim', issueId: current.id, label: 'Claim', style: 'primary' }],
        }),
      );
    }
    return current;
  }

  /** Stores adapter references (ack, card) without a ledger entry. */
  private async patch(id: string, change: (issue: Issue) => Issue): Promise<Issue> {
    const saved = await this.issues.update(id, (issue) => ({
      ok: true as const,
      issue: change(issue),
      events: [],
    }));
    return (saved as Saved).issue;
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
