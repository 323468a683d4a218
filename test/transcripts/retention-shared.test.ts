/**
 * The retention purge on several instances: two cores share one PostgreSQL store and purge at the same
 * moment, as two instances' hourly jobs may; the text goes once, every event stays, nothing fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningCore, startCore } from '../../src/boot/start-core.ts';
import { runCommand } from '../../src/commands/run-command.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { RetentionJob } from '../../src/transcripts/retention-job.ts';
import { buildTranscript, transcriptMarkdown } from '../../src/transcripts/transcript.ts';
import { FakeClock } from '../doubles/fake-clock.ts';
import { RecordingChatPort } from '../doubles/recording-chat-port.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from '../store/services.ts';
import { MONDAY_10AM } from '../support/harness.ts';
import { IDS, testConfig } from '../support/test-config.ts';

const DAY = 86_400_000;
const running: RunningCore[] = [];
const schemas: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((core) => core.stop()));
  await Promise.all(schemas.splice(0).map(dropPostgresSchema));
});

describe('the retention purge in shared mode', () => {
  it('runs on two instances at once without harm', async () => {
    const schema = testSchema('retention');
    schemas.push(schema);
    const clock = new FakeClock(MONDAY_10AM);
    const start = async () => {
      const core = await startCore({
        config: testConfig({ retention: { messages: '30d' } }),
        storeUrl: postgresStoreUrl(schema),
        chat: new RecordingChatPort(),
        logger: silentLogger(),
        clock,
        runScheduler: false,
      });
      running.push(core);
      return core;
    };
    const [a, b] = [await start(), await start()];
    const numbers: number[] = [];
    for (let n = 1; n <= 6; n += 1) {
      const opened = await a.heed.handleMessage({
        platform: 'slack',
        channel: IDS.slack.customerChannel,
        messageId: `1764000000.00${n}000`,
        text: `Secret words number ${n}`,
        at: clock.now(),
        author: { id: IDS.slack.customer, name: 'Dana' },
      });
      if (opened.kind !== 'opened') throw new Error('expected an issue');
      numbers.push(opened.issue.number);
      await runCommand(a.heed, {
        person: { platform: 'slack', id: IDS.slack.staff },
        input: { text: `reply #${opened.issue.number} Answer ${n}` },
      });
      clock.advance(60_000);
    }
    const eventsBefore = await a.database.db.selectFrom('ledger').select('id').orderBy('seq').execute();
    clock.advance(31 * DAY);
    const job = (core: RunningCore) =>
      new RetentionJob({ heed: core.heed, database: core.database, clock, logger: silentLogger() });
    const [first, second] = await Promise.all([job(a).tick(), job(b).tick()]);
    // Between them each text went once (which instance did which is up to the database).
    expect(first.ledgerRows + second.ledgerRows).toBe(6);
    expect(first.issues + second.issues).toBe(6);
    const eventsAfter = await a.database.db.selectFrom('ledger').select('id').orderBy('seq').execute();
    expect(eventsAfter).toEqual(eventsBefore);
    for (const number of numbers) {
      const issue = (await b.heed.issues.getByNumber(number))!;
      const md = transcriptMarkdown(buildTranscript(issue, b.heed.config));
      expect(md).not.toMatch(/Secret words|Answer \d/);
    }
  });
});
