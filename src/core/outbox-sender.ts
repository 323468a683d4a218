import { LRUCache } from 'lru-cache';
import type { Issue } from '../domain/issue.ts';
import type { MessageRef } from '../domain/refs.ts';
import { joinRich, type Rich, rich } from '../messages/rich-text.ts';
import type { OutboundMessage } from '../ports/chat-port.ts';
import { safely } from './chat-effects.ts';
import type { Core } from './core.ts';
import { cardMessage } from './intake-messages.ts';
import {
  OUTBOX_MAX_ATTEMPTS,
  type Outbox,
  type OutboxEntry,
  type OutboxKind,
  type OutboxStore,
  type OutboxTarget,
} from './outbox.ts';
import { templateValues } from './presenter.ts';
import { digest } from './sla-alerts.ts';
import { renderTemplate } from './templates.ts';

/** What the sender needs of the core. */
export type OutboxHost = Pick<Core, 'issues' | 'chat' | 'config' | 'observer' | 'logger' | 'onCall'>;

const LATE_NOTE = rich`_Sent late: Heed was interrupted before it could send this._`;
const INTAKE_KINDS: ReadonlySet<string> = new Set(['acknowledgement', 'card', 'page']);
/** For the customer: no note about Heed's interruptions. */
const FOR_CUSTOMER: ReadonlySet<OutboxKind> = new Set(['nudge', 'resolution', 'nps']);
/** What each kind is called in the logs when it cannot be sent. */
const WHAT: Readonly<Record<OutboxKind, string>> = {
  acknowledgement: 'acknowledgement',
  card: 'card',
  page: 'on-call page',
  alert: 'sla alert',
  digest: 'manager digest',
  nudge: 'nudge',
  handoff: 'on-call hand-off',
  resolution: 'resolution notice',
  nps: 'NPS question',
};

/**
 * Sends what the outbox holds and marks it sent right after each message went out. A new issue's
 * acknowledgement and card go out together and their references are stored on the issue in the same
 * transaction that marks them sent; the on-call page follows. SLA alerts for one destination become one
 * message (a digest when several); a manager digest is one message. Whatever fails stays unsent for a
 * later pass; a late pass says so in the message (an acknowledgement apologises with
 * `templates.caughtUp`).
 */
export class OutboxSender implements Outbox {
  /** When each destination last got an SLA alert from this instance (for coalescing). */
  private readonly lastAlertTo = new LRUCache<string, number>({ max: 10_000 });
  /** Times entries are held back until (coalescing), so the scheduler wakes for them. */
  private readonly holds = new Set<number>();

  constructor(
    private readonly core: OutboxHost,
    private readonly store: OutboxStore,
  ) {}

  nextHeldAt(): number | undefined {
    return this.holds.size === 0 ? undefined : Math.min(...this.holds);
  }

  async claimLeftovers(now: number, issueId?: string): Promise<OutboxEntry[]> {
    for (const until of this.holds) if (until <= now) this.holds.delete(until);
    const claimed = await this.store.claimUnsent(
      now,
      (id, problem) => this.core.logger.error({ entry: id, problem }, 'outbox entry is damaged; skipped'),
      issueId,
    );
    for (const entry of claimed.filter((e) => e.attempts >= OUTBOX_MAX_ATTEMPTS)) {
      this.core.logger.error(
        { entry: entry.id, kind: entry.kind, attempts: entry.attempts },
        'last attempt to send an outbox entry; if it fails it stays unsent and Heed stops trying',
      );
    }
    return claimed;
  }

  /** Entries not yet sent, and the age of the oldest (metrics). */
  depth(now: number): Promise<{ unsent: number; oldestAgeMs: number }> {
    return this.store.depth(now);
  }

  /** Drops every claim on unsent entries: for a lone instance at start, whose predecessor is gone. */
  releaseClaims(): Promise<void> {
    return this.store.releaseClaims();
  }

  /**
   * Claims what nobody is sending (never sent, claim lapsed), for one issue or all, and sends it marked
   * late. Returns how many messages went out.
   */
  async sendLeftovers(now: number, issueId?: string): Promise<number> {
    const left = await this.claimLeftovers(now, issueId);
    if (left.length === 0) return 0;
    if (left.some((entry) => entry.late)) {
      this.core.logger.warn(
        { entries: left.length },
        'sending messages recorded earlier but never sent, marked late',
      );
    }
    return this.send(left, now, true);
  }

  /** Sends entries (new ones, or leftovers when `late`); returns how many messages went out. */
  async send(entries: readonly OutboxEntry[], now: number, late: boolean): Promise<number> {
    let sent = 0;
    const intake = new Map<string, OutboxEntry[]>();
    const alerts = new Map<string, OutboxEntry[]>();
    for (const entry of entries) {
      const into = INTAKE_KINDS.has(entry.kind) ? intake : alerts;
      const key = INTAKE_KINDS.has(entry.kind) ? (entry.issueId ?? entry.id) : entry.group;
      into.set(key, [...(into.get(key) ?? []), entry]);
    }
    for (const [issueId, owed] of intake) {
      try {
        const issue = await this.core.issues.get(issueId);
        const lateHere = owed.some((entry) => entry.late ?? late);
        sent += (await this.sendIntake(issue, owed, now, lateHere)).sent;
      } catch (error) {
        // A damaged or unreadable issue: its entries stay unsent, the others still go out.
        this.core.logger.error({ err: error, issueId }, 'could not send what an issue owes; will retry');
      }
    }
    for (const group of alerts.values()) sent += await this.sendGroup(group, now, late);
    return sent;
  }

