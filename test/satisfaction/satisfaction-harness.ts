import { Writable } from 'node:stream';
import { runAction } from '../../src/actions/run-action.ts';
import { Heed } from '../../src/boot/heed.ts';
import type { HeedConfig } from '../../src/config/schema.ts';
import type { Issue } from '../../src/domain/issue.ts';
import type { ConversationRef, MessageRef, Platform } from '../../src/domain/refs.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { toPlainText } from '../../src/messages/rich-text.ts';
import type { OutboundMessage } from '../../src/ports/chat-port.ts';
import type { HeedDatabase } from '../../src/store/database.ts';
import { openDatabase } from '../../src/store/database.ts';
import { FakeClock } from '../doubles/fake-clock.ts';
import { RecordingChatPort } from '../doubles/recording-chat-port.ts';
import { MONDAY_10AM } from '../support/harness.ts';
import { IDS, testConfig } from '../support/test-config.ts';

export const S = IDS.slack;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A recording port whose messages have permalinks, like Slack's `chat.getPermalink`. */
class LinkingChatPort extends RecordingChatPort {
  override async reply(conversation: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    const ref = await super.reply(conversation, message);
    return { ...ref, link: `https://acme.slack.test/archives/${ref.channel}/p${ref.id}` };
  }
}

/** One line the core logged. */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

/** A started core on a memory store, a recording chat port, a fake clock and captured logs. */
export interface SatisfactionHarness {
  readonly heed: Heed;
  readonly chat: RecordingChatPort;
  readonly clock: FakeClock;
  readonly store: HeedDatabase;
  readonly logs: LogLine[];
  /** The customer (Dana on Slack unless told) writes in the customer channel or in a thread. */
  say(text: string, options?: { thread?: string; author?: string }): Promise<void>;
  /** Dana writes, Sam claims and resolves: the resolved issue. */
  resolved(summary?: string): Promise<Issue>;
  /** Somebody presses a button (and submits its form). Answers with the plain text of the reply. */
  press(
    who: string,
    action: string,
    issue: Pick<Issue, 'id'>,
    fields?: Record<string, unknown>,
    platform?: Platform,
  ): Promise<{ text: string; visibility: string }>;
  /** Moves the fake clock and lets the scheduler run. */
  elapse(ms: number): ReturnType<Heed['scheduler']['tick']>;
  issue(id: string): Promise<Issue>;
  /** A second core on the same store and clock, as after a restart. */
  restart(): Promise<SatisfactionHarness>;
}

let sequence = 0;

export async function startSatisfaction(
  options: { config?: HeedConfig; store?: HeedDatabase; clock?: FakeClock } = {},
): Promise<SatisfactionHarness> {
  const config = options.config ?? testConfig();
  const store = options.store ?? (await openDatabase('memory://'));
  const clock = options.clock ?? new FakeClock(MONDAY_10AM);
  const chat = new LinkingChatPort();
  const logs: LogLine[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const heed = new Heed({
    config,
    database: store,
    chat,
    clock,
    logger: createLogger({ level: 'debug', destination }),
  });
  await heed.start();

  const harness: SatisfactionHarness = {
    heed,
    chat,
    clock,
    store,
    logs,
    async say(text, where = {}) {
      sequence += 1;
      await heed.handleMessage({
        platform: 'slack',
        channel: S.customerChannel,
        messageId: `17640.${String(sequence).padStart(6, '0')}`,
        text,
        at: clock.now(),
        author: { id: where.author ?? S.customer, name: where.author ? 'Someone' : 'Dana' },
        ...(where.thread ? { thread: where.thread } : {}),
      });
    },
    async resolved(summary = 'Restarted the export workers') {
      const before = sequence;
      await harness.say('The CSV export fails with error 500');
      const opened = await heed.issues.getByConversation({
        platform: 'slack',
        channel: S.customerChannel,
        thread: `17640.${String(before + 1).padStart(6, '0')}`,
      });
      if (!opened) throw new Error('no issue opened');
      const staff = { platform: 'slack' as const, id: S.staff };
      await heed.claim(opened, staff);
      clock.advance(30 * MINUTE);
      const result = await heed.resolve(await harness.issue(opened.id), staff, summary);
      if (!result.ok) throw new Error(toPlainText(result.reply));
      return result.issue;
    },
    async press(who, action, issue, fields, platform = 'slack') {
      const reply = await runAction(heed, {
        person: { platform, id: who },
        action,
        issueId: issue.id,
        ...(fields ? { fields } : {}),
      });
      return { text: toPlainText(reply.text), visibility: reply.visibility };
    },
    elapse(ms) {
      clock.advance(ms);
      return heed.scheduler.tick();
    },
    async issue(id) {
      const found = await heed.issues.get(id);
      if (!found) throw new Error(`no issue ${id}`);
      return found;
    },
    restart() {
      return startSatisfaction({ config, store, clock });
    },
  };
  return harness;
}
