/**
 * Slack HTTP benchmark (issue 8): a bare Bolt 5 app that only acks vs Heed, both answering the same
 * signed Events API `event_callback` deliveries (new top-level customer messages in a Slack Connect
 * intake channel, each with its own `event_id`) from the Slack emulator, in one run on one machine.
 * Figures: throughput at a fixed concurrency and the ratio Heed/bare; ack latency at a fixed rate (open
 * loop), at the target's 200 events/s and at a light 20 events/s; slash-command round trips. Prints
 * figures and whether each target was met; asserts nothing.
 *
 * Design: each app under test runs in a process of its own (slack-http-app.ts); this process holds the
 * load generator and the emulator, which is also the Web API Heed calls while it handles a message. In
 * one process the generator, the emulator and the app would share one event loop, so every figure would
 * measure their sum (the generator alone is a fair share of the CPU at these rates). Both apps are driven
 * by the same client, the emulator's `deliverEvent` / `slashCommand`, which opens a fresh connection per
 * request (no keep-alive) and gives up after 10 s, so connection handling is the same for both. Each app
 * gets a fresh emulator and 200 warm-up events that are not counted.
 *
 * `BENCH_HTTP_STORE_URL` runs Heed on another store (e.g. PostgreSQL with `?schema=`). `BENCH_HTTP_EVENTS` (default 2000) sets the throughput run, `BENCH_HTTP_SECONDS` (default 10) the
 * latency run, `BENCH_HTTP_RATE` (default 200/s) its rate, `BENCH_HTTP_COMMANDS` (default 200) the
 * number of each slash command.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { redactStoreUrl } from '../src/store/store-url.ts';
import { type SlackEmulator, startSlackEmulator } from '../test/emulators/slack/index.ts';
import type { AppMessage, AppUsage, BenchMessage } from './slack-http-app.ts';
import { CUSTOMERS, emulatorOptions, SLACK_BENCH } from './slack-http-fixtures.ts';
import { mb, ms, percentile } from './stats.ts';

const EVENTS = Number(process.env.BENCH_HTTP_EVENTS ?? 2_000);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_HTTP_RATE ?? 200);
/** A rate both apps should keep up with, to show latency without a queue building up. */
const LIGHT_RATE = 20;
const COMMANDS = Number(process.env.BENCH_HTTP_COMMANDS ?? 200);
const CONCURRENCY = 32;
const WARM_UP = 200;
const TARGET_RATIO = 0.7;
const TARGET_P99_MS = 50;
/** Slack gives up on an Events API request after 3 s and retries it. */
const SLACK_TIMEOUT_MS = 3_000;

type AppKind = 'bare' | 'heed';
const LABEL: Record<AppKind, string> = { bare: 'bare Bolt', heed: 'Heed' };

/** One request: HTTP status (0 when it failed without an answer) and request→response time. */
interface Timed {
  readonly status: number;
  readonly ms: number;
}

interface Throughput {
  readonly perSecond: number;
  readonly wallMs: number;
  readonly non200: number;
}

interface Latency {
  readonly timings: Timed[];
  readonly non200: number;
  /** How late the generator sent its most delayed request against the timetable. */
  readonly maxSendLagMs: number;
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
  /** App CPU per event in the throughput run, and the generator's (this process, with the emulator). */
  readonly appCpuPerEventMs: number;
  readonly benchCpuPerEventMs: number;
  /** The app's event-loop delay p99 in the throughput run. */
  readonly loopDelayP99: number;
  readonly rss: number;
  /** Customer messages sent over the whole run, how many were acknowledged in their threads, Web API calls. */
  readonly sent: number;
  readonly acknowledged: number;
  readonly calls: number;
}

