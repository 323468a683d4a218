import { randomBytes } from 'node:crypto';

/**
 * An error with a stable code, a cause and safe metadata (never a token). What people see is a
 * separate friendly message carrying a reference id that is also logged.
 */
/** A fresh reference for a failure (`E-3fa9c1`): what people are shown and the log line carries. */
function newReference(): string {
  return `E-${randomBytes(3).toString('hex')}`;
}

export class HeedError extends Error {
  readonly reference = newReference();
  constructor(
    readonly code: string,
    message: string,
    readonly meta: Record<string, string | number | boolean> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HeedError';
  }
}

/** The reference of a failure: a HeedError's own, or a fresh one for anything else. */
export function failureReference(error: unknown): string {
  return error instanceof HeedError ? error.reference : newReference();
}

/** Friendly text for an unexpected failure; the reference lets staff find the log line. */
export function friendlyFailure(reference: string): string {
  return `Sorry, something went wrong on Heed's side and nothing was changed. If it keeps happening, give your admin the reference ${reference}.`;
}

/** Node's codes for a host that cannot be reached: DNS, connection, timeout and TLS failures. */
const NETWORK_CODES =
  /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|UND_ERR_\w+|CERT_\w+|ERR_TLS_\w+|UNABLE_TO_\w+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)$/;

/**
 * Why a host could not be reached, when that is what went wrong: the innermost network error in the
 * `cause` chain (`getaddrinfo ENOTFOUND slack.com`), else undefined (the host answered, perhaps "no").
 */
export function networkFailure(error: unknown): string | undefined {
  let found: string | undefined;
  const seen = new Set<unknown>();
  for (let current: unknown = error; current instanceof Error && !seen.has(current); ) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.test(code)) found = current.message || code;
    if (current instanceof AggregateError && current.errors[0] instanceof Error) {
      const inner = current.errors[0] as Error & { code?: unknown };
      if (typeof inner.code === 'string' && NETWORK_CODES.test(inner.code))
        found = inner.message || inner.code;
    }
    current = current.cause ?? (current as { original?: unknown }).original;
  }
  return found;
}

/** The host of an API base URL for messages (`slack.com`, `127.0.0.1:3001`), or the text itself. */
export function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Exit codes of `npm start` (`heed` start-up), documented in the README. */
export const EXIT_CODES = {
  /** Stopped on SIGINT or SIGTERM. */
  stopped: 0,
  /** Something unexpected: a bug, to be reported with the debug log. */
  unexpected: 1,
  /** The environment or the config file is not usable (including: no credentials at all). */
  configuration: 2,
  /** The store cannot be opened: unreachable, locked by another instance, or of a newer schema. */
  store: 3,
  /** Slack or Discord refused the credentials (token, signing secret, intents). */
  refused: 4,
  /** Slack or Discord could not be reached (DNS, connection, TLS). */
  unreachable: 5,
} as const;

/** A platform refused Heed's credentials at start-up; the message says which and what to do. */
export function credentialsRefused(message: string, cause?: unknown): HeedError {
  return new HeedError('PLATFORM_REFUSED', message, {}, { cause });
}

/** A platform could not be reached at start-up; the message names the host and what to check. */
export function platformUnreachable(message: string, cause?: unknown): HeedError {
  return new HeedError('PLATFORM_UNREACHABLE', message, {}, { cause });
}
