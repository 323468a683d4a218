import { existsSync } from 'node:fs';
import { envSchema } from '../config/env.ts';
import { acquireInstanceLock, type InstanceLock, InstanceLockedError } from '../store/instance-lock.ts';
import {
  DEFAULT_STORE_URL,
  parseStoreUrl,
  redactStoreUrl,
  type StoreLocation,
  StoreUrlError,
} from '../store/store-url.ts';
import { type CliIo, EXIT } from './cli-io.ts';

// Only the variable these commands need, so an unrelated bad variable (a mistyped token) does not stop them.
const storeEnvSchema = envSchema.pick({ HEED_STORE_URL: true });

/** The store a command works on: `HEED_STORE_URL`, or the default. */
export interface TargetStore {
  readonly url: string;
  readonly location: StoreLocation;
  /** How the store was chosen, for messages: `HEED_STORE_URL=…` (redacted) or the default. */
  readonly source: string;
}

/** Writes `heed: <text>` to stderr and returns the exit code for a failure. */
export function fail(io: CliIo, text: string, code: number = EXIT.failed): number {
  io.stderr(`heed: ${text}\n`);
  return code;
}

/** The store named by `HEED_STORE_URL` (or the default), or what is wrong with it. */
export function targetStore(io: CliIo): TargetStore | { readonly problem: string } {
  const env = storeEnvSchema.safeParse(io.env);
  const fromEnv = env.success ? env.data.HEED_STORE_URL : undefined;
  const url = fromEnv ?? DEFAULT_STORE_URL;
  const source =
    fromEnv === undefined
      ? `the default ${DEFAULT_STORE_URL}, as HEED_STORE_URL is not set`
      : `HEED_STORE_URL=${redactStoreUrl(url)}`;
  try {
    return { url, location: parseStoreUrl(url, io.cwd), source };
  } catch (error) {
    if (error instanceof StoreUrlError) return { problem: error.message };
    throw error;
  }
}

/** An SQLite store that is not there yet, described for a command that will not create it. */
export function missingSqliteStore(target: TargetStore): string | undefined {
  if (target.location.kind !== 'sqlite' || existsSync(target.location.path)) return undefined;
  return `no Heed store at ${target.location.path} (${target.source}).\nSet HEED_STORE_URL to the store your server uses, e.g. HEED_STORE_URL=sqlite:///var/lib/heed/heed.sqlite`;
}

/**
 * Takes the single-writer lock of an SQLite store, so a command that writes never does so beside a
 * running server. Other stores need none. Returns the lock, or the message when a server holds it.
 */
export async function lockForWriting(
  location: StoreLocation,
  io: CliIo,
): Promise<{ readonly lock: InstanceLock | undefined } | { readonly problem: string }> {
  if (location.kind !== 'sqlite') return { lock: undefined };
  try {
    return { lock: await acquireInstanceLock(location.path, { pid: process.pid, startedAt: io.now() }) };
  } catch (error) {
    if (error instanceof InstanceLockedError) return { problem: error.message };
    throw error;
  }
}
