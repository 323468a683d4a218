/**
 * Slack HTTP benchmark (issue 8): Slack intake as the storage issue asks, side by side in one run on one
 * machine. A bare Bolt 5 app that does Heed's platform work for each new customer message with no storage
 * (a reply in the customer's thread, a card with two buttons in the team channel), Heed on an SQLite file
 * and Heed on PostgreSQL all answer the same signed Events API `event_callback` deliveries (new top-level
 * customer messages in a Slack Connect intake channel, each with its own `event_id`) from the Slack
 * emulator. Figures: completed intake throughput at a fixed concurrency (a message is completed once both
 * its thread reply and its card are posted) and the ratio Heed/bare; acks per second in the same run; ack
 * latency at a fixed rate (open loop), at the target's 200 events/s and at a light 20 events/s, with how
 * many of the messages were completed within 10 s; CPU per new issue in the app; slash-command round
 * trips. Prints figures and whether each target was met; asserts nothing.
 *
 * Design: each app under test runs in a process of its own (slack-http-app.ts); this process holds the
 * load generator and the emulator, which is also the Web API the apps call while they handle a message. In
 * one process the generator, the emulator and the app would share one event loop, so every figure would
 * measure their sum (the generator alone is a fair share of the CPU at these rates). All apps are driven
 * by the same client, the emulator's `deliverEvent` / `slashCommand`, which opens a fresh connection per
 * request (no keep-alive) and gives up after 10 s, so connection handling is the same for each. Each app
 * gets a fresh emulator and 200 warm-up events that are not counted. Completion is read from the
 * emulator's call log: the reply is the `chat.postMessage` whose `thread_ts` is the message's ts, the card
 * the `chat.postMessage` in the team channel that quotes the message's text (each text carries its own
 * `Request <n>:`), both timed by the emulator when it answered them.
 *
 * `BENCH_HTTP_KINDS` (default `bare,heed-sqlite,heed-postgres,heed-postgres-2`) picks the apps;
 * `heed-postgres-2` is two Heed instances on one PostgreSQL schema behind a round-robin TCP balancer (each
 * delivery opens its own connection, so deliveries alternate), CPU summed over both. `BENCH_HTTP_PG_URL`
 * (default `postgres://postgres@127.0.0.1:5432/test`) is the PostgreSQL database; Heed gets a schema of its
 * own there (`?schema=bench_<random>`), dropped afterwards. `BENCH_HTTP_EVENTS` (default 2000) sets the
 * throughput run, `BENCH_HTTP_SECONDS` (default 10) the latency runs, `BENCH_HTTP_RATE` (default 200/s)
 * the target rate, `BENCH_HTTP_COMMANDS` (default 200) the number of each slash command.
 * `BENCH_HTTP_PROFILE=1` starts each app with `--cpu-prof` and prints where the profiles are.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { redactStoreUrl } from '../src/store/store-url.ts';
import { type SlackEmulator, startSlackEmulator } from '../test/emulators/slack/index.ts';
import type { CallRecord } from '../test/emulators/slack/types.ts';
import type { AppMessage, AppUsage, BenchMessage } from './slack-http-app.ts';
import { CUSTOMERS, emulatorOptions, SLACK_BENCH } from './slack-http-fixtures.ts';
import { mb, ms, percentile } from './stats.ts';

const EVENTS = Number(process.env.BENCH_HTTP_EVENTS ?? 2_000);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_HTTP_RATE ?? 200);
/** A rate every app should keep up with, to show latency without a queue building up. */
const LIGHT_RATE = 20;
const COMMANDS = Number(process.env.BENCH_HTTP_COMMANDS ?? 200);
const PG_URL = process.env.BENCH_HTTP_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PROFILE = process.env.BENCH_HTTP_PROFILE === '1';
const CONCURRENCY = 32;
const WARM_UP = 200;
const TARGET_RATIO = 0.7;
const TARGET_P99_MS = 50;
const TARGET_CPU_MS = 1.5;
/** Slack gives up on an Events API request after 3 s and retries it. */
const SLACK_TIMEOUT_MS = 3_000;
/** How long the throughput run waits, after the last ack, for the last messages to be completed. */
const COMPLETION_WAIT_MS = 60_000;
/** At the target rate, a message counts if its reply and card are posted within this time of sending it. */
const COMPLETED_WITHIN_MS = 10_000;

