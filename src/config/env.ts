import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** A TCP port from the environment, or undefined when unset or blank: digits only, 0–65535 (0 picks a free port). */
function optionalPort(name: string) {
  const message = `${name} must be a port number from 0 to 65535, such as 3000`;
  const digits = z
    .string({ message })
    .trim()
    .regex(/^\d{1,5}$/, { message })
    .transform(Number)
    .refine((value) => value <= 65_535, { message });
  return z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    digits.optional(),
  );
}

/**
 * A Discord bot token is three base64url parts joined by dots. The usual mistakes: the "Bot " prefix
 * copied along, or the OAuth2 client secret (one part) pasted instead of the token.
 */
function discordTokenProblem(token: string): string | undefined {
  if (/^bot\s/i.test(token)) return 'DISCORD_TOKEN is the token alone: leave out the "Bot " in front of it';
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) {
    return 'DISCORD_TOKEN does not look like a bot token (three parts joined by dots). Copy it from the developer portal: your application → Bot → Reset Token. The OAuth2 client secret is not the token.';
  }
  return undefined;
}

/** Everything Heed reads from the environment. Secrets live here, never in the config file. */
export const envSchema = z.object({
  HEED_CONFIG: z.string().default('./heed.config.yaml'),
  HEED_STORE_URL: optionalString,
  HEED_COORDINATION_URL: optionalString,
  /**
   * SQLite only: `full` (default) flushes every commit to disk, so an acknowledged message survives a
   * power loss; `normal` flushes at checkpoints (survives a crash of Heed, not of the machine), faster.
   */
  HEED_SQLITE_SYNCHRONOUS: z
    .enum(['full', 'normal'], { message: 'HEED_SQLITE_SYNCHRONOUS is full (the default) or normal' })
    .default('full'),
  HEED_KEY_PREFIX: optionalString.refine((v) => v === undefined || /^[\w:.-]{1,64}$/.test(v), {
    message:
      'HEED_KEY_PREFIX may hold letters, digits and _ : . - (at most 64), as in "heed:" or "acme-heed:"',
  }),
  /**
   * Tests only: the server kills itself (SIGKILL) at this step of sending an SLA alert, to prove alerts
   * survive a crash at each step (`alert-recorded`: fired and in the outbox, not sent; `alert-sent`: sent,
   * not marked; `alert-marked`: marked sent).
   */
  HEED_TEST_CRASH_AT: z
    .enum(['alert-recorded', 'alert-sent', 'alert-marked'], {
      message: 'HEED_TEST_CRASH_AT is alert-recorded, alert-sent or alert-marked (tests only)',
    })
    .optional(),
  PORT: optionalPort('PORT').transform((value) => value ?? 3000),
  HEED_METRICS_PORT: optionalPort('HEED_METRICS_PORT'),
  /** Serves the web dashboard on a port of its own instead of beside Slack's endpoint (or `PORT`). */
  HEED_DASHBOARD_PORT: optionalPort('HEED_DASHBOARD_PORT'),
  /**
   * The address people reach Heed at (`https://heed.example.com`): the base of dashboard sign-in links.
   * Without it the dashboard answers on this machine only.
   */
  HEED_PUBLIC_URL: optionalString.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        const url = new URL(v);
        return (
          (url.protocol === 'https:' || url.protocol === 'http:') &&
          url.pathname === '/' &&
          !url.search &&
          !url.hash
        );
      } catch {
        return false;
      }
    },
    {
      message:
        'HEED_PUBLIC_URL is the address people reach Heed at, scheme and host only, such as https://heed.example.com (the dashboard is served under /dashboard/ there)',
    },
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: optionalString,
  SLACK_BOT_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xoxb-'), {
    message:
      'SLACK_BOT_TOKEN must be a bot token starting with "xoxb-" (OAuth & Permissions page of your Slack app)',
  }),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xapp-'), {
    message:
      'SLACK_APP_TOKEN must be an app-level token starting with "xapp-" (Basic Information → App-Level Tokens)',
  }),
  SLACK_API_URL: optionalString,
  DISCORD_TOKEN: optionalString.superRefine((token, context) => {
    const problem = token === undefined ? undefined : discordTokenProblem(token);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }),
  DISCORD_APPLICATION_ID: optionalString.refine((v) => v === undefined || /^\d{5,25}$/.test(v), {
    message: 'DISCORD_APPLICATION_ID is the numeric Application ID from the Discord developer portal',
  }),
  DISCORD_API_URL: optionalString,
});

export type HeedEnv = z.output<typeof envSchema>;

/** Names of variables that hold secrets: never logged, redacted everywhere. */
export const SECRET_ENV_KEYS = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'DISCORD_TOKEN',
] as const;

export function parseEnv(source: NodeJS.ProcessEnv): HeedEnv {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new Error(`The environment is not valid for Heed:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}
