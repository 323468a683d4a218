/**
 * The Dockerfile, run without a container runtime (none can pull images here): each stage in a fresh
 * directory standing in for its WORKDIR, every COPY and RUN executed as written (`/app` mapped to that
 * directory), system packages checked instead of installed. Then the final stage's CMD is started against
 * the bundled Slack and Discord emulators until its HEALTHCHECK passes, stopped with SIGTERM, and started
 * once more without credentials (the friendly pointer, exit 2). So the image's steps cannot rot.
 *
 *   npx tsx .ci/container-build.ts            (CI runs it from .ci/run)
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { emulatorEnv, startDiscord, startSlack } from '../demo/workspace.ts';

const CONTEXT = resolve(import.meta.dirname, '..');

interface Stage {
  readonly name: string;
  readonly dir: string;
  workdir: string;
  env: Record<string, string>;
  cmd?: string[];
  healthcheck?: string[];
  exposed?: number;
}

/** Instructions with line continuations joined and comments dropped. */
function instructions(dockerfile: string): Array<{ op: string; args: string }> {
  const joined = dockerfile.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

function log(text: string) {
  console.log(`[container-build] ${text}`);
}

/** A path inside the stage: `/app/x` (the WORKDIR) or a relative path lands in the stage's directory. */
function inStage(stage: Stage, path: string): string {
  if (path.startsWith(stage.workdir)) return join(stage.dir, path.slice(stage.workdir.length));
  if (path.startsWith('/')) throw new Error(`a path outside WORKDIR (${path}) is not supported here`);
  return join(stage.dir, path);
}

function run(stage: Stage, command: string) {
  if (/^apt-get\b/.test(command)) {
    const packages = /install\s+(?:-\S+\s+)*([^&]+)/.exec(command)?.[1]?.trim().split(/\s+/) ?? [];
    const commands = packages.map((name) => (name === 'g++' ? 'g++' : name));
    for (const tool of commands) {
      if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
        throw new Error(`${tool} is not installed`);
    }
    log(`RUN apt-get: ${commands.join(', ')} present`);
    return;
  }
  const script = command.replaceAll(stage.workdir, stage.dir);
  // Without a `node` user on this machine, chown is a no-op; the directory still has to be made.
  const chownStub = spawnSync('id', ['node']).status === 0 ? '' : 'chown() { :; }; ';
  log(`RUN ${command}`);
  execFileSync('bash', ['-c', `set -euo pipefail; ${chownStub}${script}`], {
    cwd: stage.dir,
    stdio: 'inherit',
    env: { ...process.env, ...stage.env },
  });
}

function copy(stage: Stage, args: string, stages: Map<string, Stage>) {
  const parts = args.split(/\s+/);
  const from = parts[0]?.startsWith('--from=')
    ? stages.get(parts.shift()!.slice('--from='.length))
    : undefined;
  const dest = parts.pop()!;
  for (const source of parts) {
    const origin = from ? inStage(from, source) : join(CONTEXT, source);
    const target =
      dest.endsWith('/') || parts.length > 1
        ? join(inStage(stage, dest), basename(source))
        : inStage(stage, dest);
    if (!existsSync(origin)) throw new Error(`COPY ${source}: not found`);
    cpSync(origin, target, { recursive: true });
  }
  log(`COPY ${args}`);
}

function jsonArray(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || parsed.some((part) => typeof part !== 'string')) {
    throw new Error(`expected the exec form (a JSON array): ${text}`);
  }
  return parsed as string[];
}

function build(): Stage {
  const stages = new Map<string, Stage>();
  let stage: Stage | undefined;
  for (const { op, args } of instructions(readFileSync(join(CONTEXT, 'Dockerfile'), 'utf8'))) {
    if (op === 'FROM') {
      const name = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? `stage-${stages.size}`;
      stage = { name, dir: mkdtempSync(join(tmpdir(), `heed-image-${name}-`)), workdir: '/', env: {} };
      stages.set(name, stage);
      log(`FROM ${args} → ${stage.dir}`);
      continue;
    }
    if (!stage) throw new Error(`${op} before FROM`);
    switch (op) {
      case 'WORKDIR':
        stage.workdir = args;
        break;
      case 'ENV':
        for (const [, key, value] of args.matchAll(/(\w+)=(\S+)/g)) stage.env[key!] = value!;
        break;
      case 'COPY':
        copy(stage, args, stages);
        break;
      case 'RUN':
        run(stage, args);
        break;
      case 'EXPOSE':
        stage.exposed = Number.parseInt(args, 10);
        break;
      case 'HEALTHCHECK':
        stage.healthcheck = jsonArray(args.slice(args.indexOf('CMD') + 3).trim());
        break;
      case 'CMD':
        stage.cmd = jsonArray(args);
        break;
      case 'USER':
      case 'VOLUME':
        break;
      default:
        throw new Error(`Dockerfile instruction ${op} is not handled by this check`);
    }
  }
  if (!stage) throw new Error('no FROM in the Dockerfile');
  for (const other of stages.values())
    if (other !== stage) rmSync(other.dir, { recursive: true, force: true });
  return stage;
}

async function check(image: Stage) {
  if (!image.cmd || !image.healthcheck) throw new Error('the final stage needs CMD and HEALTHCHECK');
  if (existsSync(join(image.dir, 'node_modules/typescript')))
    throw new Error('dev dependencies in the image');
  const [program, ...args] = image.cmd;
  const node = program === 'node' ? process.execPath : program!;
  const bare = spawnSync(node, args, {
    cwd: image.dir,
    env: { PATH: process.env.PATH ?? '', ...image.env },
    encoding: 'utf8',
  });
  if (bare.status !== 2 || !bare.stderr.includes('npm run demo')) {
    throw new Error(`without credentials: exit ${bare.status}, ${bare.stderr}`);
  }
  log('CMD without credentials: exit 2 with the pointer to the demo');
  const version = execFileSync(process.execPath, ['bin/heed.js', '--version'], {
    cwd: image.dir,
    encoding: 'utf8',
  });
  log(`bin/heed.js --version: ${version.trim()}`);

  cpSync(join(image.dir, 'heed.config.example.yaml'), join(image.dir, 'heed.config.yaml'));
  const slack = await startSlack();
  const discord = await startDiscord();
  const port = String(image.exposed ?? 3000);
  const child = spawn(node, args, {
    cwd: image.dir,
    env: {
      PATH: process.env.PATH ?? '',
      ...image.env,
      PORT: port,
      ...emulatorEnv(slack, discord),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    const began = Date.now();
    const [checker, ...checkArgs] = image.healthcheck;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the container's CMD exited with ${child.exitCode}`);
      const probe = spawnSync(checker === 'node' ? process.execPath : checker!, checkArgs, {
        env: { PATH: process.env.PATH ?? '', PORT: port },
      });
      if (probe.status === 0) break;
      if (Date.now() - began > 60_000) throw new Error('HEALTHCHECK did not pass within 60 s');
      await new Promise((done) => setTimeout(done, 250));
    }
    log(`HEALTHCHECK passed ${Date.now() - began} ms after start`);
  } catch (error) {
    child.kill('SIGKILL');
    await slack.close();
    await discord.close();
    throw error;
  }
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  child.kill('SIGTERM');
  const code = child.exitCode ?? (await exited);
  await slack.close();
  await discord.close();
  if (code !== 0) throw new Error(`SIGTERM: exit ${code}`);
  log('SIGTERM: clean stop (exit 0)');
}

const image = build();
try {
  await check(image);
} finally {
  rmSync(image.dir, { recursive: true, force: true });
}
log('the Dockerfile builds and its image runs');
