import { Writable } from 'node:stream';
import type { HomeRefreshOptions } from '../../../adapters/slack/home.ts';
import { createSlackAdapter, type SlackAdapter } from '../../../adapters/slack/index.ts';
import { Heed } from '../../../src/boot/heed.ts';
import type { HeedConfig } from '../../../src/config/schema.ts';
import type { Issue } from '../../../src/domain/issue.ts';
import { createLogger, type Logger, silentLogger } from '../../../src/logging/logger.ts';
import { PlatformRouter } from '../../../src/ports/platform-router.ts';
import { openDatabase } from '../../../src/store/database.ts';
import { FakeClock } from '../../doubles/fake-clock.ts';
import {
  type CallRecord,
  type SlackEmulator,
  type SlackEmulatorOptions,
  startSlackEmulator,
} from '../../emulators/slack/index.ts';
import { BreakableDatabase } from '../../support/breakable-database.ts';
import { MONDAY_10AM } from '../../support/harness.ts';
import { IDS, testConfig } from '../../support/test-config.ts';

export const SECRET = 'heed-test-signing-secret';
export const BOT_TOKEN = 'xoxb-heed-test-bot-token';
export const APP_TOKEN = 'xapp-1-heed-test-app-token';
export const BOT_USER = 'U0HEEDBOT';
export const BOT_ID = 'B0HEEDBOT';
export const S = IDS.slack;
export const OTHER_CHANNEL = 'C0OTHER01';

/** The workspace every adapter test runs in: a shared customer channel, the team channel, staff, a manager. */
export function workspace(): Pick<SlackEmulatorOptions, 'users' | 'channels' | 'externalTeams'> {
  return {
    externalTeams: [{ id: 'T0ACME001', name: 'Acme Corp' }],
    users: [
      {
        id: S.customer,
        name: 'Dana',
        realName: 'Dana Customer',
        email: 'dana@acme.test',
        teamId: 'T0ACME001',
      },
      { id: 'U0CUST02', name: 'Lee', realName: 'Lee Customer', teamId: 'T0ACME001' },
      { id: S.staff, name: 'sam', realName: 'Sam Staff', email: 'sam@heed.test' },
      { id: S.staff2, name: 'alex', realName: 'Alex Staff' },
      { id: S.manager, name: 'morgan', realName: 'Morgan Manager' },
    ],
    channels: [
      { id: S.customerChannel, name: 'acme-support', isExtShared: true },
      { id: S.teamChannel, name: 'support-team' },
      { id: OTHER_CHANNEL, name: 'elsewhere' },
    ],
  };
}

/** Log lines captured as parsed JSON, to check what Heed logs (and that it logs no secret). */
export class LogCapture {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];
  readonly logger: Logger;

  constructor(level = 'debug') {
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          this.raw.push(line);
          this.lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    this.logger = createLogger({ level, destination: sink });
  }

  messages(): string[] {
    return this.lines.map((line) => String(line.msg));
  }
}

export interface FixtureOptions {
  readonly socketMode?: boolean;
  readonly logger?: Logger;
  readonly breakable?: boolean;
  readonly emulator?: Partial<SlackEmulatorOptions>;
  readonly maxSendAttempts?: number;
  /** The core's config (default: the test config). */
  readonly config?: HeedConfig;
  /** How fast the App Home is published again (tests shorten Slack-sized gaps). */
  readonly home?: HomeRefreshOptions;
}

export interface Fixture {
  readonly emu: SlackEmulator;
  readonly heed: Heed;
  readonly clock: FakeClock;
  readonly adapter: SlackAdapter;
  readonly store: BreakableDatabase;
  /** A customer (or anyone) writes in a channel at the fake clock's time; resolves with the app's answer. */
  say(
    text: string,
    options?: { user?: string; channel?: string; thread?: string; eventId?: string; retryNum?: number },
  ): Promise<{ ts: string; status: number }>;
  /** `chat.postMessage` calls into a conversation, optionally only replies in one thread. */
  posts(channel: string, thread?: string): CallRecord[];
  /** The text of every call's `text` and `blocks`, serialised, for "contains" checks. */
  wire(call: CallRecord): string;
  /** Issue `#number`; throws when there is none. */
  issue(number: number): Promise<Issue>;
  close(): Promise<void>;
}

