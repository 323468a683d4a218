/**
 * `npm run bench:start-up`: how long Heed takes from `node …` to a healthy `/healthz` (Slack and Discord
 * connected, against the bundled emulators), and its resident memory then, run from source (tsx, as
 * `npm run dev` and the demo do) and compiled (`node dist/main.js`, as `npm start` and the container do;
 * run `npm run build` first).
 *
 * `--app-dir <dir>` runs the compiled build of another directory instead (CI's container-build check
 * points it at a production install: `npm ci --omit=dev` plus dist/), `--runs N` repeats each (default 5).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { emulatorEnv, startDiscord, startSlack } from '../demo/workspace.ts';

const ROOT = resolve(import.meta.dirname, '..');

interface Sample {
  readonly readyMs: number;
  readonly rssMb: number;
}

/** One start: spawn, poll /healthz until both platforms are connected, read RSS, stop with SIGTERM. */
async function startOnce(command: readonly string[], credentials: Record<string, string>): Promise<Sample> {
  const cwd = mkdtempSync(join(tmpdir(), 'heed-start-up-'));
  copyFileSync(join(ROOT, 'heed.config.example.yaml'), join(cwd, 'heed.config.yaml'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const began = performance.now();
  const child = spawn(process.execPath, command, {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HEED_STORE_URL: `sqlite://${join(cwd, 'heed.sqlite')}`,
      PORT: String(port),
      ...credentials,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  try {
    for (;;) {
      if (exited) throw new Error(`Heed exited before it was healthy:\n${stderr}`);
      if (performance.now() - began > 60_000) throw new Error(`not healthy within 60 s:\n${stderr}`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      if (health?.status === 200) {
        const body = (await health.json()) as { slack?: string; discord?: string };
        if (body.slack !== 'connected' || body.discord !== 'connected') {
          throw new Error(`healthy but not connected: ${JSON.stringify(body)}`);
        }
        break;
      }
      await new Promise((done) => setTimeout(done, 20));
    }
    const readyMs = performance.now() - began;
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
    const stopped = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    const code = await stopped;
    if (code !== 0) throw new Error(`Heed did not stop cleanly on SIGTERM (exit ${code}):\n${stderr}`);
    return { readyMs, rssMb: rssKb / 1024 };
  } finally {
    if (!exited) {
      const stopped = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await stopped;
    }
    rmSync(cwd, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function runStartUpBench(options: { runs?: number; appDir?: string } = {}): Promise<void> {
  const runs = options.runs ?? 5;
  const slack = await startSlack();
  const discord = await startDiscord();
  const credentials = emulatorEnv(slack, discord);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const appDir = options.appDir ?? ROOT;
  const compiled = join(appDir, 'dist/main.js');
  const variants: Array<[string, readonly string[]]> = options.appDir
    ? [[`compiled (${appDir})`, [compiled]]]
    : [
        ['from source: node --import tsx main.ts', ['--import', tsx, join(ROOT, 'main.ts')]],
        ['compiled: node dist/main.js', [compiled]],
      ];
  try {
    console.log(`\nStart-up: spawn to a healthy /healthz (Slack and Discord connected), ${runs} runs each`);
    for (const [name, command] of variants) {
      if (command.includes(compiled) && !existsSync(compiled)) {
        console.log(`  ${name}: no build (run npm run build first)`);
        continue;
      }
      const samples: Sample[] = [];
      for (let run = 0; run < runs; run++) samples.push(await startOnce(command, credentials));
      const ready = median(samples.map((sample) => sample.readyMs));
      const rss = median(samples.map((sample) => sample.rssMb));
      console.log(`  ${name}: ready in ${ready.toFixed(0)} ms (median), RSS ${rss.toFixed(0)} MB`);
    }
  } finally {
    await slack.close();
    await discord.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, 'app-dir': { type: 'string' } } });
  await runStartUpBench({
    ...(values.runs ? { runs: Number(values.runs) } : {}),
    ...(values['app-dir'] ? { appDir: resolve(values['app-dir']) } : {}),
  });
}
