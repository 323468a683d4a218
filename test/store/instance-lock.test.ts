import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { acquireInstanceLock, InstanceLockedError } from '../../src/store/instance-lock.ts';

let dir = '';
let storeFile = '';
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'heed-lock-'));
  storeFile = path.join(dir, 'data', 'heed.sqlite');
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  await rm(dir, { recursive: true, force: true });
});

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

// Plants a lock file as another process would have left it.
async function writeLock(content: string): Promise<void> {
  await mkdir(path.dirname(storeFile), { recursive: true });
  await writeFile(`${storeFile}.lock`, content);
}

// The pid of a process that has already exited.
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid;
  await once(child, 'exit');
  if (pid === undefined) {
    throw new Error('could not spawn a child process');
  }
  return pid;
}

// A live child process (killed after the test).
async function liveChild(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
  children.push(child);
  await once(child, 'spawn');
  if (child.pid === undefined) {
    throw new Error('could not spawn a child process');
  }
  return child.pid;
}

describe('acquireInstanceLock', () => {
  it('writes <file>.lock with pid, startedAt and host, and release removes it', async () => {
    const lock = await acquireInstanceLock(storeFile, { pid: process.pid, startedAt: 1_700_000_000_000 });
    expect(lock.path).toBe(`${storeFile}.lock`);
    expect(JSON.parse(await readFile(lock.path, 'utf8'))).toEqual({
      pid: process.pid,
      startedAt: 1_700_000_000_000,
      host: hostname(),
    });
    await lock.release();
    expect(await exists(lock.path)).toBe(false);
    await lock.release(); // twice is harmless
    // No temporary files are left behind.
    expect(await readdir(path.dirname(storeFile))).toEqual([]);
  });

  it('refuses a second acquire while our own live process holds it, with a friendly message', async () => {
    const startedAt = Date.now();
    const first = await acquireInstanceLock(storeFile, { pid: process.pid, startedAt });
    const second = acquireInstanceLock(storeFile, { pid: process.pid, startedAt: startedAt + 1 });
    await expect(second).rejects.toBeInstanceOf(InstanceLockedError);
    const error = (await second.catch((caught: unknown) => caught)) as InstanceLockedError;
    expect(error.code).toBe('INSTANCE_LOCKED');
    expect(error.holder).toMatchObject({ pid: process.pid, startedAt });
    expect(error.message).toContain(storeFile);
    expect(error.message).toContain(`process ${process.pid}`);
    expect(error.message).toContain(new Date(startedAt).toISOString());
    expect(error.message).toMatch(/Stop that server first, or point HEED_STORE_URL at a different store/);
    expect(error.message).toMatch(/Read-only commands such as reports/);
    expect(error.message).toContain(`${storeFile}.lock`);
    // The refused attempt left the holder's lock alone.
    expect(JSON.parse(await readFile(first.path, 'utf8'))).toMatchObject({ startedAt });
    await first.release();
  });

  it('refuses when a live child process holds the lock', async () => {
    const pid = await liveChild();
    await writeLock(JSON.stringify({ pid, startedAt: Date.now(), host: hostname() }));
    await expect(acquireInstanceLock(storeFile, { pid: process.pid, startedAt: Date.now() })).rejects.toThrow(
      new RegExp(`process ${pid} has held it since`),
    );
  });

  it('takes over a lock whose process has exited', async () => {
    const pid = await deadPid();
    await writeLock(JSON.stringify({ pid, startedAt: 1, host: hostname() }));
    const lock = await acquireInstanceLock(storeFile, { pid: process.pid, startedAt: 42 });
    expect(JSON.parse(await readFile(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, startedAt: 42 });
    await lock.release();
    expect(await exists(lock.path)).toBe(false);
  });

  it.each([
    ['garbage', 'not json at all'],
    ['empty', ''],
    ['pid 0', JSON.stringify({ pid: 0, startedAt: 1, host: hostname() })],
    ['no host', JSON.stringify({ pid: process.pid, startedAt: 1 })],
  ])('takes over an unreadable lock (%s)', async (_label, content) => {
    await writeLock(content);
    const lock = await acquireInstanceLock(storeFile, { pid: process.pid, startedAt: 7 });
    expect(JSON.parse(await readFile(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, startedAt: 7 });
    await lock.release();
  });

  it('refuses a lock held on another host, since that process cannot be checked', async () => {
    await writeLock(JSON.stringify({ pid: 12345, startedAt: 1, host: 'elsewhere.example' }));
    await expect(acquireInstanceLock(storeFile, { pid: process.pid, startedAt: 1 })).rejects.toThrow(
      /on host elsewhere\.example/,
    );
  });

  it('release leaves a lock that someone else has taken over', async () => {
    const lock = await acquireInstanceLock(storeFile, { pid: process.pid, startedAt: 1 });
    const other = { pid: process.pid + 1, startedAt: 2, host: hostname() };
    await writeFile(lock.path, JSON.stringify(other));
    await lock.release();
    expect(JSON.parse(await readFile(lock.path, 'utf8'))).toEqual(other);
  });

  it('only one of many concurrent acquirers wins', async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        acquireInstanceLock(storeFile, { pid: process.pid, startedAt: i }),
      ),
    );
    const winners = attempts.filter((attempt) => attempt.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    expect(attempts.filter((attempt) => attempt.status === 'rejected')).toHaveLength(9);
  });

  it('is not needed to open the store: a read-only tool opens it beside the lock holder', async () => {
    const lock = await acquireInstanceLock(storeFile, { pid: process.pid, startedAt: Date.now() });
    const server = await openDatabase(`sqlite://${storeFile}`);
    const tool = await openDatabase(`sqlite://${storeFile}`, { migrations: 'check' });
    try {
      await server.change((trx) =>
        trx.insertInto('counters').values({ name: 'issue-number', value: 7 }).execute(),
      );
      const row = await tool.db.selectFrom('counters').selectAll().executeTakeFirst();
      expect(row).toEqual({ name: 'issue-number', value: 7 });
    } finally {
      await Promise.all([server.close(), tool.close()]);
      await lock.release();
    }
  });
});