const KINDS = ['bare', 'heed-sqlite', 'heed-postgres', 'heed-postgres-2'] as const;
type AppKind = (typeof KINDS)[number];
const LABEL: Record<AppKind, string> = {
  bare: 'bare Bolt',
  'heed-sqlite': 'Heed/SQLite',
  'heed-postgres': 'Heed/PostgreSQL',
  'heed-postgres-2': 'Heed/PostgreSQL ×2',
};
const isKind = (value: string): value is AppKind => (KINDS as readonly string[]).includes(value);

/** The kinds `BENCH_HTTP_KINDS` names, in the order given; anything else stops the benchmark. */
function chosenKinds(): AppKind[] {
  const names = (process.env.BENCH_HTTP_KINDS ?? KINDS.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !isKind(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`BENCH_HTTP_KINDS: expected some of ${KINDS.join(',')}, got "${unknown.join(',')}"`);
  }
  return [...new Set(names.filter(isKind))];
}

/** One request: HTTP status (0 when it failed without an answer) and request→response time. */
interface Timed {
  readonly status: number;
  readonly ms: number;
}

/** One customer message sent, and when (emulator clock, `Date.now()`) its reply and card were posted. */
interface Sent {
  readonly sentAt: number;
  replyAt?: number;
  cardAt?: number;
}

interface Throughput {
  /** Acks: count / time until the last answer. */
  readonly acksPerSecond: number;
  readonly non200: number;
  /** Messages completed (reply and card posted) within the wait, and the time until the last of them. */
  readonly completed: number;
  readonly replies: number;
  readonly cards: number;
  readonly completedWallMs: number;
  /** Web API calls per message, by method, from the run's start until the last message was completed. */
  readonly callsPerMessage: ReadonlyMap<string, number>;
  /** Mean size (JSON of the arguments) of the replies and the cards in the run. */
  readonly replyBytes: number;
  readonly cardBytes: number;
}

interface Latency {
  readonly timings: Timed[];
  readonly non200: number;
  /** How late the generator sent its most delayed request against the timetable. */
  readonly maxSendLagMs: number;
  /** Time from sending to the later of reply and card, for the messages completed within the wait. */
  readonly completionMs: number[];
}

interface CommandFigures {
  readonly name: string;
  readonly timings: number[];
  readonly failures: number;
  readonly sample: string;
}

interface AppFigures {
  readonly throughput: Throughput;
  /** Ack latency at the light rate and at the target rate. */
  readonly light: Latency;
  readonly target: Latency;
  readonly commands: CommandFigures[];
  /** App CPU per message in the throughput run (until the last completed), and the generator's (this process, with the emulator). */
  readonly appCpuPerEventMs: number;
  readonly benchCpuPerEventMs: number;
  /** The app's event-loop delay p99 in the throughput run. */
  readonly loopDelayP99: number;
  readonly rss: number;
  /** Customer messages sent over the whole run, how many were completed, Web API calls. */
  readonly sent: number;
  readonly completed: number;
  readonly calls: number;
}

/** What the benchmark needs of the app under test: one process, or several behind a balancer. */
interface App {
  usage(): Promise<AppUsage>;
  stop(): Promise<void>;
}

