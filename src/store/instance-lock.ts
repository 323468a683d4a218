import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

/** Who holds an instance lock, as written in the lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly startedAt: number;
  readonly host: string;
}

/** A held lock on an SQLite store file. */
export interface InstanceLock {
  /** The lock file, `<store file>.lock`. */
  readonly path: string;
  /** Removes the lock file if it still names this process. Safe to call more than once. */
  release(): Promise<void>;
}

/** Thrown when another live Heed server holds the lock on the same SQLite file. */
export class InstanceLockedError extends Error {
  readonly code = 'INSTANCE_LOCKED';
  readonly storeFile: string;
  readonly lockPath: string;
  readonly holder: LockHolder;

  constructor(storeFile: string, lockPath: string, holder: LockHolder) {
    const since = Number.isFinite(holder.startedAt)
      ? new Date(holder.startedAt).toISOString()
      : 'an unknown time';
    const onHost = holder.host === hostname() ? '' : ` on host ${holder.host}`;
    super(
      [
        `Another Heed server is already using ${storeFile}: process ${holder.pid}${onHost} has held it since ${since}.`,
        'Stop that server first, or point HEED_STORE_URL at a different store.',
        'Read-only commands such as reports and exports work without the lock and can run beside it.',
        `If no Heed server is running, the lock is stale: delete ${lockPath} and start again.`,
      ].join('\n'),
    );
    this.name = 'InstanceLockedError';
    this.storeFile = storeFile;
    this.lockPath = lockPath;
    this.holder = holder;
  }
}

const MAX_ATTEMPTS = 5;

/**
 * Takes the single-writer lock for an SQLite store: creates `<sqliteFilePath>.lock` holding
 * `{ pid, startedAt, host }`. A lock whose process is gone (or whose content is unreadable) is
 * taken over; a lock held by a live process on this host, or by any process on another host,
 * throws {@link InstanceLockedError}. Read-only tools must not call this.
 */
export async function acquireInstanceLock(
  sqliteFilePath: string,
  info: { pid: number; startedAt: number },
): Promise<InstanceLock> {
  const storeFile = path.resolve(sqliteFilePath);
  const lockPath = `${storeFile}.lock`;
  const mine: LockHolder = { pid: info.pid, startedAt: info.startedAt, host: hostname() };
  const content = `${JSON.stringify(mine)}\n`;
  await mkdir(path.dirname(lockPath), { recursive: true });

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (await createExclusive(lockPath, content)) {
      return { path: lockPath, release: () => releaseLock(lockPath, mine) };
    }
    const raw = await readFile(lockPath, 'utf8').catch(ignoreMissing);
    if (raw === undefined) {
      continue; // released between our attempt and the read
    }
    const holder = parseHolder(raw);
    if (holder !== undefined && holdsLock(holder)) {
      throw new InstanceLockedError(storeFile, lockPath, holder);
    }
    await takeOverStale(lockPath, raw);
  }
  throw new Error(`Could not take the lock ${lockPath}: it kept changing while we tried. Try again.`);
}

/**
 * The live process holding the lock on an SQLite store, if any (a stale or unreadable lock file counts as
 * none). For tools that only read a store but want nobody writing it meanwhile, such as `heed import`
 * reading a Heed 0.1 store; it takes nothing and writes nothing.
 */
export async function lockHolder(sqliteFilePath: string): Promise<LockHolder | undefined> {
  const raw = await readFile(`${path.resolve(sqliteFilePath)}.lock`, 'utf8').catch(ignoreMissing);
  const holder = raw === undefined ? undefined : parseHolder(raw);
  return holder !== undefined && holdsLock(holder) ? holder : undefined;
}

// Publishes the lock with its content in one step: the content goes to a private temporary file (opened
// with 'wx'), which is then hard-linked to the lock path. `link` fails if the lock exists, so no reader
// ever sees a half-written lock and mistakes it for a stale one.
async function createExclusive(lockPath: string, content: string): Promise<boolean> {
  const temp = `${lockPath}.${process.pid}.${randomUUID()}.tmp`;
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, lockPath);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') {
      return false;
    }
    throw error;
  } finally {
    await unlink(temp).catch(ignoreMissing);
  }
}

// Removes a stale lock without removing a fresh one that another starting server has just taken: move it
// aside, check that what we moved is still the stale content, and put it back otherwise.
async function takeOverStale(lockPath: string, staleRaw: string): Promise<void> {
  const aside = `${lockPath}.${process.pid}.${randomUUID()}.stale`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      return;
    }
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(ignoreMissing);
  if (moved !== staleRaw) {
    await link(aside, lockPath).catch((error: unknown) => {
      if (errorCode(error) !== 'EEXIST') {
        throw error;
      }
    });
  }
  await unlink(aside).catch(ignoreMissing);
}

async function releaseLock(lockPath: string, mine: LockHolder): Promise<void> {
  const raw = await readFile(lockPath, 'utf8').catch(ignoreMissing);
  if (raw === undefined) {
    return;
  }
  const holder = parseHolder(raw);
  // Someone may have taken over a lock they believed stale; their lock is not ours to remove.
  if (holder?.pid === mine.pid && holder.startedAt === mine.startedAt && holder.host === mine.host) {
    await unlink(lockPath).catch(ignoreMissing);
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const { pid, startedAt, host } = value as Record<string, unknown>;
  // pid 0 or negative would make process.kill probe a whole process group.
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) {
    return undefined;
  }
  if (typeof host !== 'string' || host === '') {
    return undefined;
  }
  return { pid, startedAt: typeof startedAt === 'number' ? startedAt : Number.NaN, host };
}

function holdsLock(holder: LockHolder): boolean {
  // A process on another host cannot be probed from here: assume it is alive.
  if (holder.host !== hostname()) {
    return true;
  }
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return errorCode(error) === 'EPERM';
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

function ignoreMissing(error: unknown): undefined {
  if (errorCode(error) === 'ENOENT') {
    return undefined;
  }
  throw error;
}
