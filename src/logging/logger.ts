import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

/** Paths pino blanks out: tokens, secrets and customer message bodies never reach a log line. */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'botToken',
  'appToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'text',
  '*.text',
  'body',
  '*.body',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'DISCORD_TOKEN',
  // Platform errors: discord.js keeps the request body (customer text) and URL (webhook URLs hold the
  // interaction token); HTTP clients keep their request config (headers with the token, the body).
  'err.requestBody',
  '*.requestBody',
  'err.original.requestBody',
  'err.config',
  'err.original.config',
  'err.request',
  'err.original.request',
  '*.headers.authorization',
  '*.headers.Authorization',
  'url',
  '*.url',
  'err.url',
  'err.original.url',
];

const SECRET_IN_URL: readonly [RegExp, string][] = [
  // Discord interaction webhooks and callbacks: /webhooks/<app>/<token>, /interactions/<id>/<token>.
  [/\/(webhooks|interactions)\/(\d+)\/[^/?#]+/g, '/$1/$2/[redacted]'],
  // Slack response URLs and incoming webhooks: everything after /commands/, /actions/, /services/.
  [/\/(commands|actions|services)\/[^?#]*/g, '/$1/[redacted]'],
  // user:password@host, and token-like query parameters.
  [/\/\/[^/@\s]+@/g, '//[redacted]@'],
  [/([?&](?:token|key|secret|signature|sig)=)[^&#]*/gi, '$1[redacted]'],
];

/** A URL with its secrets (interaction tokens, webhook paths, passwords, token parameters) blanked. */
export function redactUrl(url: string): string {
  return SECRET_IN_URL.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), url);
}

// URLs stay useful with only their secret parts blanked; everything else is replaced whole.
function censor(value: unknown, path: string[]): unknown {
  return path.at(-1) === 'url' && typeof value === 'string' ? redactUrl(value) : '[redacted]';
}

/** The one root logger. Modules take `logger.child({ module })`. */
export function createLogger(
  options: { level?: string; pretty?: boolean; destination?: NodeJS.WritableStream } = {},
): Logger {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor },
    base: { app: 'heed' },
  };
  if (options.pretty && !options.destination) {
    return pino({
      ...config,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss' } },
    });
  }
  return options.destination ? pino(config, options.destination) : pino(config);
}

/** Resolves once what the logger holds is written (before `process.exit`, which would cut it off). */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    logger.flush(() => resolve());
  });
}

/** A logger that writes nothing, for unit tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
