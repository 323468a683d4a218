/**
 * Runs the real server (the process entry `main.ts` and its composition root `src/main.ts`, as `npm start` does) in a child process and reads its JSON log,
 * for tests that kill it, restart it or run two of them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const MAIN = join(import.meta.dirname, '../../main.ts');
// The server may run in a directory of its own (no stray .env), so tsx is passed by absolute URL.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const children = new Set<ChildProcess>();

export interface HeedProcess {
  readonly child: ChildProcess;
  /** The HTTP port Slack events go to (when Slack runs over HTTP). */
  readonly slackPort: number | undefined;
  /** Every JSON log line so far, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Resolves with the first log line (past or future) matching `predicate`. */
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Sends a signal and waits for the process to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts `main.ts` with exactly `env` added to this process's environment; resolves once running. */
export async function startHeedProcess(options: {
  cwd: string;
  env: Record<string, string>;
}): Promise<HeedProcess> {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd: options.cwd,
    env: { ...process.env, LOG_LEVEL: 'info', NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const logs: Record<string, unknown>[] = [];
  const waiters = new Set<{
    predicate: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }>();
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    logs.push(line);
    for (const waiter of waiters) {
      if (waiter.predicate(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  const waitForLog = (predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 20_000) => {
    const seen = logs.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const waiter = {
        predicate,
        resolve: (line: Record<string, unknown>) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr}`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  };
  const running = await Promise.race([
    waitForLog((line) => line.msg === 'Heed is running'),
    new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`))),
    ),
  ]);
  return {
    child,
    slackPort: typeof running.slackPort === 'number' ? running.slackPort : undefined,
    logs,
    waitForLog,
    kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
}

/** Kills every server still running (call from `afterAll`). */
export function killAllHeedProcesses(): void {
  for (const child of children) child.kill('SIGKILL');
}