/** Waits until the app has made no Web API call for a moment (at most 3 s): what a message set off is done. */
export async function quiet(emu: SlackEmulator, stillMs = 60): Promise<void> {
  const deadline = Date.now() + 3_000;
  let count = -1;
  while (emu.calls.length !== count && Date.now() < deadline) {
    count = emu.calls.length;
    await new Promise((resolve) => setTimeout(resolve, stillMs));
  }
}

let tsCounter = 0;

/** A Slack `ts` at the given time; unique within the process. */
export function tsAt(ms: number): string {
  tsCounter = (tsCounter + 1) % 1000;
  const micros = (ms % 1000) * 1000 + tsCounter;
  return `${Math.floor(ms / 1000)}.${String(micros).padStart(6, '0')}`;
}

/** Emulator + real core (memory store, fake clock, test config) + the real adapter running Bolt. */
export async function startFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const emu = await startSlackEmulator({
    signingSecret: SECRET,
    botToken: BOT_TOKEN,
    appToken: APP_TOKEN,
    botUserId: BOT_USER,
    botId: BOT_ID,
    socketMode: options.socketMode ?? false,
    ...workspace(),
    ...options.emulator,
  });
  const store = new BreakableDatabase(await openDatabase('memory://'));
  const clock = new FakeClock(MONDAY_10AM);
  const router = new PlatformRouter();
  const logger = options.logger ?? silentLogger();
  const heed = new Heed({
    config: options.config ?? testConfig(),
    database: store,
    chat: router,
    clock,
    logger,
  });
  await heed.start();
  const adapter = createSlackAdapter({
    heed,
    botToken: BOT_TOKEN,
    signingSecret: SECRET,
    ...(options.socketMode ? { appToken: APP_TOKEN, socketPingTimeoutMs: 1_000 } : { port: 0 }),
    host: '127.0.0.1',
    apiUrl: emu.apiUrl,
    logger,
    retryConfig: { retries: 0 },
    ...(options.maxSendAttempts !== undefined ? { maxSendAttempts: options.maxSendAttempts } : {}),
    ...(options.home ? { home: options.home } : {}),
  });
  router.register('slack', adapter.chatPort);
  const started = await adapter.start();
  await heed.caughtUp();
  if (options.socketMode) await emu.waitForSocket();
  else emu.connectApp(`http://127.0.0.1:${started.port}/slack/events`);

  return {
    emu,
    heed,
    clock,
    adapter,
    store,
    async say(text, say = {}) {
      const ts = tsAt(clock.now());
      const event = emu.messageEvent({
        channel: say.channel ?? S.customerChannel,
        user: say.user ?? S.customer,
        text,
        ts,
        ...(say.thread ? { threadTs: say.thread } : {}),
      });
      const response = await emu.deliverEvent(event, {
        ...(say.eventId ? { eventId: say.eventId } : {}),
        ...(say.retryNum !== undefined ? { retryNum: say.retryNum } : {}),
      });
      // Slack is answered once the message is stored; the acknowledgement and card follow at once.
      if (response.status === 200) await quiet(emu);
      return { ts, status: response.status };
    },
    posts(channel, thread) {
      return emu
        .callsTo('chat.postMessage')
        .filter((call) => call.ok && call.args.channel === channel)
        .filter((call) => thread === undefined || call.args.thread_ts === thread);
    },
    async issue(number) {
      const found = await heed.findIssue(`#${number}`);
      if (!found) throw new Error(`issue #${number} does not exist`);
      return found;
    },
    wire(call) {
      return JSON.stringify({
        text: call.args.text ?? '',
        blocks: call.args.blocks ?? [],
        view: call.args.view ?? {},
      });
    },
    async close() {
      await adapter.stop();
      await emu.close();
      await store.close();
    },
  };
}
