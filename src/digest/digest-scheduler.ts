import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Coordination } from '../coordination/coordination.ts';
import type { Clock } from '../core/clock.ts';
import type { Core } from '../core/core.ts';
import { insertOutbox, type OutboxDraft } from '../core/outbox.ts';
import { managersOf } from '../core/people.ts';
import { MAX_SLEEP_MS, TimerLoop } from '../core/timer-loop.ts';
import { ACTIVE_STATUSES } from '../domain/issue.ts';
import type { Logger } from '../logging/logger.ts';
import { PlatformRouter } from '../ports/platform-router.ts';
import { loadIssuesForPeriod, loadReport } from '../reports/load-report-data.ts';
import { npsReport } from '../reports/nps-report.ts';
import type { Period } from '../reports/report.ts';
import { moneyFigures } from '../reports/revenue-at-risk.ts';
import type { HeedDatabase } from '../store/database.ts';
import type { HeedTables } from '../store/tables.ts';
import { composeDigest } from './compose-digest.ts';
import {
  type DigestSchedule,
  digestPeriod,
  digestSchedule,
  latestSlotAtOrBefore,
  nextDigestAt,
} from './digest-schedule.ts';

/** setTimeout cannot wait longer than 2^31−1 ms; the driver wakes at least this often anyway. */
/** A digest sent this long after its time is marked late (Heed was down or busy). */
export const DIGEST_LATE_AFTER_MS = 5 * 60_000;
/** The `digests` row that holds the last digest time sent. */
export const DIGEST_ROW = 'manager-digest';

const stateSchema = z.object({
  v: z.literal(1),
  /** The digest time (slot) last sent, or the baseline set on the first start. */
  lastSlot: z.number().int(),
  /** When it was sent; absent for the baseline. */
  sentAt: z.number().int().optional(),
});

/** What one run sent. */
export interface DigestRun {
  readonly slot: number;
  readonly period: Period;
  readonly late: boolean;
  readonly teams: readonly string[];
  /** Direct messages attempted (one per manager per team). */
  readonly messages: number;
}

/** What the digest driver needs of the core: config, issues, chat, and who sends each digest time. */
export type DigestHost = Pick<Core, 'config' | 'issues' | 'chat' | 'logger' | 'outbox' | 'people'> & {
  readonly coordination: Pick<Coordination, 'claimOnce' | 'instanceId'>;
};

/** What the digest driver needs: the core, the store for its state, a clock. */
export interface DigestSchedulerDeps {
  readonly heed: DigestHost;
  readonly database: HeedDatabase;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The thin driver of the manager digest. When a digest time comes (`nextDigestAt`, pure), the instance
 * that claims it composes each team's report for each of its managers, and in one transaction stores the
 * time as done and puts the DMs in the outbox, which sends them: at least once per digest time, even
 * across restarts (a crash between a send and its mark doubles that one DM). A digest missed while Heed
 * was down goes out once at start, marked late.
 * Sleeps on real timers, never more than a minute at a time.
 */
export class DigestScheduler {
  readonly schedule: DigestSchedule | undefined;
  private readonly loop: TimerLoop<DigestRun | undefined>;

  constructor(private readonly deps: DigestSchedulerDeps) {
    this.schedule = digestSchedule(deps.heed.config);
    this.loop = new TimerLoop({
      work: () => this.run(),
      nextDelay: async () => {
        const now = this.deps.clock.now();
        return this.schedule
          ? nextDigestAt(this.schedule, await this.lastSlot(now), now) - now
          : MAX_SLEEP_MS;
      },
      onError: (error) => {
        // The store is failing: try again in a minute rather than at once.
        this.deps.logger.error({ err: error }, 'manager digest failed; retrying in a minute');
        return MAX_SLEEP_MS;
      },
    });
  }

