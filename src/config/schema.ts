import { z } from 'zod';
import { digestConfigSchema, digestReferenceProblems } from '../digest/digest-config.ts';
import { PRIORITIES, prioritySchema } from '../domain/issue.ts';
import { platformSchema } from '../domain/refs.ts';
import { scheduleConfigSchema } from '../oncall/oncall-config.ts';
import { parseDuration } from '../sla/duration.ts';
import { npsSchema, retentionSchema, savedReplySchema, valueMatchSchema } from './issue-extras-config.ts';
import { durationString, id, perPlatformList, slackChannelId, slackUserId, snowflake } from './primitives.ts';

export { durationString };

const teamSchema = z
  .object({
    id,
    name: z.string().min(1).optional(),
    slack: z.object({ channel: slackChannelId }).strict().optional(),
    discord: z.object({ channel: snowflake }).strict().optional(),
    /** Slack user ids; Discord user or role ids. */
    staff: perPlatformList,
    managers: perPlatformList,
    /** A fixed person per platform (`{ slack: U…, discord: "…" }`), or `{ schedule: id }` of `schedules:`. */
    onCall: z
      .object({ schedule: id.optional(), slack: slackUserId.optional(), discord: snowflake.optional() })
      .strict()
      .refine(
        (onCall) =>
          (onCall.schedule === undefined) !== (onCall.slack === undefined && onCall.discord === undefined),
        {
          message:
            'onCall names either a schedule ({ schedule: support-oncall }) or a fixed person per platform ({ slack: U…, discord: "…" }), not both and not neither',
        },
      )
      .optional(),
  })
  .strict();

const intakeSchema = z
  .object({
    platform: platformSchema,
    channel: z.string().min(1),
    team: id,
  })
  .strict();

const tierSchema = z
  .object({
    id,
    name: z.string().optional(),
    slackTeams: z
      .array(z.string().regex(/^[TE][A-Z0-9]{2,}$/, 'a Slack team id looks like "T0123ABCD"'))
      .default([]),
    discordRoles: z.array(snowflake).default([]),
    emailDomains: z
      .array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'an e-mail domain like "bigco.com"'))
      .default([]),
    /** What a customer of this tier is worth (e.g. ARR), unless their profile says otherwise. */
    value: z.number().nonnegative().optional(),
  })
  .strict();

