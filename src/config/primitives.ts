import { z } from 'zod';
import { parseDuration } from '../sla/duration.ts';

/** `90s`, `30m`, `4h`, `2d` → milliseconds, with a friendly message on anything else. */
export const durationString = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'say how long, for example 30m, 2h or 1d'
        : 'a duration is written like 90s, 30m, 4h or 2d (in quotes in YAML if needed)',
  })
  .transform((value, ctx) => {
    try {
      return parseDuration(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

export const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, 'use letters, digits, "-" or "_" (for example "support" or "tier-2")');
export const snowflake = z
  .string()
  .regex(/^\d{5,25}$/, 'a Discord id is a long number in quotes, e.g. "1100000000000000001"');
export const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack user id looks like "U0123ABCD"');
export const slackChannelId = z
  .string()
  .regex(/^[CGD][A-Z0-9]{2,}$/, 'a Slack channel id looks like "C0123ABCD"');

export const perPlatformList = z
  .object({ slack: z.array(slackUserId).default([]), discord: z.array(snowflake).default([]) })
  .strict()
  .default({ slack: [], discord: [] });
