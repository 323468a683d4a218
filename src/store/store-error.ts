/** Why a store operation failed; `cause` holds the backend's own error. */
export type StoreErrorCode =
  | 'STORE_UNAVAILABLE'
  | 'STORE_OPERATION_FAILED'
  | 'STORE_CLOSED'
  | 'STORE_SCHEMA_NEWER'
  | 'STORE_OLD_FORMAT'
  | 'STORE_RETIRED_BACKEND';

/** A failure of the store. Messages name the store without its password. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** The backend's error code (`SQLITE_BUSY`, PostgreSQL's `23505`), if it has one. */
export function backendCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** A unique key, foreign key or check refused the row (either backend): the row is bad, the store is fine. */
export function isConstraintViolation(error: unknown): boolean {
  const code = backendCode(error) ?? '';
  return code.startsWith('SQLITE_CONSTRAINT') || /^23\d{3}$/.test(code);
}

/** A readable reason; Node's AggregateError (IPv4 and IPv6 both refused) has an empty message. */
export function causeText(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') {
    const first: unknown = error.errors[0];
    return first instanceof Error ? first.message : 'connection failed';
  }
  if (error instanceof Error) {
    return error.message !== '' ? error.message : (backendCode(error) ?? error.name);
  }
  return String(error);
}

/** What to check when a store cannot be reached: PostgreSQL's server and URL, or SQLite's directory. */
export function storeAdvice(storeUrl: string | undefined): string {
  return storeUrl !== undefined && /^postgres(ql)?:/i.test(storeUrl)
    ? 'Check that PostgreSQL is running and that HEED_STORE_URL names the right host, port, user, password and database.'
    : 'Check that HEED_STORE_URL names a file in a directory Heed can write to (the default is sqlite://./data/heed.sqlite).';
}

/** A store failure for a person: the store's own message (the URL without its password, the cause once), then what to do. */
export function explainStoreError(error: StoreError, storeUrl: string | undefined): string {
  return error.code === 'STORE_UNAVAILABLE' ? `${error.message}\n${storeAdvice(storeUrl)}` : error.message;
}