  private async sendIntake(
    issue: Issue | undefined,
    owed: OutboxEntry[],
    now: number,
    late: boolean,
  ): Promise<{ sent: number; issue: Issue | undefined }> {
    if (!issue) {
      await this.mark(owed, now);
      return { sent: 0, issue };
    }
    const of = (kind: string) => owed.find((entry) => entry.kind === kind);
    const ackEntry = of('acknowledgement');
    const cardEntry = of('card');
    const pageEntry = of('page');
    // Already out (a crash fell between storing the reference and marking): nothing to send again.
    const ackDue = ackEntry && !issue.acknowledgement ? ackEntry : undefined;
    const cardDue = cardEntry && !issue.card ? cardEntry : undefined;
    const [ack, card] = await Promise.all([
      ackDue
        ? this.deliver('acknowledgement', ackDue.target, {
            ...ackDue.message,
            text: late
              ? joinRich(
                  [
                    ackDue.message.text,
                    renderTemplate(
                      this.core.config.templates.caughtUp,
                      templateValues(this.core.config, issue),
                    ),
                  ],
                  ' ',
                )
              : ackDue.message.text,
          })
        : undefined,
      // A card is drawn from the issue as it is now: a late one shows who has claimed it meanwhile.
      cardDue
        ? this.deliver(
            'card',
            cardDue.target,
            cardMessage(this.core.config, this.core.onCall.roster(), issue),
          )
        : undefined,
    ]);
    const done = [
      ...(ackEntry && (ack || !ackDue) ? [ackEntry.id] : []),
      ...(cardEntry && (card || !cardDue) ? [cardEntry.id] : []),
    ];
    let current = issue;
    if (ack || card) {
      current = await this.core.issues.attach(
        issue,
        { ...(ack ? { acknowledgement: ack } : {}), ...(card ? { card } : {}) },
        { ids: done, at: now },
      );
    } else
      await this.mark(
        owed.filter((entry) => done.includes(entry.id)),
        now,
      );
    let sent = (ack ? 1 : 0) + (card ? 1 : 0);
    if (pageEntry) {
      const page = await this.deliver(
        'on-call page',
        pageEntry.target,
        withLateNote(pageEntry.message, late),
      );
      if (page) {
        sent += 1;
        await this.mark([pageEntry], now);
      }
    }
    return { sent, issue: current };
  }

  /**
   * Sends what a new issue owes (its entries from the create) and returns the issue with the stored
   * references of what went out.
   */
  async sendForIssue(issue: Issue, entries: readonly OutboxEntry[], now: number): Promise<Issue> {
    const owed = entries.filter((entry) => INTAKE_KINDS.has(entry.kind) && entry.issueId === issue.id);
    return (await this.sendIntake(issue, owed, now, false)).issue ?? issue;
  }

  /**
   * SLA alerts for one destination (one message, or a digest of several), or a manager digest. Alerts
   * to a destination that got one less than `sla.coalesce` ago wait for the window's end, so what falls
   * due meanwhile goes out with them as one message.
   */
  private async sendGroup(group: OutboxEntry[], now: number, fallbackLate: boolean): Promise<number> {
    const isAlert = group[0]!.kind === 'alert';
    const late = group.some((entry) => entry.late ?? fallbackLate);
    const key = group[0]!.group;
    const last = isAlert ? this.lastAlertTo.get(key) : undefined;
    const window = this.core.config.sla.coalesce;
    if (last !== undefined && window > 0 && now - last < window && !late) {
      const until = last + window;
      await this.store.hold(
        group.map((entry) => entry.id),
        until,
      );
      this.holds.add(until);
      return 0;
    }
    const observer = isAlert ? this.core.observer : {};
    observer.alertStep?.('alert-recorded');
    const lines = group.map((entry) => entry.message.text);
    const single = lines.length === 1;
    const body = single ? lines[0]! : digest(lines);
    const target = group[0]!.target;
    const pings = target.kind === 'post' ? target.pings : [];
    const text = pings.length ? rich`${body}\n${pings.flatMap((p) => rich`${p} `)}` : body;
    const actions = single ? (group[0]!.message.actions ?? []) : [];
    const kind = group[0]!.kind;
    const message = withLateNote(
      actions.length > 0 ? { text, actions } : { text },
      late && !FOR_CUSTOMER.has(kind),
    );
    const what = WHAT[kind];
    if (!(await this.deliver(what, target, message))) return 0;
    if (isAlert) this.lastAlertTo.set(key, now);
    observer.alertStep?.('alert-sent');
    if (await this.mark(group, now)) observer.alertStep?.('alert-marked');
    return 1;
  }

  private deliver(
    what: string,
    target: OutboxTarget,
    message: OutboundMessage,
  ): Promise<MessageRef | undefined> {
    return safely(this.core, what, () =>
      target.kind === 'dm'
        ? this.core.chat.dm(target.user, message)
        : target.kind === 'post'
          ? this.core.chat.post(target.channel, message)
          : this.core.chat.reply(target.conversation, message),
    );
  }

  /** Marks entries sent; a failure means they go out again on a later pass (at least once). */
  private async mark(entries: readonly OutboxEntry[], now: number): Promise<boolean> {
    try {
      await this.store.markSent(
        entries.map((entry) => entry.id),
        now,
      );
      return true;
    } catch (error) {
      this.core.logger.error({ err: error }, 'could not mark messages sent; they may be sent again');
      return false;
    }
  }
}

function withLateNote(message: OutboundMessage, late: boolean): OutboundMessage {
  if (!late) return message;
  const text: Rich = joinRich([message.text, LATE_NOTE], '\n');
  return { ...message, text };
}
