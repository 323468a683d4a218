import { formFor } from '../actions/registry.ts';
import { refusalBeforeForm, runAction } from '../actions/run-action.ts';
import { runCommand, suggestFor } from '../commands/run-command.ts';
import type { HeedConfig } from '../config/schema.ts';
import type { Coordination } from '../coordination/coordination.ts';
import type { Clock } from '../core/clock.ts';
import type { Core } from '../core/core.ts';
import { findIssue } from '../core/find-issue.ts';
import type { IssueChanges } from '../core/issue-changes.ts';
import type { IssueRepository } from '../core/issue-repository.ts';
import type { OutboxSender } from '../core/outbox-sender.ts';
import type { PeopleNames } from '../core/people-names.ts';
import type { SlaScheduler } from '../core/sla-scheduler.ts';
import type { Customers } from '../customers/customers.ts';
import type { DashboardSignIn } from '../dashboard/sign-in.ts';
import type { Issue } from '../domain/issue.ts';
import type { Platform } from '../domain/refs.ts';
import { loadHomePage } from '../home/load-home.ts';
import { type CatchUpReport, catchUp } from '../intake/catch-up.ts';
import { handleMessage } from '../intake/handle-message.ts';
import { messageChanged } from '../intake/message-change.ts';
import type { Logger } from '../logging/logger.ts';
import type { HeedObserver } from '../observability/observer.ts';
import type { OnCall } from '../oncall/on-call.ts';
import { claim } from '../operations/claim.ts';
import type { OperationResult } from '../operations/operate.ts';
import { resolve } from '../operations/resolve.ts';
import type { ActionName, ChatPort, FormSpec } from '../ports/chat-port.ts';
import type { HomePage, IssueChangeNotice } from '../ports/home-page.ts';
import type {
  ActionRequest,
  ChangeOutcome,
  CommandReply,
  CommandRequest,
  HistoryPort,
  InboundMessage,
  InboundPort,
  IntakeHooks,
  IntakeOutcome,
  MessageChange,
  PersonFacts,
  Suggestion,
  SuggestRequest,
} from '../ports/inbound-port.ts';
import { composeCore, type HeedDeps, loadCore } from './compose-core.ts';

export type { HeedDeps } from './compose-core.ts';

/**
 * Heed's core, composed from its dependencies (`composeCore`) and offered as the inbound port. Adapters
 * see it only as an {@link InboundPort}; intake, operations, commands and schedulers take it as the
 * {@link Core} they work with; `startCore`, the bench and tests construct it.
 */
export class Heed implements Core, InboundPort {
  readonly config: HeedConfig;
  readonly issues: IssueRepository;
  readonly customers: Customers;
  readonly chat: ChatPort;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly rootLogger: Logger;
  readonly observer: HeedObserver;
  readonly scheduler: SlaScheduler;
  readonly coordination: Coordination;
  /** Messages owed (acknowledgements, cards, pages, SLA alerts): sent after each change, again if cut off. */
  readonly outbox: OutboxSender;
  readonly people: PeopleNames;
  readonly onCall: OnCall;
  readonly dashboard: DashboardSignIn;
  /** Told of every issue change, local or announced. */
  readonly changes: IssueChanges;
  /** Per platform: the catch-up pass running, and one more queued behind it (see {@link catchUp}). */
  private readonly catchUps = new Map<
    Platform,
    { running: Promise<CatchUpReport>; queued?: Promise<CatchUpReport> }
  >();

  constructor(deps: HeedDeps) {
    const { core, scheduler, coordination, outbox, changes } = composeCore(deps);
    this.changes = changes;
    this.config = core.config;
    this.issues = core.issues;
    this.customers = core.customers;
    this.chat = core.chat;
    this.clock = core.clock;
    this.logger = core.logger;
    this.rootLogger = core.rootLogger;
    this.observer = core.observer;
    this.scheduler = scheduler;
    this.coordination = coordination;
    this.outbox = outbox;
    this.people = core.people;
    this.onCall = core.onCall;
    this.dashboard = core.dashboard;
  }

  /** Loads open issues and their next alerts. Call once before handling anything. */
  start(): Promise<void> {
    return loadCore({
      core: this,
      scheduler: this.scheduler,
      coordination: this.coordination,
      outbox: this.outbox,
      changes: this.changes,
    });
  }

