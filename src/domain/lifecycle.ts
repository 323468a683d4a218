import { code, type Rich, rich } from '../messages/rich-text.ts';
import { type Access, isManagerOf, isStaffOf } from './access.ts';
import { MESSAGE_TEXT_KEPT } from './customer-messages.ts';
import { type Issue, type IssueStatus, issueRef, type Priority } from './issue.ts';
import type { LedgerDraft } from './ledger.ts';
import { type ActorRef, sameUser, type UserRef } from './refs.ts';

/** A person acting on an issue, with what the config lets them do. */
export interface Actor {
  readonly user: UserRef;
  readonly access: Access;
}

export type Transition =
  | { readonly ok: true; readonly issue: Issue; readonly events: readonly LedgerDraft[] }
  | { readonly ok: false; readonly code: RefusalCode; readonly message: Rich };

export type RefusalCode =
  | 'not-staff'
  | 'not-owner'
  | 'already-owner'
  | 'owned-by-other'
  | 'not-active'
  | 'not-resolved'
  | 'no-owner'
  | 'same-priority'
  | 'target-not-staff'
  | 'duplicate'
  | 'not-customer'
  | 'already-rated'
  | 'not-asked'
  | 'already-answered'
  | 'unknown-message'
  | 'unchanged';

type Result = Transition;

function refuse(code: RefusalCode, message: Rich): Result {
  return { ok: false, code, message };
}

function done(issue: Issue, now: number, ...events: LedgerDraft[]): Result {
  return { ok: true, issue: { ...issue, updatedAt: now }, events };
}

function actorOf(user: UserRef): ActorRef {
  return { platform: user.platform, id: user.id };
}

function requireStaff(issue: Issue, actor: Actor): Result | undefined {
  if (isStaffOf(actor.access, issue.team)) return undefined;
  return refuse('not-staff', rich`Only staff of team "${issue.team}" can do that on ${issueRef(issue)}.`);
}

function requireActive(issue: Issue, verb: string): Result | undefined {
  if (issue.status === 'resolved' || issue.status === 'closed') {
    return refuse(
      'not-active',
      rich`${issueRef(issue)} is ${issue.status}, so it cannot be ${verb}. Reopen it first with ${code(`/heed reopen ${issueRef(issue)} <reason>`)}.`,
    );
  }
  return undefined;
}

/** Owner, a manager of the team, or any staff member while nobody owns the issue. */
function requireOwnerOrManager(issue: Issue, actor: Actor, verb: string): Result | undefined {
  const staff = requireStaff(issue, actor);
  if (staff) return staff;
  if (!issue.owner || sameUser(issue.owner, actor.user) || isManagerOf(actor.access, issue.team))
    return undefined;
  return refuse(
    'not-owner',
    rich`${issueRef(issue)} belongs to ${issue.owner}; only they or a manager of "${issue.team}" can ${verb} it. Ask them, or ask for a hand-off.`,
  );
}

export function claim(issue: Issue, actor: Actor, now: number): Result {
  const refused = requireStaff(issue, actor) ?? requireActive(issue, 'claimed');
  if (refused) return refused;
  if (sameUser(issue.owner, actor.user))
    return refuse('already-owner', rich`${issueRef(issue)} is already yours.`);
  if (issue.owner) {
    return refuse(
      'owned-by-other',
      rich`${issueRef(issue)} is already claimed by ${issue.owner}. Ask them to hand it off (${code(`/heed handoff ${issueRef(issue)} <user> <reason>`)}).`,
    );
  }
  const status: IssueStatus = issue.status === 'waiting' ? 'waiting' : 'claimed';
  return done({ ...issue, owner: actor.user, status }, now, { kind: 'claimed', actor: actorOf(actor.user) });
}

export function release(issue: Issue, actor: Actor, now: number, reason?: string): Result {
  const refused = requireStaff(issue, actor) ?? requireActive(issue, 'released');
  if (refused) return refused;
  if (!issue.owner) return refuse('no-owner', rich`${issueRef(issue)} has no owner to release.`);
  const permitted = requireOwnerOrManager(issue, actor, 'release');
  if (permitted) return permitted;
  const { owner: previous, ...rest } = issue;
  const status: IssueStatus = issue.status === 'waiting' ? 'waiting' : 'new';
  return done({ ...rest, status }, now, {
    kind: 'released',
    actor: actorOf(actor.user),
    ...(reason ? { reason } : {}),
    data: { previousOwner: previous.id },
  });
}