/** The app under test, in its own process. */
class AppProcess implements App {
  private readonly waiting: Array<(message: AppMessage) => void> = [];

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: AppMessage) => this.waiting.shift()?.(message));
  }

  static async start(
    kind: AppKind,
    apiUrl: string,
    storeUrl: string | undefined,
    profileDir: string | undefined,
  ): Promise<{ app: AppProcess; port: number }> {
    const profile =
      profileDir === undefined
        ? []
        : // A directory per app: Node names each profile by process and thread (tsx's loader has a thread).
          ['--cpu-prof', '--cpu-prof-dir', join(profileDir, kind)];
    const args = [kind === 'bare' ? 'bare' : 'heed', apiUrl, ...(storeUrl === undefined ? [] : [storeUrl])];
    const child = fork(join(import.meta.dirname, 'slack-http-app.ts'), args, {
      execArgv: ['--import', 'tsx', ...profile],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const app = new AppProcess(child);
    const ready = await Promise.race([
      app.next(),
      new Promise<never>((_, reject) =>
        child.once('exit', (code) => reject(new Error(`${kind} exited ${code}`))),
      ),
    ]);
    if (ready.type !== 'ready') throw new Error(`${kind} did not start`);
    return { app, port: ready.port };
  }

  /** CPU, RSS and event-loop delay since the previous call. */
  async usage(): Promise<AppUsage> {
    const answer = this.next();
    this.send({ type: 'usage' });
    const message = await answer;
    if (message.type !== 'usage') throw new Error(`expected usage, got ${message.type}`);
    return message;
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    const stopped = this.next();
    this.send({ type: 'stop' });
    await stopped;
    // A handle left open must not hold the benchmark: the child is ours, so it is ended by its own handle.
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private next(): Promise<AppMessage> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private send(message: BenchMessage): void {
    this.child.send(message);
  }
}

const REQUEST = /Request (\d+):/;

/**
 * Sends new customer messages to the app and follows each one in the emulator's call log until both its
 * reply (in its thread) and its card (in the team channel, quoting its text) are posted.
 */
class Intake {
  private readonly byTs = new Map<string, Sent>();
  private readonly bySequence: Sent[] = [];
  private scanned = 0;

  constructor(private readonly emu: SlackEmulator) {}

  /** Delivers one new, signed top-level customer message with a fresh `event_id`. */
  async deliver(): Promise<Timed & { message: Sent }> {
    const sequence = this.bySequence.length;
    const event = this.emu.messageEvent({
      channel: SLACK_BENCH.customerChannel,
      user: CUSTOMERS[sequence % CUSTOMERS.length]!,
      text: `Request ${sequence}: the nightly export to CSV fails with "error 500" since this morning`,
    });
    const message: Sent = { sentAt: Date.now() };
    this.bySequence.push(message);
    this.byTs.set(String(event.ts), message);
    const started = performance.now();
    try {
      const response = await this.emu.deliverEvent(event);
      return { status: response.status, ms: performance.now() - started, message };
    } catch {
      return { status: 0, ms: performance.now() - started, message };
    }
  }

  /** Waits until every one of `messages` is completed or `deadline` (`Date.now()`) has passed. */
  async waitFor(messages: readonly Sent[], deadline: number): Promise<void> {
    for (;;) {
      this.scan();
      if (messages.every((m) => completedAt(m) !== undefined) || Date.now() >= deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** How many of all the messages sent so far are completed. */
  completedSoFar(): { sent: number; completed: number } {
    this.scan();
    return {
      sent: this.bySequence.length,
      completed: this.bySequence.filter((m) => completedAt(m) !== undefined).length,
    };
  }

  /** Reads the calls recorded since the last scan. */
  private scan(): void {
    const calls = this.emu.calls;
    for (; this.scanned < calls.length; this.scanned += 1) {
      const call = calls[this.scanned]!;
      if (call.method !== 'chat.postMessage' || !call.ok) continue;
      if (isReply(call)) {
        const message = this.byTs.get(String(call.args.thread_ts));
        if (message !== undefined) message.replyAt ??= call.at;
      } else if (isCard(call)) {
        const quoted = REQUEST.exec(JSON.stringify(call.args.blocks ?? call.args.text));
        const message = quoted ? this.bySequence[Number(quoted[1])] : undefined;
        if (message !== undefined) message.cardAt ??= call.at;
      }
    }
  }
}

const isReply = (call: CallRecord) =>
  call.method === 'chat.postMessage' &&
  call.args.channel === SLACK_BENCH.customerChannel &&
  typeof call.args.thread_ts === 'string';
const isCard = (call: CallRecord) =>
  call.method === 'chat.postMessage' && call.args.channel === SLACK_BENCH.teamChannel;

function completedAt(message: Sent): number | undefined {
  return message.replyAt === undefined || message.cardAt === undefined
    ? undefined
    : Math.max(message.replyAt, message.cardAt);
}

function meanBytes(calls: readonly CallRecord[]): number {
  if (calls.length === 0) return Number.NaN;
  return calls.reduce((sum, call) => sum + JSON.stringify(call.args).length, 0) / calls.length;
}

/**
 * `count` deliveries, `concurrency` in flight at any time; acks/s = count / time until the last answer,
 * completed/s = count / time until the last message was completed (or, when some were not within the
 * wait, the completed ones / time until the last of them).
 */
async function closedLoop(
  intake: Intake,
  emu: SlackEmulator,
  count: number,
  concurrency: number,
): Promise<Throughput> {
  let next = 0;
  let non200 = 0;
  const messages: Sent[] = [];
  const firstCall = emu.calls.length;
  const startedAt = Date.now();
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next += 1;
      const answer = await intake.deliver();
      messages.push(answer.message);
      if (answer.status !== 200) non200 += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const ackWallMs = performance.now() - started;
  await intake.waitFor(messages, Date.now() + COMPLETION_WAIT_MS);
  const done = messages.map(completedAt).filter((at) => at !== undefined);
  const lastAt = Math.max(...done);
  const calls = emu.calls.slice(firstCall).filter((call) => call.at <= lastAt);
  const callsPerMessage = new Map<string, number>();
  for (const call of calls)
    callsPerMessage.set(call.method, (callsPerMessage.get(call.method) ?? 0) + 1 / count);
  return {
    acksPerSecond: count / (ackWallMs / 1000),
    non200,
    completed: done.length,
    replies: messages.filter((m) => m.replyAt !== undefined).length,
    cards: messages.filter((m) => m.cardAt !== undefined).length,
    completedWallMs: done.length === 0 ? Number.NaN : lastAt - startedAt,
    callsPerMessage,
    replyBytes: meanBytes(calls.filter(isReply)),
    cardBytes: meanBytes(calls.filter(isCard)),
  };
}

/**
 * Open loop: sends on a fixed timetable (`rate` a second) without waiting for earlier answers, then waits
 * until every message is completed or the last one sent has had its 10 s.
 */
async function openLoop(intake: Intake, rate: number, seconds: number): Promise<Latency> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const inFlight: Promise<Timed & { message: Sent }>[] = [];
  let maxSendLagMs = 0;
  const started = performance.now();
  for (let i = 0; i < total; i += 1) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
    inFlight.push(intake.deliver());
  }
  const timings = await Promise.all(inFlight);
  const messages = timings.map((t) => t.message);
  await intake.waitFor(messages, Math.max(...messages.map((m) => m.sentAt)) + COMPLETED_WITHIN_MS);
  const completionMs = messages.flatMap((m) => {
    const at = completedAt(m);
    return at === undefined ? [] : [at - m.sentAt];
  });
  return {
    timings: timings.map(({ status, ms }) => ({ status, ms })),
    non200: timings.filter((t) => t.status !== 200).length,
    maxSendLagMs,
    completionMs,
  };
}

function answerText(body: unknown): string | undefined {
  if (typeof body === 'string') return body === '' ? undefined : body;
  if (typeof body === 'object' && body !== null && typeof (body as { text?: unknown }).text === 'string')
    return (body as { text: string }).text;
  return undefined;
}

/**
 * Runs a slash command `count` times, one after another: time from sending it until the answer is in,
 * whether in the ack's body (Heed answers inline within 2 s) or later through the `response_url`.
 */
async function commandRuns(
  emu: SlackEmulator,
  name: string,
  count: number,
  text: (i: number) => string,
  failed: (answer: string) => boolean,
): Promise<CommandFigures> {
  const timings: number[] = [];
  let failures = 0;
  let sample = '';
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    const response = await emu.slashCommand({
      text: text(i),
      userId: SLACK_BENCH.staff,
      channelId: SLACK_BENCH.teamChannel,
    });
    let answer = answerText(response.body);
    if (response.status === 200 && answer === undefined) {
      const url = String(response.sent.response_url);
      const call = await emu.waitForCall('response_url', (c) => c.url === url, 10_000).catch(() => undefined);
      answer = call ? answerText(call.args) : undefined;
    }
    timings.push(performance.now() - started);
    if (response.status !== 200 || answer === undefined || failed(answer)) failures += 1;
    if (i === 0) sample = (answer ?? `HTTP ${response.status}`).split('\n')[0]!;
  }
  return { name, timings, failures, sample };
}

const halfASecond = () => new Promise((resolve) => setTimeout(resolve, 500));

/**
 * CPU the app spends in half a second with nothing to do, the least of three: about nothing for an app
 * alone, a tenth of a core under `--cpu-prof`, whose sampling counts as the process's CPU.
 */
async function idleCpuMs(app: App): Promise<number> {
  await app.usage();
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i += 1) {
    await halfASecond();
    least = Math.min(least, (await app.usage()).cpuMs);
  }
  return least;
}

/**
 * Waits until the app is idle: no new Web API call and under 5% of a core above its idle CPU used for half
 * a second. After an overload the app may still be working through requests the client gave up on.
 */
async function settle(emu: SlackEmulator, app: App, idleMs: number): Promise<void> {
  await app.usage();
  for (;;) {
    const calls = emu.calls.length;
    await halfASecond();
    const { cpuMs } = await app.usage();
    if (emu.calls.length === calls && cpuMs < idleMs + 25) return;
  }
}

/** Round robin over `ports`, per TCP connection (the emulator opens one per request). */
async function roundRobin(ports: readonly number[]): Promise<{ port: number; close: () => Promise<void> }> {
  let turn = 0;
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: ports[turn++ % ports.length]! });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Several app processes as one: CPU and memory summed, the worst event-loop delay. */
class AppGroup implements App {
  constructor(private readonly apps: readonly AppProcess[]) {}

