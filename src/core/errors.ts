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