/** `targetAccess` is what the receiving person may do; they must be staff of the issue's team. */
export function handOff(
  issue: Issue,
  actor: Actor,
  target: UserRef,
  targetAccess: Access,
  reason: string,
  now: number,
): Result {
  const refused =
    requireStaff(issue, actor) ??
    requireActive(issue, 'handed off') ??
    requireOwnerOrManager(issue, actor, 'hand off');
  if (refused) return refused;
  if (!isStaffOf(targetAccess, issue.team)) {
    return refuse(
      'target-not-staff',
      rich`${target} is not on team "${issue.team}", so ${issueRef(issue)} cannot be handed to them.`,
    );
  }
  if (sameUser(issue.owner, target))
    return refuse('already-owner', rich`${issueRef(issue)} already belongs to ${target}.`);
  const status: IssueStatus = issue.status === 'waiting' ? 'waiting' : 'claimed';
  return done({ ...issue, owner: target, status }, now, {
    kind: 'handed-off',
    actor: actorOf(actor.user),
    reason,
    data: { from: issue.owner?.id ?? null, to: target.id },
  });
}

/**
 * A staff member answered the customer (in the thread or with `reply`). Stops the first-response clock,
 * claims an unowned issue for the responder, and leaves the issue waiting on the customer.
 */
/**
 * A staff answer to the customer: in the thread, by `/heed reply`, or a saved reply (`savedReply`: its id
 * and whether the person edited it, recorded in the ledger for the saved-reply report).
 */
export function respond(
  issue: Issue,
  actor: Actor,
  now: number,
  via: 'thread' | 'command' | 'saved-reply',
  savedReply?: { readonly id: string; readonly edited: boolean },
  text?: string,
): Result {
  const refused = requireStaff(issue, actor);
  if (refused) return refused;
  const events: LedgerDraft[] = [];
  let next: Issue = { ...issue, lastResponseAt: now };
  if (next.firstResponseAt === undefined) next.firstResponseAt = now;
  if (!next.owner && (issue.status === 'new' || issue.status === 'reopened')) {
    next.owner = actor.user;
    events.push({ kind: 'claimed', actor: actorOf(actor.user), reason: 'replied to the customer' });
  }
  events.push({
    kind: 'responded',
    actor: actorOf(actor.user),
    // What was said, for transcripts (capped as customer messages are; the retention purge clears it).
    ...(text ? { reason: text.slice(0, MESSAGE_TEXT_KEPT) } : {}),
    data: {
      via,
      first: issue.firstResponseAt === undefined,
      ...(savedReply ? { reply: savedReply.id, edited: savedReply.edited } : {}),
    },
  });
  if (issue.status === 'new' || issue.status === 'claimed' || issue.status === 'reopened') {
    next = { ...next, status: 'waiting', waitingSince: now };
  }
  return done(next, now, ...events);
}

/** The customer wrote again. `reopen` says whether a resolved issue is still inside the reopen window. */
export function customerWrote(issue: Issue, messageId: string, now: number, reopen: boolean): Result {
  if (issue.seenMessages.includes(messageId)) return refuse('duplicate', rich`message already recorded`);
  const seenMessages = [...issue.seenMessages, messageId].slice(-50);
  const actor: ActorRef = { platform: issue.customer.platform, id: issue.customer.id };
  let next: Issue = { ...issue, seenMessages, lastCustomerMessageAt: now };
  const events: LedgerDraft[] = [{ kind: 'customer-replied', actor }];
  if (issue.status === 'waiting') {
    const { waitingSince: _, ...rest } = next;
    next = { ...rest, status: issue.owner ? 'claimed' : 'new' };
  } else if ((issue.status === 'resolved' && reopen) || issue.status === 'closed') {
    const { resolvedAt: _r, closedAt: _c, resolution: _s, ...rest } = next;
    next = { ...rest, status: 'reopened' };
    events.push({ kind: 'reopened', actor, reason: 'the customer wrote again' });
  }
  return done(next, now, ...events);
}

export function resolve(issue: Issue, actor: Actor, summary: string, now: number): Result {
  const refused =
    requireStaff(issue, actor) ??
    requireActive(issue, 'resolved') ??
    requireOwnerOrManager(issue, actor, 'resolve');
  if (refused) return refused;
  const { waitingSince: _, ...rest } = issue;
  const owner = issue.owner ?? actor.user;
  return done({ ...rest, owner, status: 'resolved', resolvedAt: now, resolution: summary }, now, {
    kind: 'resolved',
    actor: actorOf(actor.user),
    reason: summary,
  });
}