  async usage(): Promise<AppUsage> {
    const each = await Promise.all(this.apps.map((app) => app.usage()));
    return {
      type: 'usage',
      cpuMs: each.reduce((sum, u) => sum + u.cpuMs, 0),
      rss: each.reduce((sum, u) => sum + u.rss, 0),
      loopDelayP99: Math.max(...each.map((u) => u.loopDelayP99)),
      loopDelayMax: Math.max(...each.map((u) => u.loopDelayMax)),
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.apps.map((app) => app.stop()));
  }
}

/** A PostgreSQL schema of Heed's own for one run, dropped afterwards. */
async function postgresSchema(): Promise<{ storeUrl: string; drop: () => Promise<void> }> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const url = new URL(PG_URL);
  url.searchParams.set('schema', schema);
  return {
    storeUrl: url.toString(),
    drop: async () => {
      const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
      try {
        await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await pool.end();
      }
    },
  };
}

async function benchApp(kind: AppKind, profileDir: string | undefined): Promise<AppFigures> {
  const emu = await startSlackEmulator(emulatorOptions());
  const dir = mkdtempSync(join(tmpdir(), 'heed-bench-http-'));
  const postgres = kind.startsWith('heed-postgres') ? await postgresSchema() : undefined;
  const storeUrl = kind === 'heed-sqlite' ? `sqlite://${join(dir, 'bench.sqlite')}` : postgres?.storeUrl;
  let app: App | undefined;
  let balancer: Awaited<ReturnType<typeof roundRobin>> | undefined;
  try {
    let port: number;
    if (kind === 'heed-postgres-2') {
      // One after the other: the first creates the schema, the second finds it migrated.
      const first = await AppProcess.start(kind, emu.apiUrl, storeUrl, profileDir);
      const second = await AppProcess.start(kind, emu.apiUrl, storeUrl, profileDir);
      app = new AppGroup([first.app, second.app]);
      balancer = await roundRobin([first.port, second.port]);
      port = balancer.port;
    } else {
      const started = await AppProcess.start(kind, emu.apiUrl, storeUrl, profileDir);
      app = started.app;
      port = started.port;
    }
    const idleMs = await idleCpuMs(app);
    emu.connectApp(`http://127.0.0.1:${port}/slack/events`);
    const intake = new Intake(emu);
    await closedLoop(intake, emu, WARM_UP, 8);
    await settle(emu, app, idleMs);

    await app.usage();
    const benchCpu = process.cpuUsage();
    const throughput = await closedLoop(intake, emu, EVENTS, CONCURRENCY);
    const spent = process.cpuUsage(benchCpu);
    const usage = await app.usage();
    await settle(emu, app, idleMs);

    // The light rate first, so the overload at the target rate cannot leave work behind for it.
    const light = await openLoop(intake, LIGHT_RATE, SECONDS);
    await settle(emu, app, idleMs);
    const target = await openLoop(intake, RATE, SECONDS);
    await settle(emu, app, idleMs);

    const commands =
      kind === 'bare'
        ? [
            await commandRuns(
              emu,
              "ack('ok')",
              COMMANDS,
              () => 'queue',
              () => false,
            ),
          ]
        : [
            await commandRuns(
              emu,
              '/heed queue',
              COMMANDS,
              () => 'queue',
              (answer) => !answer.includes('Open issues'),
            ),
            // Issues #1… were opened by the runs above and nobody owns them yet: each claim is a real change.
            await commandRuns(
              emu,
              '/heed claim #n',
              COMMANDS,
              (i) => `claim #${i + 1}`,
              (answer) => !answer.startsWith('You now own'),
            ),
          ];
    await settle(emu, app, idleMs);
    const whole = intake.completedSoFar();
    return {
      throughput,
      light,
      target,
      commands,
      appCpuPerEventMs: usage.cpuMs / EVENTS,
      benchCpuPerEventMs: (spent.user + spent.system) / 1000 / EVENTS,
      loopDelayP99: usage.loopDelayP99,
      rss: (await app.usage()).rss,
      sent: whole.sent,
      completed: whole.completed,
      calls: emu.calls.length,
    };
  } finally {
    await app?.stop();
    await balancer?.close();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
    await postgres?.drop();
  }
}

