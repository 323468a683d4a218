import { randomBytes } from 'node:crypto';

/**
 * An error with a stable code, a cause and safe metadata (never a token). What people see is a
 * separate friendly message carrying a reference id that is also logged.
 */
export class HeedError extends Error {
  readonly reference = `E-${randomBytes(3).toString('hex')}`;
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

/** Friendly text for an unexpected failure; the reference lets staff find the log line. */
export function friendlyFailure(reference: string): string {
  return `Sorry, something went wrong on Heed's side and nothing was changed. If it keeps happening, give your admin the reference ${reference}.`;
}