/** The app under test, in its own process. */
class AppProcess {
  private readonly waiting: Array<(message: AppMessage) => void> = [];

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: AppMessage) => this.waiting.shift()?.(message));
  }

  static async start(kind: AppKind, apiUrl: string, dir: string): Promise<{ app: AppProcess; port: number }> {
    const child = fork(join(import.meta.dirname, 'slack-http-app.ts'), [kind, apiUrl, dir], {
      execArgv: ['--import', 'tsx'],
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

let sequence = 0;

/** Delivers one new, signed top-level customer message with a fresh `event_id`. */
async function deliverCustomerMessage(emu: SlackEmulator): Promise<Timed> {
  sequence += 1;
  const event = emu.messageEvent({
    channel: SLACK_BENCH.customerChannel,
    user: CUSTOMERS[sequence % CUSTOMERS.length]!,
    text: `Request ${sequence}: the nightly export to CSV fails with "error 500" since this morning`,
  });
  const started = performance.now();
  try {
    const response = await emu.deliverEvent(event);
    return { status: response.status, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

/** `count` deliveries, `concurrency` in flight at any time; rate = count / time until the last answer. */
async function closedLoop(emu: SlackEmulator, count: number, concurrency: number): Promise<Throughput> {
  let next = 0;
  let non200 = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next += 1;
      if ((await deliverCustomerMessage(emu)).status !== 200) non200 += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const wallMs = performance.now() - started;
  return { perSecond: count / (wallMs / 1000), wallMs, non200 };
}

/** Open loop: sends on a fixed timetable (`rate` a second) without waiting for earlier answers. */
async function openLoop(emu: SlackEmulator, rate: number, seconds: number): Promise<Latency> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const inFlight: Promise<Timed>[] = [];
  let maxSendLagMs = 0;
  const started = performance.now();
  for (let i = 0; i < total; i += 1) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
    inFlight.push(deliverCustomerMessage(emu));
  }
  const timings = await Promise.all(inFlight);
  return { timings, non200: timings.filter((t) => t.status !== 200).length, maxSendLagMs };
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

/**
 * Waits until the app is idle: no new Web API call and under 5% of a core used for half a second. After
 * an overload the app may still be working through requests the client gave up on.
 */
async function settle(emu: SlackEmulator, app: AppProcess): Promise<void> {
  await app.usage();
  for (;;) {
    const calls = emu.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { cpuMs } = await app.usage();
    if (emu.calls.length === calls && cpuMs < 25) return;
  }
}

async function benchApp(kind: AppKind): Promise<AppFigures> {
  const emu = await startSlackEmulator(emulatorOptions());
  const dir = mkdtempSync(join(tmpdir(), 'heed-bench-http-'));
  const { app, port } = await AppProcess.start(kind, emu.apiUrl, dir);
  try {
    emu.connectApp(`http://127.0.0.1:${port}/slack/events`);
    await closedLoop(emu, WARM_UP, 8);
    await settle(emu, app);

    await app.usage();
    const benchCpu = process.cpuUsage();
    const throughput = await closedLoop(emu, EVENTS, CONCURRENCY);
    const spent = process.cpuUsage(benchCpu);
    const usage = await app.usage();
    await settle(emu, app);

    // The light rate first, so the overload at the target rate cannot leave work behind for it.
    const light = await openLoop(emu, LIGHT_RATE, SECONDS);
    await settle(emu, app);
    const target = await openLoop(emu, RATE, SECONDS);
    await settle(emu, app);

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
    await settle(emu, app);
    const sent = WARM_UP + EVENTS + light.timings.length + target.timings.length;
    return {
      throughput,
      light,
      target,
      commands,
      appCpuPerEventMs: usage.cpuMs / EVENTS,
      benchCpuPerEventMs: (spent.user + spent.system) / 1000 / EVENTS,
      loopDelayP99: usage.loopDelayP99,
      rss: (await app.usage()).rss,
      sent,
      // Heed acknowledges each issue it opens with a reply in the customer's thread.
      acknowledged: emu.callsTo('chat.postMessage').filter((call) => call.args.thread_ts !== undefined)
        .length,
      calls: emu.calls.length,
    };
  } finally {
    await app.stop();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
const perSecond = (value: number) => `${value.toFixed(value < 100 ? 1 : 0)} events/s`;
const loadAverage = () => loadavg()[0]!.toFixed(2);

function environment(): string {
  const cpu = cpus();
  return [
    `Node ${process.version}`,
    `${type()} ${release()} ${process.arch}`,
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`,
    `${(totalmem() / 1024 ** 3).toFixed(1)} GB RAM`,
    `load average ${loadAverage()} (1 min)`,
    `Heed store: ${process.env.BENCH_HTTP_STORE_URL ? redactStoreUrl(process.env.BENCH_HTTP_STORE_URL) : 'SQLite file in the temp dir'}`,
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

const BOTH: ReadonlyArray<AppKind> = ['bare', 'heed'];

export async function runSlackHttpBench(): Promise<void> {
  console.log('Slack HTTP benchmark (issue 8): a bare Bolt 5 app that only acks vs Heed, same signed events');
  console.log(`  environment: ${environment()}`);
  console.log(
    `  setup: each app in its own process, load generator and Slack emulator in this one; both apps get a fresh connection per request from the emulator's client; ${WARM_UP} warm-up events each, not counted`,
  );
  const measure = async (kind: AppKind) => {
    const load = loadAverage();
    const measured = await benchApp(kind);
    console.log(`  ${LABEL[kind]} measured (load average ${load} when it started)`);
    return measured;
  };
  const bare = await measure('bare');
  const heed = await measure('heed');
  const figures: Record<AppKind, AppFigures> = { bare, heed };

  const ratio = heed.throughput.perSecond / bare.throughput.perSecond;
  console.log(
    `  throughput (${EVENTS} events, ${CONCURRENCY} in flight): bare Bolt ${perSecond(bare.throughput.perSecond)} (${bare.throughput.non200} non-200), Heed ${perSecond(heed.throughput.perSecond)} (${heed.throughput.non200} non-200); ratio Heed/bare ${ratio.toFixed(3)} (target ≥ ${TARGET_RATIO}: ${met(ratio >= TARGET_RATIO)})`,
  );
  for (const which of ['light', 'target'] as const) {
    const rate = which === 'light' ? LIGHT_RATE : RATE;
    const p99 = (kind: AppKind) =>
      percentile(
        figures[kind][which].timings.map((t) => t.ms),
        99,
      );
    for (const kind of BOTH) {
      const latency = figures[kind][which];
      const target =
        kind === 'heed' && which === 'target'
          ? ` (target p99 ≤ ${TARGET_P99_MS} ms: ${met(p99(kind) <= TARGET_P99_MS)})`
          : '';
      console.log(
        `  ack latency at ${rate} events/s for ${SECONDS} s (open loop, ${latency.timings.length} events), ${LABEL[kind]}: ${latencyLine(latency)}${target}`,
      );
    }
    console.log(`  ratio of p99 at ${rate} events/s, Heed/bare: ${(p99('heed') / p99('bare')).toFixed(1)}`);
  }
  for (const kind of BOTH) {
    for (const command of figures[kind].commands) {
      console.log(
        `  slash command round trip, ${LABEL[kind]} ${command.name} (${command.timings.length} one after another): p50 ${ms(percentile(command.timings, 50))}, p99 ${ms(percentile(command.timings, 99))}, ${command.failures} failed; first answer "${command.sample}"`,
      );
    }
  }
  const bareP50 = percentile(bare.commands[0]!.timings, 50);
  for (const command of heed.commands) {
    console.log(
      `  ratio of slash command p50, Heed ${command.name}/bare ack: ${(percentile(command.timings, 50) / bareP50).toFixed(2)}`,
    );
  }
  for (const kind of BOTH) {
    const f = figures[kind];
    console.log(
      `  ${LABEL[kind]} in the throughput run: CPU per event ${ms(f.appCpuPerEventMs)} in the app, ${ms(f.benchCpuPerEventMs)} in generator + emulator; app event-loop delay p99 ${ms(f.loopDelayP99)}; app RSS at the end ${mb(f.rss)}`,
    );
  }
  const missing = heed.sent - heed.acknowledged;
  const note = missing > 0 ? ` (${missing} not: their requests had timed out; Slack would retry them)` : '';
  console.log(
    `  Heed over the whole run: ${heed.sent} customer messages sent, ${heed.acknowledged} opened an issue acknowledged in its thread${note}, ${heed.calls} Web API calls`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runSlackHttpBench();