const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
const rate = (value: number) => `${value.toFixed(value < 100 ? 1 : 0)}`;
const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;
const loadAverage = () => loadavg()[0]!.toFixed(2);

async function postgresVersion(): Promise<string> {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
  try {
    const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${rows[0]?.server_version ?? '?'} at ${redactStoreUrl(PG_URL)}`;
  } catch (error) {
    return `PostgreSQL at ${redactStoreUrl(PG_URL)} unreachable (${(error as Error).message})`;
  } finally {
    await pool.end();
  }
}

async function environment(kinds: readonly AppKind[]): Promise<string> {
  const cpu = cpus();
  const stores = [
    ...(kinds.includes('heed-sqlite') ? ['SQLite file in a temp dir'] : []),
    ...(kinds.some((kind) => kind.startsWith('heed-postgres'))
      ? [`${await postgresVersion()}, a schema of its own`]
      : []),
  ];
  return [
    `Node ${process.version}`,
    `${type()} ${release()} ${process.arch}`,
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`,
    `${(totalmem() / 1024 ** 3).toFixed(1)} GB RAM`,
    `load average ${loadAverage()} (1 min)`,
    ...(stores.length > 0 ? [`Heed stores: ${stores.join('; ')}`] : []),
  ].join(', ');
}

function latencyLine(latency: Latency): string {
  const times = latency.timings.map((t) => t.ms);
  const slow = times.filter((t) => t > SLACK_TIMEOUT_MS).length;
  return [
    `p50 ${ms(percentile(times, 50))}`,
    `p99 ${ms(percentile(times, 99))}`,
    `max ${ms(Math.max(...times))}`,
    `${latency.non200} non-200`,
    `${slow} over 3 s (Slack would retry)`,
    `generator lag max ${ms(latency.maxSendLagMs)}`,
  ].join(', ');
}

