import { z } from 'zod';

/** Week days as the config spells them, Sunday first (as `Date#getUTCDay` counts). */
export const WEEK_DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** A week day as the config spells it. */
export type WeekDay = (typeof WEEK_DAYS)[number];

/**
 * `digest:` in the config file: when each team's managers get their digest. Off when absent.
 * `calendar` names an `sla.calendars` id whose time zone `at` is read in (UTC without one); `day` is
 * the week day of a weekly digest (Monday by default); `teams` limits the digest to some teams.
 */
export const digestConfigSchema = z
  .object({
    every: z.enum(['daily', 'weekly']),
    at: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time on the 24-hour clock, like "09:00"')
      .default('09:00'),
    calendar: z.string().min(1).optional(),
    day: z.enum(WEEK_DAYS).optional(),
    teams: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict()
  .refine((digest) => digest.every === 'weekly' || digest.day === undefined, {
    message: '"day" only applies to a weekly digest (every: weekly)',
    path: ['day'],
  });

/** The validated `digest:` section. */
export type DigestConfig = z.output<typeof digestConfigSchema>;

/** What the config check needs to know to validate the digest's references. */
interface KnownIds {
  readonly teams: ReadonlySet<string>;
  readonly calendars: ReadonlySet<string>;
}

/** Problems with the ids a digest refers to (unknown calendar or team), as `[path, message]`. */
export function digestReferenceProblems(
  digest: DigestConfig,
  known: KnownIds,
): [path: (string | number)[], message: string][] {
  const problems: [(string | number)[], string][] = [];
  if (digest.calendar !== undefined && !known.calendars.has(digest.calendar)) {
    problems.push([
      ['digest', 'calendar'],
      `unknown calendar "${digest.calendar}"; known: ${[...known.calendars].join(', ')}`,
    ]);
  }
  digest.teams?.forEach((team, index) => {
    if (!known.teams.has(team)) {
      problems.push([
        ['digest', 'teams', index],
        `unknown team "${team}"; known teams: ${[...known.teams].map((t) => `"${t}"`).join(', ')}`,
      ]);
    }
  });
  return problems;
}
