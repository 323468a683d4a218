import { acknowledgeAction } from '../actions/acknowledge.ts';
import { type ActionDefinition, buttonFor } from '../actions/action.ts';
import { apologizeAction } from '../actions/apologize.ts';
import { claimAction } from '../actions/claim.ts';
import type { HeedConfig } from '../config/schema.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import { type ChannelRef, PLATFORMS, type Platform, type UserRef } from '../domain/refs.ts';
import { bold, code, joinRich, link, type Rich, rich, time } from '../messages/rich-text.ts';
import type { OnCallRoster } from '../oncall/on-call-roster.ts';
import type { ActionButton } from '../ports/chat-port.ts';
import { formatDuration } from '../sla/duration.ts';
import type { PlannedAlert } from '../sla/schedule.ts';
import { CLOCK_LABEL } from '../sla/sla-state.ts';

/** Where one alert goes: a person's DMs or a channel (with the people to ping there). */
export type Destination =
  | { readonly kind: 'dm'; readonly key: string; readonly user: UserRef }
  | {
      readonly kind: 'channel';
      readonly key: string;
      readonly channel: ChannelRef;
      readonly pings: readonly UserRef[];
    };

const dm = (user: UserRef): Destination => ({ kind: 'dm', key: `dm:${user.platform}:${user.id}`, user });
const channel = (ref: ChannelRef, pings: readonly UserRef[]): Destination => ({
  kind: 'channel',
  key: `channel:${ref.platform}:${ref.channel}`,
  channel: ref,
  pings,
});

function people(ids: readonly string[], platform: Platform): UserRef[] {
  return ids.map((id) => ({ platform, id }));
}

/** The first platform, the card's first, on which `find` names someone. */
function firstFound(
  platform: Platform,
  find: (platform: Platform) => UserRef | undefined,
): UserRef | undefined {
  for (const candidate of [platform, ...PLATFORMS.filter((other) => other !== platform)]) {
    const found = find(candidate);
    if (found) return found;
  }
  return undefined;
}

/**
 * Resolves an alert's notify targets to destinations on the platform of the issue's team card:
 * `owner` (DM, or the team channel when nobody owns the issue), `team` (the team channel, pinging the
 * owner), `staff` (the team channel, pinging all staff), `managers` (DMs), `{ user }` (DM), and the
 * on-call targets, read from the schedules at `now`, the moment the alert fires: `on-call` (whoever is on
 * call for the team), `next-on-call` (whoever takes over at the next hand-off) and `{ schedule }` (whoever
 * that schedule has on call), each by DM, on another platform when the card's has nobody.
 */
export function destinationsFor(
  config: HeedConfig,
  issue: Issue,
  alert: PlannedAlert,
  teamChannel: ChannelRef | undefined,
  roster: OnCallRoster,
  now: number,
): Destination[] {
  const team = config.teams.find((t) => t.id === issue.team);
  const platform = teamChannel?.platform ?? issue.conversation.platform;
  const targets = alert.kind === 'warn' ? (['owner'] as const) : (alert.levelConfig?.notify ?? ['owner']);
  const out: Destination[] = [];
  const owner = issue.owner;
  for (const target of targets) {
    if (target === 'owner') {
      if (owner) out.push(dm(owner));
      else if (teamChannel) out.push(channel(teamChannel, []));
    } else if (target === 'team') {
      if (teamChannel) out.push(channel(teamChannel, owner && owner.platform === platform ? [owner] : []));
    } else if (target === 'staff') {
      if (teamChannel && team) out.push(channel(teamChannel, people(team.staff[platform], platform)));
    } else if (target === 'managers') {
      // The managers on the card's platform; without any there, those on the other platforms.
      const here = team ? people(team.managers[platform], platform) : [];
      const elsewhere = PLATFORMS.filter((other) => other !== platform).flatMap((other) =>
        team ? people(team.managers[other], other) : [],
      );
      for (const manager of here.length > 0 ? here : elsewhere) out.push(dm(manager));
    } else if (target === 'on-call') {
      const onCall = firstFound(platform, (p) => roster.current(issue.team, p, now));
      if (onCall) out.push(dm(onCall));
    } else if (target === 'next-on-call') {
      const next = firstFound(platform, (p) => roster.next(issue.team, p, now)?.user);
      if (next) out.push(dm(next));
    } else if ('schedule' in target) {
      const onCall = firstFound(platform, (p) => roster.onSchedule(target.schedule, p, now));
      if (onCall) out.push(dm(onCall));
    } else {
      const id = target.user[platform];
      if (id) out.push(dm({ platform, id }));
    }
  }
  const seen = new Set<string>();
  return out.filter((destination) => !seen.has(destination.key) && seen.add(destination.key));
}

export interface AlertLineInput {
  readonly issue: Issue;
  readonly alert: PlannedAlert;
  readonly now: number;
  readonly late: boolean;
  readonly customer: Rich;
}

/** One line naming the issue, the customer, the deadline and the thread, so an owner knows which one. */
export function alertLine({ issue, alert, now, late, customer }: AlertLineInput): Rich {
  const clock = CLOCK_LABEL[alert.clock];
  const thread = issue.acknowledgement?.link
    ? rich` · ${link(issue.acknowledgement.link, 'open thread')}`
    : rich``;
  const lateNote = late ? rich` (sent late: Heed was not running when this fell due)` : rich``;
  const owner = issue.owner ? rich`owner ${issue.owner}` : rich`nobody owns it yet`;
  const head = rich`${bold(issueRef(issue))} · ${customer}`;
  if (alert.kind === 'warn') {
    return rich`⏳ ${head} — ${clock} due ${time(alert.dueAt)} (in ${formatDuration(alert.dueAt - now)}) · ${owner}${thread}${lateNote}`;
  }
  if (alert.kind === 'nag') {
    const overdue =
      now - alert.dueAt < 60_000
        ? rich`is due now`
        : rich`is overdue by ${formatDuration(now - alert.dueAt)}`;
    return rich`⏰ ${head} — ${clock} was due ${time(alert.dueAt)} and ${overdue} · ${owner}. Answer the customer, and consider an apology.${thread}${lateNote}`;
  }
  const round = alert.round > 0 ? rich` (round ${alert.round + 1})` : rich``;
  return rich`⬆️ Escalation level ${alert.step}${round} · ${head} — ${clock} overdue by ${formatDuration(now - alert.dueAt)} (was due ${time(alert.dueAt)}) · ${owner}${thread}${lateNote}`;
}

/** Buttons on a single alert. */
export function alertActions(issue: Issue, alert: PlannedAlert): ActionButton[] {
  const actions: ActionDefinition[] = [];
  if (!issue.owner) actions.push(claimAction);
  if (alert.kind !== 'warn') actions.push(acknowledgeAction);
  if (alert.kind === 'nag') actions.push(apologizeAction);
  return actions.map((action) => buttonFor(action, issue));
}

/** Several alerts for one destination in one tick become one digest. */
export function digest(lines: readonly Rich[]): Rich {
  return rich`${bold(`${lines.length} SLA alerts need attention`)}\n${joinRich(
    lines.map((line) => rich`• ${line}`),
    '\n',
  )}\nAcknowledge one with ${code('/heed ack #<issue>')}.`;
}