const isHeed = (kind: AppKind) => kind !== 'bare';

export async function runSlackHttpBench(): Promise<void> {
  const kinds = chosenKinds();
  console.log(
    `Slack HTTP benchmark (issue 8): Slack intake, ${kinds.map((kind) => LABEL[kind]).join(' vs ')}, same signed events`,
  );
  console.log(`  environment: ${await environment(kinds)}`);
  console.log(
    `  setup: each app in its own process, load generator and Slack emulator in this one; every app gets a fresh connection per request from the emulator's client; ${WARM_UP} warm-up events each, not counted; bare Bolt posts a reply in the customer's thread and a card with two buttons in the team channel for each new customer message, nothing stored`,
  );
  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'heed-bench-http-profile-')) : undefined;
  const figures = new Map<AppKind, AppFigures>();
  for (const kind of kinds) {
    const load = loadAverage();
    try {
      figures.set(kind, await benchApp(kind, profileDir));
      console.log(`  ${LABEL[kind]} measured (load average ${load} when it started)`);
    } catch (error) {
      console.log(`  ${LABEL[kind]} not measured: ${(error as Error).message}`);
    }
  }
  const measured = kinds.filter((kind) => figures.has(kind));
  const of = (kind: AppKind) => figures.get(kind)!;
  const each = (describe: (kind: AppKind, f: AppFigures) => string) =>
    measured.map((kind) => `${LABEL[kind]} ${describe(kind, of(kind))}`).join('; ');
  const heeds = measured.filter(isHeed);
  const bare = figures.get('bare');

  console.log(
    `  platform work per message in the throughput run (Web API calls per message until the last was completed; mean argument JSON of reply / card): ${each(
      (_, f) =>
        `${[...f.throughput.callsPerMessage]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([method, n]) => `${method} ${n.toFixed(2)}`)
          .join(', ')}; ${f.throughput.replyBytes.toFixed(0)} / ${f.throughput.cardBytes.toFixed(0)} bytes`,
    )}`,
  );
  console.log(
    `  completed intake throughput (${EVENTS} new messages, ${CONCURRENCY} in flight, completed = thread reply and card both posted, waiting up to ${COMPLETION_WAIT_MS / 1000} s after the last ack): ${each(
      (_, f) => {
        const t = f.throughput;
        const missing = t.completed < EVENTS ? `, only ${t.replies} replies and ${t.cards} cards` : '';
        if (t.completed === 0) return `none completed (${t.replies} replies, ${t.cards} cards)`;
        return `${rate(t.completed / (t.completedWallMs / 1000))} completed/s (${t.completed} of ${EVENTS} completed, the last after ${seconds(t.completedWallMs)}${missing})`;
      },
    )}`,
  );
  if (bare !== undefined && heeds.length > 0) {
    const completedRate = (f: AppFigures) => f.throughput.completed / (f.throughput.completedWallMs / 1000);
    console.log(
      `  ratio of completed intake throughput, Heed/bare (target ≥ ${TARGET_RATIO}): ${heeds
        .map((kind) => {
          const ratio = completedRate(of(kind)) / completedRate(bare);
          return `${LABEL[kind]} ${ratio.toFixed(3)} ${met(ratio >= TARGET_RATIO && of(kind).throughput.completed === EVENTS)}`;
        })
        .join('; ')}`,
    );
  }
  console.log(
    `  acks in the same run: ${each((_, f) => `${rate(f.throughput.acksPerSecond)} events/s (${f.throughput.non200} non-200)`)}`,
  );
  for (const which of ['light', 'target'] as const) {
    const at = which === 'light' ? LIGHT_RATE : RATE;
    for (const kind of measured) {
      const latency = of(kind)[which];
      console.log(
        `  ack latency at ${at} events/s for ${SECONDS} s (open loop, ${latency.timings.length} events), ${LABEL[kind]}: ${latencyLine(latency)}`,
      );
    }
  }
  const targetTimes = (f: AppFigures) => f.target.timings.map((t) => t.ms);
  console.log(
    `  ack p99 at ${RATE} events/s (Heed target ≤ ${TARGET_P99_MS} ms): ${each((kind, f) => {
      const p99 = percentile(targetTimes(f), 99);
      return `${ms(p99)}${isHeed(kind) ? ` ${met(p99 <= TARGET_P99_MS)}` : ''}`;
    })}`,
  );
  console.log(
    `  requests over 3 s at ${RATE} events/s (Heed target: none): ${each((kind, f) => {
      const slow = targetTimes(f).filter((t) => t > SLACK_TIMEOUT_MS).length;
      return `${slow} of ${f.target.timings.length}${isHeed(kind) ? ` ${met(slow === 0)}` : ''}`;
    })}`,
  );
  console.log(
    `  completed within ${COMPLETED_WITHIN_MS / 1000} s of being sent at ${RATE} events/s (reply and card posted): ${each(
      (_, f) => {
        const within = f.target.completionMs.filter((t) => t <= COMPLETED_WITHIN_MS);
        return `${within.length} of ${f.target.timings.length} (sent → completed p50 ${ms(percentile(within, 50))}, p99 ${ms(percentile(within, 99))})`;
      },
    )}`,
  );
  console.log(
    `  CPU per new issue in the app, throughput run until the last was completed (Heed target ≤ ${TARGET_CPU_MS} ms): ${each(
      (kind, f) =>
        `${ms(f.appCpuPerEventMs)}${isHeed(kind) ? ` ${met(f.appCpuPerEventMs <= TARGET_CPU_MS)}` : ''}`,
    )}`,
  );
  console.log(
    `  in the throughput run: ${each(
      (_, f) =>
        `generator + emulator CPU per message ${ms(f.benchCpuPerEventMs)}, app event-loop delay p99 ${ms(f.loopDelayP99)}, app RSS at the end ${mb(f.rss)}`,
    )}`,
  );
  for (const kind of measured) {
    for (const command of of(kind).commands) {
      console.log(
        `  slash command round trip, ${LABEL[kind]} ${command.name} (${command.timings.length} one after another): p50 ${ms(percentile(command.timings, 50))}, p99 ${ms(percentile(command.timings, 99))}, ${command.failures} failed; first answer "${command.sample}"`,
      );
    }
  }
  console.log(
    `  over the whole run: ${each((_, f) => {
      const missing = f.sent - f.completed;
      const note =
        missing > 0 ? ` (${missing} not, e.g. their requests timed out; Slack would retry them)` : '';
      return `${f.sent} customer messages sent, ${f.completed} completed${note}, ${f.calls} Web API calls`;
    })}`,
  );
  if (profileDir !== undefined) {
    console.log(
      `  CPU profiles of the apps (whole process life, --cpu-prof; the sampling adds to the CPU figures above): ${profileDir}/<kind>/`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runSlackHttpBench();
