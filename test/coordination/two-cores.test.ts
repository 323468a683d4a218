/**
 * Two Heed cores in one test process, sharing one PostgreSQL store and nothing else, exactly as two
 * instances would (only the chat platforms are recorded instead of emulated; the processes-level test is
 * `two-instances.test.ts`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningCore, startCore } from '../../src/boot/start-core.ts';
import { runCommand } from '../../src/commands/run-command.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { DigestScheduler } from '../../src/digest/digest-scheduler.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { toPlainText } from '../../src/messages/rich-text.ts';
import { FakeClock } from '../doubles/fake-clock.ts';
import { RecordingChatPort } from '../doubles/recording-chat-port.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from '../store/services.ts';
import { MONDAY_10AM } from '../support/harness.ts';
import { IDS, testConfigInput } from '../support/test-config.ts';

const STAFF = Array.from({ length: 50 }, (_, i) => `U0STAFF${String(i).padStart(2, '0')}`);
const running: RunningCore[] = [];

const schemas: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((core) => core.stop()));
  await Promise.all(schemas.splice(0).map(dropPostgresSchema));
});

function config() {
  const input = testConfigInput() as { teams: { staff: { slack: string[] } }[]; digest?: unknown };
  input.teams[0]!.staff.slack = [IDS.slack.staff, ...STAFF];
  input.digest = { every: 'daily', at: '09:00', calendar: 'office' };
  return parseConfig(input);
}

async function twoCores(clock: FakeClock) {
  const schema = testSchema('two_cores');
  schemas.push(schema);
  const storeUrl = postgresStoreUrl(schema);
  const start = async () => {
    const chat = new RecordingChatPort();
    const core = await startCore({
      config: config(),
      storeUrl,
      chat,
      logger: silentLogger(),
      clock,
      runScheduler: false,
    });
    running.push(core);
    return { core, chat };
  };
  return [await start(), await start()] as const;
}

const customerMessage = (n: number, at: number) => ({
  platform: 'slack' as const,
  channel: IDS.slack.customerChannel,
  messageId: `1700000000.${String(n).padStart(6, '0')}`,
  text: `Question number ${n}`,
  at,
  author: { id: `U0CUSTX${n}` },
});

describe('two instances on one PostgreSQL store', () => {
  it('gives an issue to exactly one of 50 staff claiming it at once on both instances', async () => {
    const clock = new FakeClock(MONDAY_10AM);
    const [a, b] = await twoCores(clock);
    const opened = await a.core.heed.handleMessage(customerMessage(1, clock.now()));
    expect(opened.kind).toBe('opened');
    const before = (await a.core.heed.findIssue('#1'))!.revision;
    const replies = await Promise.all(
      STAFF.map((id, i) =>
        runCommand((i % 2 ? a : b).core.heed, {
          person: { platform: 'slack', id },
          input: { text: 'claim #1' },
        }),
      ),
    );
    const winners = replies.filter((reply) => toPlainText(reply.text).startsWith('You now own'));
    expect(winners).toHaveLength(1);
    const issue = await b.core.heed.findIssue('#1');
    const claims = issue!.history.filter((event) => event.kind === 'claimed');
    expect(claims).toHaveLength(1);
    expect(issue!.owner?.id).toBe(claims[0]!.actor.id);
    // One write won; the 49 refusals wrote nothing.
    expect(issue!.revision).toBe(before + 1);
  });

  it('numbers issues opened on both instances without gaps or repeats, and both see the queue', async () => {
    const clock = new FakeClock(MONDAY_10AM);
    const [a, b] = await twoCores(clock);
    await Promise.all(
      Array.from({ length: 30 }, (_, n) =>
        (n % 2 ? a : b).core.heed.handleMessage(customerMessage(n, clock.now())),
      ),
    );
    const numbers = await Promise.all(
      Array.from({ length: 30 }, async (_, n) => {
        const issue = await a.core.heed.issues.getByConversation({
          platform: 'slack',
          channel: IDS.slack.customerChannel,
          thread: customerMessage(n, 0).messageId,
        });
        return issue?.number;
      }),
    );
    expect([...numbers].sort((x, y) => x! - y!)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // B learns of A's issues through the announcements.
    for (let waited = 0; waited < 2_000 && b.core.heed.issues.listOpen().length < 30; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(b.core.heed.issues.listOpen()).toHaveLength(30);
    expect(a.core.heed.issues.listOpen()).toHaveLength(30);
  });

  it('sends each nag exactly once when both schedulers tick over deadlines spread across them', async () => {
    const clock = new FakeClock(MONDAY_10AM);
    const [a, b] = await twoCores(clock);
    for (let n = 0; n < 20; n += 1) {
      await (n % 2 ? a : b).core.heed.handleMessage(customerMessage(n, clock.now()));
      clock.advance(60_000);
    }
    // Past the first ten first-response deadlines (4 business hours): both schedulers tick at once.
    clock.advance(4 * 3_600_000 - 10 * 60_000 - 30_000);
    for (let round = 0; round < 3; round += 1) {
      await Promise.all([a.core.heed.scheduler.tick(), b.core.heed.scheduler.tick()]);
    }
    const nagsIn = (sent: RecordingChatPort['sent']) =>
      sent.flatMap((message) =>
        [...message.plain.matchAll(/⏰ \*#(\d+)\*/g)].map((match) => Number(match[1])),
      );
    const early = [...nagsIn(a.chat.sent), ...nagsIn(b.chat.sent)];
    expect(early.sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    // A stops (a deploy, a crash): B alone sends the rest, for issues opened on either instance.
    const before = nagsIn(b.chat.sent).length;
    await a.core.heed.scheduler.stop();
    clock.advance(60 * 60_000);
    await b.core.heed.scheduler.tick();
    const late = nagsIn(b.chat.sent).slice(before);
    expect(late.sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => i + 11));
    const nags = [...nagsIn(a.chat.sent), ...nagsIn(b.chat.sent)];
    expect(nags).toHaveLength(20);
    for (let n = 1; n <= 20; n += 1) {
      const issue = await a.core.heed.findIssue(`#${n}`);
      const nagged = issue!.history.filter(
        (event) => event.kind === 'nagged' && event.data?.clock === 'firstResponse',
      );
      expect(nagged, `#${n}`).toHaveLength(1);
    }
  });

  it('sends the manager digest once per digest time, whichever instances tick', async () => {
    const clock = new FakeClock(MONDAY_10AM - 2 * 3_600_000);
    const [a, b] = await twoCores(clock);
    const digestOf = ({ core }: { core: RunningCore }) =>
      new DigestScheduler({
        heed: core.heed,
        database: core.database,
        clock: { now: () => clock.now() },
        logger: silentLogger(),
      });
    const digests = [digestOf(a), digestOf(b)];
    // Before 09:00 nothing is due; then both instances tick at once, three times.
    await Promise.all(digests.map((digest) => digest.tick()));
    clock.advance(3_600_000 + 60_000);
    const runs = [];
    for (let round = 0; round < 3; round += 1) {
      runs.push(...(await Promise.all(digests.map((digest) => digest.tick()))));
    }
    const sent = runs.filter((run) => run !== undefined);
    expect(sent).toHaveLength(1);
    // Every digest DM came from the one instance that sent it, as many as it says it sent.
    const dmsOf = (chat: RecordingChatPort) => chat.sent.filter((message) => message.op === 'dm').length;
    expect([dmsOf(a.chat), dmsOf(b.chat)].sort()).toEqual([0, sent[0]!.messages]);
    expect(sent[0]!.messages).toBeGreaterThan(0);
  });

  it('refuses an SQLite store when HEED_COORDINATION_URL still asks for several instances', async () => {
    await expect(
      startCore({
        config: config(),
        storeUrl: 'sqlite://./data/never.sqlite',
        coordinationUrl: 'redis://127.0.0.1:6379/0',
        chat: new RecordingChatPort(),
        logger: silentLogger(),
        runScheduler: false,
      }),
    ).rejects.toThrow(/HEED_STORE_URL to a PostgreSQL URL/);
  });
});