  /** Starts the real-time loop; a digest that fell due while Heed was down goes out on the first run. */
  start(): void {
    if (this.schedule) this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Sends the digest if one is due now. Runs never overlap. */
  tick(): Promise<DigestRun | undefined> {
    return this.loop.run();
  }

  /** When the next digest is due (for logs and tests); `undefined` when the digest is off. */
  async nextAt(): Promise<number | undefined> {
    if (!this.schedule) return undefined;
    const now = this.deps.clock.now();
    return nextDigestAt(this.schedule, await this.lastSlot(now), now);
  }

  // The stored last digest time. On the very first start the latest digest time before now is stored
  // as a baseline, so a digest that falls due while Heed is down later is still owed, never older ones.
  private async lastSlot(now: number): Promise<number> {
    const row = await this.deps.database.db
      .selectFrom('digests')
      .select(['last_slot', 'sent_at'])
      .where('name', '=', DIGEST_ROW)
      .executeTakeFirst();
    const stored = stateSchema.safeParse(
      row && { v: 1, lastSlot: row.last_slot, ...(row.sent_at !== null ? { sentAt: row.sent_at } : {}) },
    );
    if (stored.success) return stored.data.lastSlot;
    if (row !== undefined) this.deps.logger.warn('the stored digest state is not readable; starting afresh');
    const baseline = latestSlotAtOrBefore(this.schedule!, now - 1);
    await this.saveSlot(baseline, undefined);
    return baseline;
  }

  private async saveSlot(lastSlot: number, sentAt: number | undefined): Promise<void> {
    await this.deps.database.change((trx) => writeSlot(trx, lastSlot, sentAt));
  }

  private async run(): Promise<DigestRun | undefined> {
    const schedule = this.schedule;
    if (!schedule) return undefined;
    const now = this.deps.clock.now();
    const slot = nextDigestAt(schedule, await this.lastSlot(now), now);
    if (slot > now) return undefined;
    // Several instances: the first to claim this digest time sends it; the others only catch up.
    const mine = await this.deps.heed.coordination.claimOnce(`digest:${slot}`, 7 * 86_400_000);
    if (!mine) {
      await this.saveSlot(slot, now);
      return undefined;
    }
    const late = now - slot > DIGEST_LATE_AFTER_MS;
    const period = digestPeriod(schedule, slot);
    const composed = await this.compose(schedule, period, slot, now, late);
    // The time stored as done and the DMs owed commit together; the outbox sends them (again after a crash).
    const { heed } = this.deps;
    const entries = await this.deps.database.change(async (trx) => {
      await writeSlot(trx, slot, now);
      return insertOutbox(trx, null, composed.drafts, { holder: heed.coordination.instanceId, now });
    });
    await heed.outbox.send(entries, now, false);
    const run: DigestRun = { slot, period, late, teams: composed.teams, messages: composed.drafts.length };
    this.deps.logger.info(
      { slot: new Date(slot).toISOString(), late, teams: run.teams, messages: run.messages },
      late ? 'manager digest sent late' : 'manager digest sent',
    );
    return run;
  }

  /** One DM per manager per team: the team's report for the period and its queue now. */
  private async compose(
    schedule: DigestSchedule,
    period: Period,
    slot: number,
    now: number,
    late: boolean,
  ): Promise<{ teams: string[]; drafts: OutboxDraft[] }> {
    const { heed } = this.deps;
    const wanted = heed.config.digest?.teams;
    const teams = heed.config.teams.filter((team) => !wanted || wanted.includes(team.id));
    const open = heed.issues.listOpen().filter((issue) => ACTIVE_STATUSES.includes(issue.status));
    const drafts: OutboxDraft[] = [];
    const names = await heed.people.all();
    const periodIssues = await loadIssuesForPeriod(heed.issues, period);
    for (const team of teams) {
      const report = await loadReport(heed.issues, period, 'owner', { issueTeam: team.id });
      const teamIssues = periodIssues.filter((issue) => issue.team === team.id);
      const money = moneyFigures(heed.config, teamIssues, period);
      const queue = open.filter((issue) => issue.team === team.id);
      for (const manager of managersOf(heed.config, { team: team.id })) {
        // A platform Heed is not connected to cannot carry the DM (Slack-only or Discord-only runs).
        if (heed.chat instanceof PlatformRouter && !heed.chat.has(manager.platform)) continue;
        const text = composeDigest({
          teamName: team.name ?? team.id,
          every: schedule.every,
          period,
          report,
          queue,
          now,
          late,
          platform: manager.platform,
          names,
          ...(heed.config.nps ? { nps: npsReport(teamIssues, period) } : {}),
          // Teams that value their customers (tier values, or customers valued and at risk) see money first.
          ...(money.atRisk.length > 0 || heed.config.tiers.some((tier) => tier.value !== undefined)
            ? { money }
            : {}),
        });
        const key = `digest:${slot}:${team.id}:${manager.platform}:${manager.id}`;
        drafts.push({
          key,
          kind: 'digest',
          group: key,
          target: { kind: 'dm', user: manager },
          message: { text },
        });
      }
    }
    return { teams: teams.map((team) => team.id), drafts };
  }
}

/** Stores the last digest time handled (and when), in the caller's transaction. */
async function writeSlot(
  trx: Transaction<HeedTables>,
  lastSlot: number,
  sentAt: number | undefined,
): Promise<void> {
  const row = { last_slot: lastSlot, sent_at: sentAt ?? null };
  await trx
    .insertInto('digests')
    .values({ name: DIGEST_ROW, ...row })
    .onConflict((conflict) => conflict.column('name').doUpdateSet(row))
    .execute();
}
