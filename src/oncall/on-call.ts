/**
 * On-call as the core sees it: the roster (schedules and the overrides Heed knows of, answered
 * synchronously so intake and alerts never wait on the store for it) and the overrides' rows. The roster
 * is refreshed after each change made here and every {@link REFRESH_MS} (other instances' overrides).
 */
import { z } from 'zod';
import type { HeedConfig } from '../config/schema.ts';
import type { Platform, UserRef } from '../domain/refs.ts';
import { platformSchema } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import type { HeedDatabase } from '../store/database.ts';
import { OnCallRoster } from './on-call-roster.ts';
import type { OnCallOverride } from './on-call-schedule.ts';

/** How often the roster re-reads overrides (others may have set some). */
export const REFRESH_MS = 15_000;
/** Overrides that ended this long ago still count for "who was on call then" (a late card). */
const KEPT_AFTER_END_MS = 7 * 86_400_000;

/** An override as stored: who set it, why, and whether it was removed. */
export interface StoredOverride extends OnCallOverride {
  readonly reason: string | undefined;
  readonly setBy: UserRef;
  readonly removedAt: number | undefined;
  readonly removedBy: UserRef | undefined;
}

export interface NewOverride {
  readonly schedule: string;
  readonly platform: Platform;
  readonly user: string;
  readonly from: number;
  readonly to: number;
  readonly reason: string | undefined;
  readonly setBy: UserRef;
}

const personKey = (user: UserRef) => `${user.platform}:${user.id}`;
const person = z
  .string()
  .regex(/^(slack|discord):.+$/)
  .transform((value): UserRef => {
    const at = value.indexOf(':');
    return { platform: value.slice(0, at) as Platform, id: value.slice(at + 1) };
  });

const rowSchema = z.object({
  id: z.coerce.number().int(),
  schedule: z.string(),
  platform: platformSchema,
  user_id: z.string(),
  starts_at: z.coerce.number(),
  ends_at: z.coerce.number(),
  reason: z.string().nullable(),
  set_by: person,
  created_at: z.coerce.number(),
  removed_at: z.coerce.number().nullable(),
  removed_by: person.nullable(),
});

function fromRow(row: unknown, logger: Logger): StoredOverride | undefined {
  const parsed = rowSchema.safeParse(row);
  if (!parsed.success) {
    logger.warn(
      { id: (row as { id?: unknown }).id, problem: parsed.error.message },
      'skipping a damaged on-call override',
    );
    return undefined;
  }
  const r = parsed.data;
  return {
    id: r.id,
    schedule: r.schedule,
    platform: r.platform as Platform,
    user: r.user_id,
    from: r.starts_at,
    to: r.ends_at,
    createdAt: r.created_at,
    reason: r.reason ?? undefined,
    setBy: r.set_by,
    removedAt: r.removed_at ?? undefined,
    removedBy: r.removed_by ?? undefined,
  };
}

export class OnCall {
  private current: OnCallRoster;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    config: HeedConfig,
    private readonly database: HeedDatabase,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {
    this.current = new OnCallRoster(config, []);
  }

  /** The schedules with the overrides last read. */
  roster(): OnCallRoster {
    return this.current;
  }

  /** Re-reads the overrides that matter now (not removed, not long over). */
  async refresh(): Promise<OnCallRoster> {
    const rows = await this.database.db
      .selectFrom('oncall_overrides')
      .selectAll()
      .where('removed_at', 'is', null)
      .where('ends_at', '>', this.now() - KEPT_AFTER_END_MS)
      .execute();
    const overrides = rows.flatMap((row) => fromRow(row, this.logger) ?? []);
    this.current = this.current.withOverrides(overrides);
    return this.current;
  }

  /** Keeps the roster fresh until {@link stop}. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) =>
        this.logger.warn({ err: error }, 'could not re-read on-call overrides'),
      );
    }, REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stores an override and takes it into the roster at once. */
  async add(override: NewOverride): Promise<StoredOverride> {
    const createdAt = this.now();
    const row = await this.database.change((trx) =>
      trx
        .insertInto('oncall_overrides')
        .values({
          schedule: override.schedule,
          platform: override.platform,
          user_id: override.user,
          starts_at: override.from,
          ends_at: override.to,
          reason: override.reason ?? null,
          set_by: personKey(override.setBy),
          created_at: createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    const stored = fromRow(row, this.logger);
    if (!stored) throw new Error('the stored override could not be read back');
    this.logger.info(
      {
        override: stored.id,
        schedule: stored.schedule,
        platform: stored.platform,
        user: stored.user,
        from: new Date(stored.from).toISOString(),
        to: new Date(stored.to).toISOString(),
        setBy: personKey(stored.setBy),
        reason: stored.reason,
      },
      'on-call override set',
    );
    await this.refresh();
    return stored;
  }

  /** Marks an override removed (the row stays, as a record); undefined when there is no such live one. */
  async remove(id: number, by: UserRef): Promise<StoredOverride | undefined> {
    const at = this.now();
    const row = await this.database.change((trx) =>
      trx
        .updateTable('oncall_overrides')
        .set({ removed_at: at, removed_by: personKey(by) })
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .returningAll()
        .executeTakeFirst(),
    );
    const stored = row && fromRow(row, this.logger);
    if (stored) {
      this.logger.info({ override: id, removedBy: personKey(by) }, 'on-call override removed');
      await this.refresh();
    }
    return stored;
  }

  /** One override by id (removed or not). */
  async get(id: number): Promise<StoredOverride | undefined> {
    const row = await this.database.db
      .selectFrom('oncall_overrides')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && fromRow(row, this.logger);
  }

  /** Overrides not removed and not over at `now`, soonest first, for some schedules or all. */
  async upcoming(schedules?: readonly string[]): Promise<StoredOverride[]> {
    if (schedules && schedules.length === 0) return [];
    const rows = await this.database.db
      .selectFrom('oncall_overrides')
      .selectAll()
      .where('removed_at', 'is', null)
      .where('ends_at', '>', this.now())
      .$if(schedules !== undefined, (query) => query.where('schedule', 'in', schedules!))
      .orderBy('starts_at')
      .orderBy('id')
      .execute();
    return rows.flatMap((row) => fromRow(row, this.logger) ?? []);
  }
}