const regexString = z.string().refine(
  (value) => {
    try {
      new RegExp(value, 'iu');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

const routingRuleSchema = z
  .object({
    name: z.string().optional(),
    match: z
      .object({
        platform: platformSchema.optional(),
        channel: z.string().optional(),
        tier: id.optional(),
        keywords: z.array(z.string().min(1)).optional(),
        regex: regexString.optional(),
        urgent: z.boolean().optional(),
        value: valueMatchSchema.optional(),
      })
      .strict(),
    team: id.optional(),
    priority: prioritySchema.optional(),
  })
  .strict()
  .refine((rule) => rule.team !== undefined || rule.priority !== undefined, {
    message: 'a routing rule must set "team", "priority" or both',
  });

const calendarSchema = z
  .object({
    id,
    timezone: z.string().min(1),
    hours: z.record(z.string(), z.string()),
    holidays: z
      .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'holidays are dates like "2026-12-24"'))
      .default([]),
  })
  .strict();

const policySchema = z
  .object({
    name: z.string().optional(),
    priority: prioritySchema.optional(),
    tier: id.optional(),
    team: id.optional(),
    value: valueMatchSchema.optional(),
    firstResponse: durationString,
    nextResponse: durationString.optional(),
    resolution: durationString,
    calendar: id.default('always'),
  })
  .strict();

const userTarget = z.object({ slack: slackUserId.optional(), discord: snowflake.optional() }).strict();
export const NOTIFY_TARGETS = ['owner', 'team', 'staff', 'managers', 'on-call', 'next-on-call'] as const;
const notifyTarget = z.union([
  z.enum(NOTIFY_TARGETS),
  z.object({ user: userTarget }).strict(),
  z.object({ schedule: id }).strict(),
]);

const escalationLevelSchema = z
  .object({
    after: durationString,
    notify: z.array(notifyTarget).min(1),
    when: z.enum(['not-acknowledged', 'not-resolved']).default('not-acknowledged'),
    repeat: z.number().int().min(0).max(100).default(0),
    every: durationString.optional(),
  })
  .strict()
  .refine((level) => level.repeat === 0 || level.every !== undefined, {
    message: 'a level with "repeat" also needs "every" (for example every: 15m)',
  });

/**
 * The escalation chain: a list of levels, or `{ levels, loop }` to run the chain again `loop` more times
 * after its last level (as PagerDuty's `num_loops`). Each new round starts as long after the last level
 * as the last level came after the one before it, so the rhythm carries on.
 */
const escalationSchema = z.preprocess(
  (value) => (Array.isArray(value) ? { levels: value } : value),
  z
    .object({
      levels: z.array(escalationLevelSchema).default([]),
      loop: z.number().int().min(0).max(20).default(0),
    })
    .strict()
    .refine((chain) => chain.loop === 0 || chainLength(chain.levels) > 0, {
      message: 'a chain that loops needs a level after the breach (after: 30m or more) to set its rhythm',
      path: ['loop'],
    }),
);

/** When the chain's last alert comes, after the breach. */
export function chainLength(
  levels: readonly { after: number; repeat: number; every?: number | undefined }[],
): number {
  return Math.max(0, ...levels.map((level) => level.after + level.repeat * (level.every ?? 0)));
}

const DEFAULT_TEMPLATES = {
  acknowledgement:
    'Hi {customer}, thanks for reaching out! This is {ref}. {owner_line}We will get back to you {promise}.',
  acknowledgementReturning:
    'Welcome back, {customer}! This is {ref}. {owner_line}We will get back to you {promise}.',
  apology: 'Sorry for the wait on {ref}, {customer}. {reason} {owner} is on it and will update you shortly.',
  resolution:
    '{ref} is resolved: {summary}. If anything is still wrong, just reply here and we will pick it up again.',
  reopened: 'Thanks {customer}, {ref} is open again and {owner} has been told.',
  caughtUp: 'Sorry for the delay: we were briefly offline.',
} as const;

export const templatesSchema = z
  .object({
    acknowledgement: z.string().min(1).default(DEFAULT_TEMPLATES.acknowledgement),
    acknowledgementReturning: z.string().min(1).default(DEFAULT_TEMPLATES.acknowledgementReturning),
    apology: z.string().min(1).default(DEFAULT_TEMPLATES.apology),
    resolution: z.string().min(1).default(DEFAULT_TEMPLATES.resolution),
    reopened: z.string().min(1).default(DEFAULT_TEMPLATES.reopened),
    /** Added to the acknowledgement of a message Heed caught up on after downtime. */
    caughtUp: z.string().min(1).default(DEFAULT_TEMPLATES.caughtUp),
  })
  .strict()
  .default(DEFAULT_TEMPLATES);

/** The nudge to a silent customer when `stale.message` is not set. */
export const DEFAULT_STALE_MESSAGE =
  "Hi {customer}, is {ref} still a problem? If we don't hear back we'll close it in {close_in}.";

/**
 * Issues waiting on a customer who went silent: a nudge in their thread after `nudgeAfter`, and after
 * `closeAfter` (both counted from when the issue started waiting, in the team's business time when its
 * policy has a calendar) the issue is resolved as "no reply from the customer".
 */
const staleSchema = z
  .object({
    nudgeAfter: durationString,
    closeAfter: durationString,
    message: z.string().min(1).default(DEFAULT_STALE_MESSAGE),
  })
  .strict()
  .refine((stale) => stale.closeAfter > stale.nudgeAfter, {
    message: 'stale.closeAfter must be longer than stale.nudgeAfter (the nudge comes first)',
    path: ['closeAfter'],
  });

/** The follow-up check-in message when `followUp.message` is not set. */
export const DEFAULT_FOLLOW_UP_MESSAGE =
  'Hi {customer}, checking in on {ref}: is everything still working? If not, just reply here.';

/**
 * Catching up on messages written while Heed was down: within `maxAge` the customer gets the usual
 * acknowledgement with an apology; older messages open their issue quietly (one summary to the team).
 * At most `threads` issue threads are read per pass, the most recently active first.
 */
const backfillSchema = z
  .object({
    maxAge: durationString.default(parseDuration('24h')),
    threads: z.number().int().min(0).max(10_000).default(500),
  })
  .strict();

/** Optional check-in with the customer `after` a resolution, while the issue is still resolved. */
const followUpSchema = z
  .object({
    after: durationString,
    message: z.string().min(1).default(DEFAULT_FOLLOW_UP_MESSAGE),
  })
  .strict();

export const DEFAULT_URGENCY_WORDS = [
  'urgent',
  'asap',
  'emergency',
  'outage',
  'down',
  'critical',
  'sev1',
  'p1',
];

const rawConfigSchema = z
  .object({
    teams: z.array(teamSchema).min(1, 'add at least one team under "teams"'),
    schedules: z.array(scheduleConfigSchema).default([]),
    intake: z.array(intakeSchema).min(1, 'add at least one customer channel under "intake"'),
    tiers: z.array(tierSchema).default([]),
    routing: z.array(routingRuleSchema).default([]),
    urgencyWords: z.array(z.string().min(1)).default(DEFAULT_URGENCY_WORDS),
    defaultPriority: prioritySchema.default('normal'),
    reopenWindow: durationString.default(parseDuration('7d')),
    followUp: followUpSchema.optional(),
    stale: staleSchema.optional(),
    backfill: backfillSchema.default({ maxAge: parseDuration('24h'), threads: 500 }),
    sla: z
      .object({
        calendars: z.array(calendarSchema).default([]),
        policies: z.array(policySchema).default([]),
        warnAt: z.number().gt(0).lt(1).default(0.75),
        escalation: escalationSchema.default({ levels: [], loop: 0 }),
        /**
         * Alerts to one person or channel that fall due within this window of the last one sent there
         * wait for the window's end and go out together as one message (`0s` sends each at once).
         */
        coalesce: durationString.default(parseDuration('10s')),
      })
      .strict()
      .default({
        calendars: [],
        policies: [],
        warnAt: 0.75,
        escalation: { levels: [], loop: 0 },
        coalesce: parseDuration('10s'),
      }),
    templates: templatesSchema,
    digest: digestConfigSchema.optional(),
    replies: z.array(savedReplySchema).default([]),
    nps: npsSchema.optional(),
    retention: retentionSchema,
  })
  .strict();

/** The validated configuration, with defaults filled in and durations in milliseconds. */
export const configSchema = rawConfigSchema.superRefine((config, ctx) => {
  const teamIds = new Set<string>();
  config.teams.forEach((team, index) => {
    if (teamIds.has(team.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['teams', index, 'id'],
        message: `team id "${team.id}" is used twice`,
      });
    }
    teamIds.add(team.id);
    if (!team.slack && !team.discord) {
      ctx.addIssue({
        code: 'custom',
        path: ['teams', index],
        message: `team "${team.id}" needs a card channel: add slack: { channel: C… } and/or discord: { channel: "…" }`,
      });
    }
  });
  const knownTeams = [...teamIds].map((t) => `"${t}"`).join(', ');
  const unknownTeam = (path: (string | number)[], team: string) =>
    ctx.addIssue({ code: 'custom', path, message: `unknown team "${team}"; known teams: ${knownTeams}` });
  config.intake.forEach((intake, index) => {
    const team = config.teams.find((t) => t.id === intake.team);
    if (!team) {
      unknownTeam(['intake', index, 'team'], intake.team);
    } else if (!team[intake.platform]) {
      ctx.addIssue({
        code: 'custom',
        path: ['intake', index],
        message: `team "${team.id}" has no ${intake.platform} channel for its cards; add ${intake.platform}: { channel: … } to it`,
      });
    }
  });
  config.routing.forEach((rule, index) => {
    if (rule.team && !teamIds.has(rule.team)) unknownTeam(['routing', index, 'team'], rule.team);
  });
  const tierIds = new Set(config.tiers.map((t) => t.id));
  const unknownTier = (path: (string | number)[], tier: string) =>
    ctx.addIssue({
      code: 'custom',
      path,
      message: `unknown tier "${tier}"; define it under "tiers" (known: ${[...tierIds].join(', ') || 'none'})`,
    });
  config.routing.forEach((rule, index) => {
    if (rule.match.tier && !tierIds.has(rule.match.tier))
      unknownTier(['routing', index, 'match', 'tier'], rule.match.tier);
  });
  if (config.followUp && config.followUp.after >= config.reopenWindow) {
    ctx.addIssue({
      code: 'custom',
      path: ['followUp', 'after'],
      message:
        'the follow-up must come before the reopen window ends (a resolved issue is closed then); shorten followUp.after or lengthen reopenWindow',
    });
  }
  const replyIds = new Set<string>();
  config.replies.forEach((reply, index) => {
    if (replyIds.has(reply.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['replies', index, 'id'],
        message: `saved reply id "${reply.id}" is used twice`,
      });
    }
    replyIds.add(reply.id);
  });
  const scheduleIds = new Set<string>();
  config.schedules.forEach((schedule, index) => {
    if (scheduleIds.has(schedule.id) || schedule.id.startsWith('team:')) {
      ctx.addIssue({
        code: 'custom',
        path: ['schedules', index, 'id'],
        message: `schedule id "${schedule.id}" is used twice`,
      });
    }
    scheduleIds.add(schedule.id);
  });
  const unknownSchedule = (path: (string | number)[], schedule: string) =>
    ctx.addIssue({
      code: 'custom',
      path,
      message: `unknown schedule "${schedule}"; define it under "schedules" (known: ${[...scheduleIds].join(', ') || 'none'})`,
    });
  config.teams.forEach((team, index) => {
    const schedule = team.onCall?.schedule;
    if (schedule !== undefined && !scheduleIds.has(schedule))
      unknownSchedule(['teams', index, 'onCall', 'schedule'], schedule);
  });
  config.sla.escalation.levels.forEach((level, index) => {
    level.notify.forEach((target, at) => {
      if (typeof target === 'object' && 'schedule' in target && !scheduleIds.has(target.schedule))
        unknownSchedule(['sla', 'escalation', 'levels', index, 'notify', at, 'schedule'], target.schedule);
    });
  });
  const calendarIds = new Set(['always', ...config.sla.calendars.map((c) => c.id)]);
  config.sla.policies.forEach((policy, index) => {
    if (!calendarIds.has(policy.calendar)) {
      ctx.addIssue({
        code: 'custom',
        path: ['sla', 'policies', index, 'calendar'],
        message: `unknown calendar "${policy.calendar}"; known: ${[...calendarIds].join(', ')}`,
      });
    }
    if (policy.tier && !tierIds.has(policy.tier))
      unknownTier(['sla', 'policies', index, 'tier'], policy.tier);
    if (policy.team && !teamIds.has(policy.team))
      unknownTeam(['sla', 'policies', index, 'team'], policy.team);
  });
  if (config.digest) {
    for (const [path, message] of digestReferenceProblems(config.digest, {
      teams: teamIds,
      calendars: calendarIds,
    })) {
      ctx.addIssue({ code: 'custom', path, message });
    }
  }
});

export type HeedConfig = z.output<typeof configSchema>;
export type TeamConfig = HeedConfig['teams'][number];
export type RoutingRule = HeedConfig['routing'][number];
export type SlaPolicyConfig = HeedConfig['sla']['policies'][number];
export type EscalationLevelConfig = HeedConfig['sla']['escalation']['levels'][number];
export type NotifyTarget = EscalationLevelConfig['notify'][number];
export type Templates = HeedConfig['templates'];
export { PRIORITIES };
