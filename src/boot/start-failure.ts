import { ConfigError } from '../config/load-config.ts';
import { EXIT_CODES, HeedError } from '../core/errors.ts';
import { InstanceLockedError } from '../store/instance-lock.ts';
import { explainStoreError, StoreError } from '../store/store-error.ts';
import { StoreUrlError } from '../store/store-url.ts';

/** What `npm start` prints (one message, no stack) and the code it exits with. */
export interface StartFailure {
  readonly message: string;
  readonly exitCode: number;
}

/** Where the failure happened, for advice that fits. */
export interface StartContext {
  /** `HEED_STORE_URL` as set (undefined: the default SQLite file). */
  readonly storeUrl?: string | undefined;
}

const FILE_SYSTEM_CODES = new Set([
  'EACCES',
  'EPERM',
  'EEXIST',
  'ENOTDIR',
  'ENOENT',
  'EROFS',
  'ENOSPC',
  'EISDIR',
]);

/**
 * Turns whatever stopped Heed from starting into one line for the terminal and an exit code: what went
 * wrong (the cause once, URLs without passwords) and what to do. The stack goes to the debug log only.
 */
export function describeStartFailure(error: unknown, context: StartContext = {}): StartFailure {
  if (error instanceof ConfigError || error instanceof StoreUrlError) {
    return { message: error.message, exitCode: EXIT_CODES.configuration };
  }
  if (error instanceof InstanceLockedError) return { message: error.message, exitCode: EXIT_CODES.store };
  if (error instanceof StoreError) {
    return { message: explainStoreError(error, context.storeUrl), exitCode: EXIT_CODES.store };
  }
  if (error instanceof HeedError) {
    if (error.code === 'PLATFORM_REFUSED') return { message: error.message, exitCode: EXIT_CODES.refused };
    if (error.code === 'PLATFORM_UNREACHABLE') {
      return { message: error.message, exitCode: EXIT_CODES.unreachable };
    }
    if (error.code === 'SHARED_MODE_NEEDS_SHARED_STORE') {
      return { message: error.message, exitCode: EXIT_CODES.configuration };
    }
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    const port = (error as { port?: unknown }).port;
    return {
      message: `Port ${typeof port === 'number' ? port : '(the one configured)'} is already in use, by another Heed or another program. Stop it, or set PORT (and HEED_METRICS_PORT, if set) to a free port.`,
      exitCode: EXIT_CODES.configuration,
    };
  }
  if (typeof code === 'string' && FILE_SYSTEM_CODES.has(code) && error instanceof Error) {
    return {
      message: `Cannot use the SQLite store's directory: ${error.message}.\nHEED_STORE_URL must name a file in a directory Heed can create and write to (the default is sqlite://./data/heed.sqlite).`,
      exitCode: EXIT_CODES.store,
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  return {
    message: `Heed could not start: ${text}\nThis looks like a bug. Run again with LOG_LEVEL=debug for the details, and report them (without tokens) at the project's issue tracker.`,
    exitCode: EXIT_CODES.unexpected,
  };
}
