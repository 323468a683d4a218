/**
 * Tells people when their on-call starts and ends. At each hand-off (a rotation turning, hours opening
 * or closing, an override starting or ending) the incoming person gets a DM ("You're on call for Support
 * until Tue 09:00; 2 open urgent issues: #41, #45") and the outgoing one the list they leave behind.
 * What is due is pure (`changesBetween`); this driver stores the last hand-off handled per schedule and
 * platform (the `digests` table) and puts the DMs in the outbox in the same transaction, so each goes
 * out at least once, and once per hand-off across instances (the first to claim it sends). A hand-off
 * missed while Heed was down is announced at start, marked late; only the latest, since earlier ones are
 * over.
 */
import type { Transaction } from 'kysely';
import type { Coordination } from '../coordination/coordination.ts';
import type { Clock } from '../core/clock.ts';
import type { Core } from '../core/core.ts';
import type { IssueSummary } from '../core/open-issues.ts';
import { insertOutbox, type OutboxDraft } from '../core/outbox.ts';
import { MAX_SLEEP_MS, TimerLoop } from '../core/timer-loop.ts';
import { ACTIVE_STATUSES, issueRef } from '../domain/issue.ts';
import { PLATFORMS, type Platform, type UserRef } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import { bold, code, joinRich, type Rich, rich, time } from '../messages/rich-text.ts';
import { PlatformRouter } from '../ports/platform-router.ts';
import type { HeedDatabase } from '../store/database.ts';
import type { HeedTables } from '../store/tables.ts';
import { changesBetween, nextChange, type OnCallSchedule, onCallAt } from './on-call-schedule.ts';

/** A hand-off announced this long after it happened says it is late. */
export const HANDOFF_LATE_AFTER_MS = 5 * 60_000;
/** At most this many issue numbers are listed in one DM. */
const LISTED = 10;

export type HandOffHost = Pick<Core, 'config' | 'issues' | 'chat' | 'outbox' | 'onCall'> & {
  readonly coordination: Pick<Coordination, 'claimOnce' | 'instanceId'>;
};

