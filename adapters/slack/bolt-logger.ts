import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/logging/logger.ts';

const PINO_TO_BOLT: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

type Method = 'debug' | 'info' | 'warn' | 'error';

// The Web API and Socket Mode clients log request and response bodies at debug level ("http request
// body: {…}"): they hold what customers wrote, so the payload is replaced by its size.
const TRAILING_PAYLOAD = /([:=]\s*)([[{][\s\S]*)$/;

function withoutPayload(text: string): string {
  return text.replace(TRAILING_PAYLOAD, (_, lead: string, payload: string) => {
    return `${lead}[${payload.length} chars redacted]`;
  });
}

function describePart(part: unknown): string {
  if (typeof part === 'string') return withoutPayload(part);
  if (part !== null && typeof part === 'object')
    return `[${Array.isArray(part) ? 'array' : 'object'} redacted]`;
  return String(part);
}

/** Bolt's logger interface on top of Heed's pino logger (Bolt passes strings and, sometimes, an Error). */
export function boltLogger(logger: Logger): BoltLogger {
  let level = PINO_TO_BOLT[logger.level] ?? LogLevel.INFO;
  // `component`, not `module`: the adapter's logger already binds `module`, and pino would write it twice.
  let target = logger.child({ component: 'bolt' });
  const write =
    (method: Method) =>
    (...parts: unknown[]): void => {
      // The Web API client logs every request at debug: build nothing for a level that is off.
      if (!target.isLevelEnabled(method)) return;
      const err = parts.find((part) => part instanceof Error);
      const text = parts
        .filter((part) => part !== err)
        .map(describePart)
        .join(' ');
      if (err) target[method]({ err }, text);
      else target[method](text);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: (name: string) => {
      target = logger.child({ component: `bolt:${name}` });
    },
  };
}