  async handleMessage(message: InboundMessage, hooks?: IntakeHooks): Promise<IntakeOutcome> {
    const outcome = await handleMessage(this, message, hooks);
    // After the message is stored and answered: a name is a courtesy, never on the acknowledgement's path.
    const { id, name, isBot } = message.author;
    if (name && !isBot) await this.people.remember({ platform: message.platform, id, name, strong: true });
    return outcome;
  }

  messageChanged(change: MessageChange): Promise<ChangeOutcome> {
    return messageChanged(this, change);
  }

  async runCommand(request: CommandRequest): Promise<CommandReply> {
    const reply = await runCommand(this, request);
    await this.rememberWeakly(request.person);
    return reply;
  }

  async suggest(request: SuggestRequest): Promise<readonly Suggestion[]> {
    return suggestFor(this, request);
  }

  async runAction(request: ActionRequest): Promise<CommandReply> {
    const reply = await runAction(this, request);
    await this.rememberWeakly(request.person);
    return reply;
  }

  private async rememberWeakly(person: PersonFacts): Promise<void> {
    if (person.name) {
      await this.people.remember({
        platform: person.platform,
        id: person.id,
        name: person.name,
        strong: false,
      });
    }
  }

  refusalBeforeForm(request: Omit<ActionRequest, 'fields'>): Promise<CommandReply | undefined> {
    return refusalBeforeForm(this, request);
  }

  homePage(person: PersonFacts): Promise<HomePage> {
    return loadHomePage(this, person);
  }

  onIssueChanged(listener: (change: IssueChangeNotice) => void): () => void {
    return this.changes.listen(listener);
  }

  issueById(id: string): Promise<Issue | undefined> {
    return this.issues.get(id);
  }

  formFor(issue: Issue, action: ActionName): FormSpec | undefined {
    return formFor(issue, action, this.config);
  }

  intakeChannels(platform: Platform): readonly string[] {
    return this.config.intake.filter((i) => i.platform === platform).map((i) => i.channel);
  }

  /**
   * Reads back what customers wrote while Heed was not listening on the history's platform (see
   * `intake/catch-up.ts`). One pass per platform at a time; a request during a pass runs one more after
   * it (the gap it reports may be newer), and further requests share that one.
   */
  catchUp(history: HistoryPort, reason: string): Promise<CatchUpReport> {
    const { platform } = history;
    const current = this.catchUps.get(platform);
    if (current?.queued) return current.queued;
    const run = () => catchUp(this, history, reason);
    const settle = (entry: { running: Promise<CatchUpReport> }) => {
      void entry.running
        .catch(() => undefined)
        .then(() => {
          const now = this.catchUps.get(platform);
          if (now?.running !== entry.running) return;
          if (now.queued) {
            const next = { running: now.queued };
            this.catchUps.set(platform, next);
            settle(next);
          } else this.catchUps.delete(platform);
        });
    };
    if (!current) {
      const entry = { running: run() };
      this.catchUps.set(platform, entry);
      settle(entry);
      return entry.running;
    }
    const queued = current.running.catch(() => undefined).then(run);
    current.queued = queued;
    return queued;
  }

  /** Resolves once no catch-up pass is running or queued (tests and the demo wait for the first ones). */
  async caughtUp(): Promise<void> {
    for (;;) {
      const pending = [...this.catchUps.values()].map((entry) => entry.queued ?? entry.running);
      if (pending.length === 0) return;
      await Promise.allSettled(pending);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Finds an issue from what a person typed: `#42`, `42`, or an issue id. */
  findIssue(reference: string): Promise<Issue | undefined> {
    return findIssue(this, reference);
  }

  /**
   * Sends what the outbox holds that nobody is sending (a crash or a platform outage cut it off), marked
   * late; the scheduler's ticks do the same. Returns how many messages went out.
   */
  sendOwed(): Promise<number> {
    return this.outbox.sendLeftovers(this.clock.now());
  }

  // Two operations scripts and tests drive directly; every operation is a function in src/operations/.

  claim(issue: Issue, person: PersonFacts): Promise<OperationResult> {
    return claim(this, issue, person);
  }

  resolve(issue: Issue, person: PersonFacts, summary: string): Promise<OperationResult> {
    return resolve(this, issue, person, summary);
  }
}