export interface HandOffNotifierDeps {
  readonly heed: HandOffHost;
  readonly database: HeedDatabase;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** One hand-off announced. */
export interface HandOff {
  readonly schedule: string;
  readonly platform: Platform;
  readonly at: number;
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly late: boolean;
}

const rowName = (schedule: string, platform: Platform) => `handoff:${schedule}:${platform}`;

function issueList(issues: readonly IssueSummary[]): Rich {
  const shown = issues.slice(0, LISTED).map((issue) => rich`${bold(issueRef(issue))}`);
  const more = issues.length > LISTED ? rich` and ${issues.length - LISTED} more` : rich``;
  return rich`${joinRich(shown, ', ')}${more}`;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

export class HandOffNotifier {
  private readonly loop: TimerLoop<HandOff[]>;

  constructor(private readonly deps: HandOffNotifierDeps) {
    this.loop = new TimerLoop({
      work: () => this.run(),
      nextDelay: () => this.nextAt() - this.deps.clock.now(),
      onError: (error) => {
        this.deps.logger.error({ err: error }, 'on-call hand-off messages failed; retrying in a minute');
        return MAX_SLEEP_MS;
      },
    });
  }

  /** The schedules some team uses, with the platforms each names someone on. */
  private watched(): { schedule: OnCallSchedule; platform: Platform }[] {
    const roster = this.deps.heed.onCall.roster();
    const out: { schedule: OnCallSchedule; platform: Platform }[] = [];
    const seen = new Set<string>();
    for (const team of this.deps.heed.config.teams) {
      const schedule = roster.scheduleOfTeam(team.id);
      if (!schedule || seen.has(schedule.id)) continue;
      seen.add(schedule.id);
      for (const platform of PLATFORMS) {
        if (schedule.layers.some((layer) => layer.people[platform].length > 0))
          out.push({ schedule, platform });
      }
    }
    return out;
  }

  /** The next hand-off on any watched schedule (the loop wakes at least every minute anyway). */
  nextAt(): number {
    const now = this.deps.clock.now();
    const roster = this.deps.heed.onCall.roster();
    let next = now + MAX_SLEEP_MS;
    for (const { schedule, platform } of this.watched()) {
      const change = nextChange(schedule, roster.overrides, platform, now, { personOnly: true });
      if (change && change.at < next) next = change.at;
    }
    return next;
  }

  start(): void {
    if (this.watched().length > 0) this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Announces the hand-offs due now. Runs never overlap. */
  tick(): Promise<HandOff[]> {
    return this.loop.run();
  }

  private async lastHandled(name: string, now: number): Promise<number> {
    const row = await this.deps.database.db
      .selectFrom('digests')
      .select('last_slot')
      .where('name', '=', name)
      .executeTakeFirst();
    const last = row === undefined ? Number.NaN : Number(row.last_slot);
    if (Number.isFinite(last)) return last;
    // First start: nothing before now is owed.
    await this.deps.database.change((trx) => writeHandled(trx, name, now));
    return now;
  }

  private async run(): Promise<HandOff[]> {
    const { heed } = this.deps;
    const now = this.deps.clock.now();
    const roster = await heed.onCall.refresh();
    const done: HandOff[] = [];
    for (const { schedule, platform } of this.watched()) {
      const name = rowName(schedule.id, platform);
      const since = await this.lastHandled(name, now);
      const change = changesBetween(schedule, roster.overrides, platform, since, now).at(-1);
      if (!change) continue;
      const before = onCallAt(schedule, roster.overrides, platform, change.at - 1)?.user;
      const after = change.next?.user;
      const late = now - change.at > HANDOFF_LATE_AFTER_MS;
      const mine = await heed.coordination.claimOnce(`${name}:${change.at}`, 7 * 86_400_000);
      const drafts = mine ? this.drafts(schedule, platform, change.at, before, after, late) : [];
      const entries = await this.deps.database.change(async (trx) => {
        await writeHandled(trx, name, change.at);
        return insertOutbox(trx, null, drafts, { holder: heed.coordination.instanceId, now });
      });
      if (entries.length > 0) await heed.outbox.send(entries, now, false);
      if (!mine) continue;
      const handOff = { schedule: schedule.id, platform, at: change.at, from: before, to: after, late };
      this.deps.logger.info({ ...handOff, at: new Date(change.at).toISOString() }, 'on-call hand-off');
      done.push(handOff);
    }
    return done;
  }

  private drafts(
    schedule: OnCallSchedule,
    platform: Platform,
    at: number,
    before: string | undefined,
    after: string | undefined,
    late: boolean,
  ): OutboxDraft[] {
    const { heed } = this.deps;
    // A platform Heed is not connected to cannot carry the DM (Slack-only or Discord-only runs).
    if (heed.chat instanceof PlatformRouter && !heed.chat.has(platform)) return [];
    const roster = heed.onCall.roster();
    const teamIds = roster.teamsOf(schedule.id);
    const teams = heed.config.teams.filter((team) => teamIds.includes(team.id));
    const names = teams.map((team) => team.name ?? team.id).join(' and ');
    const open = heed.issues
      .listOpen()
      .filter((issue) => teamIds.includes(issue.team) && ACTIVE_STATUSES.includes(issue.status))
      .sort((a, b) => a.number - b.number);
    const urgent = open.filter((issue) => issue.priority === 'urgent');
    const lateNote = late ? rich`\n_Sent late: Heed was not running at the hand-off (${time(at)})._` : rich``;
    const drafts: OutboxDraft[] = [];
    const dm = (user: UserRef, side: 'in' | 'out', text: Rich) => {
      const key = `handoff:${schedule.id}:${platform}:${at}:${side}`;
      drafts.push({ key, kind: 'handoff', group: key, target: { kind: 'dm', user }, message: { text } });
    };
    if (after) {
      const end = nextChange(schedule, roster.overrides, platform, at, { personOnly: true });
      const until = end ? rich` until ${time(end.at)}` : rich``;
      const urgentLine =
        urgent.length > 0
          ? rich`; ${plural(urgent.length, 'open urgent issue', 'open urgent issues')}: ${issueList(urgent)}`
          : rich`; no urgent issues open`;
      const unclaimed = open.filter((issue) => !issue.owner).length;
      const queue =
        unclaimed > 0
          ? rich`\n${plural(unclaimed, 'issue waits', 'issues wait')} for an owner: ${code('/heed queue')} lists them.`
          : rich``;
      dm(
        { platform, id: after },
        'in',
        rich`📟 You're on call for ${bold(names)}${until}${urgentLine}.${queue}${lateNote}`,
      );
    }
    if (before) {
      const theirs = open.filter((issue) => issue.owner?.platform === platform && issue.owner.id === before);
      const leftUrgent = urgent.filter((issue) => !theirs.includes(issue));
      const successor = after
        ? rich`; ${{ platform, id: after }} has it now`
        : rich`; nobody is on call until the next shift`;
      const own =
        theirs.length > 0
          ? rich`\nYou still own ${issueList(theirs)}: hand them off with ${code('/heed handoff')} if you are leaving.`
          : rich``;
      const left =
        leftUrgent.length > 0 ? rich`\nUrgent and open for the team: ${issueList(leftUrgent)}.` : rich``;
      const nothing =
        theirs.length === 0 && leftUrgent.length === 0 ? rich` Nothing urgent is left open.` : rich``;
      dm(
        { platform, id: before },
        'out',
        rich`📟 Your on-call for ${bold(names)} ended at ${time(at)}${successor}.${nothing}${own}${left}${lateNote}`,
      );
    }
    return drafts;
  }
}

async function writeHandled(trx: Transaction<HeedTables>, name: string, at: number): Promise<void> {
  await trx
    .insertInto('digests')
    .values({ name, last_slot: at, sent_at: null })
    .onConflict((conflict) => conflict.column('name').doUpdateSet({ last_slot: at }))
    .execute();
}