export function reopen(issue: Issue, actor: Actor, reason: string, now: number): Result {
  const refused = requireStaff(issue, actor);
  if (refused) return refused;
  if (issue.status !== 'resolved' && issue.status !== 'closed') {
    return refuse(
      'not-resolved',
      rich`${issueRef(issue)} is ${issue.status}, not resolved; there is nothing to reopen.`,
    );
  }
  const { resolvedAt: _r, closedAt: _c, resolution: _s, ...rest } = issue;
  return done({ ...rest, status: 'reopened' }, now, { kind: 'reopened', actor: actorOf(actor.user), reason });
}

/**
 * The customer never answered (`stale.closeAfter` of waiting): Heed resolves the issue as "no reply from
 * the customer", its owner kept, `data.stale` in the ledger. A reply later reopens it as any resolution.
 */
export function resolveSilent(issue: Issue, now: number): Result {
  if (issue.status !== 'waiting')
    return requireActive(issue, 'resolved') ?? refuse('not-active', rich`not waiting`);
  const { waitingSince: _, ...rest } = issue;
  return done(
    { ...rest, status: 'resolved', resolvedAt: now, resolution: 'No reply from the customer' },
    now,
    {
      kind: 'resolved',
      actor: { platform: 'heed', id: 'heed' },
      reason: 'no reply from the customer',
      data: { stale: true, automatic: true },
    },
  );
}

export function close(issue: Issue, actor: Actor | 'heed', now: number, reason?: string): Result {
  if (actor !== 'heed') {
    const refused = requireStaff(issue, actor);
    if (refused) return refused;
  }
  if (issue.status !== 'resolved') {
    return refuse('not-resolved', rich`${issueRef(issue)} is ${issue.status}; resolve it before closing.`);
  }
  return done({ ...issue, status: 'closed', closedAt: now }, now, {
    kind: 'closed',
    actor: actor === 'heed' ? { platform: 'heed', id: 'heed' } : actorOf(actor.user),
    ...(reason ? { reason } : {}),
  });
}

export function apologize(
  issue: Issue,
  actor: Actor,
  reason: string,
  now: number,
  data?: LedgerDraft['data'],
): Result {
  const refused = requireStaff(issue, actor);
  if (refused) return refused;
  if (issue.status === 'closed')
    return refuse('not-active', rich`${issueRef(issue)} is closed; reopen it first.`);
  return done(issue, now, {
    kind: 'apologized',
    actor: actorOf(actor.user),
    reason,
    ...(data ? { data } : {}),
  });
}

export function setPriority(
  issue: Issue,
  actor: Actor,
  priority: Priority,
  now: number,
  reason?: string,
): Result {
  const refused = requireStaff(issue, actor) ?? requireActive(issue, 'reprioritized');
  if (refused) return refused;
  if (issue.priority === priority)
    return refuse('same-priority', rich`${issueRef(issue)} is already ${priority}.`);
  return done({ ...issue, priority }, now, {
    kind: 'reprioritized',
    actor: actorOf(actor.user),
    ...(reason ? { reason } : {}),
    data: { from: issue.priority, to: priority },
  });
}

export function addNote(issue: Issue, actor: Actor, text: string, now: number): Result {
  const refused = requireStaff(issue, actor);
  if (refused) return refused;
  return done({ ...issue, notes: [...issue.notes, { at: now, by: actor.user, text }] }, now, {
    kind: 'noted',
    actor: actorOf(actor.user),
    reason: text,
  });
}

export function snooze(issue: Issue, actor: Actor, durationMs: number, reason: string, now: number): Result {
  const refused =
    requireStaff(issue, actor) ??
    requireActive(issue, 'snoozed') ??
    requireOwnerOrManager(issue, actor, 'snooze');
  if (refused) return refused;
  return done(issue, now, { kind: 'snoozed', actor: actorOf(actor.user), reason, data: { durationMs } });
}

export function escalate(issue: Issue, actor: Actor, reason: string, now: number): Result {
  const refused = requireStaff(issue, actor) ?? requireActive(issue, 'escalated');
  if (refused) return refused;
  return done(issue, now, { kind: 'escalated', actor: actorOf(actor.user), reason, data: { manual: true } });
}

/** Someone saw the alert and is acting: stops the escalation chain of the current deadline (SLA). */
export function acknowledge(issue: Issue, actor: Actor, now: number, deadline?: string): Result {
  const refused = requireStaff(issue, actor) ?? requireActive(issue, 'acknowledged');
  if (refused) return refused;
  return done(issue, now, {
    kind: 'acknowledged',
    actor: actorOf(actor.user),
    ...(deadline ? { data: { deadline } } : {}),
  });
}
