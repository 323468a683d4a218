import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCore } from '../../src/boot/start-core.ts';
import { runCommand } from '../../src/commands/run-command.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { toPlainText } from '../../src/messages/rich-text.ts';
import { openDatabase } from '../../src/store/database.ts';
import { InstanceLockedError } from '../../src/store/instance-lock.ts';
import { FakeClock } from '../doubles/fake-clock.ts';
import { RecordingChatPort } from '../doubles/recording-chat-port.ts';
import { MONDAY_10AM } from '../support/harness.ts';
import { IDS, testConfig } from '../support/test-config.ts';

describe('the embedded SQLite store', () => {
  it('keeps every issue and ledger entry across a restart, and refuses a second server on the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-restart-'));
    const storeUrl = `sqlite://${join(dir, 'heed.sqlite')}`;
    const clock = new FakeClock(MONDAY_10AM);
    const options = { config: testConfig(), storeUrl, logger: silentLogger(), clock, runScheduler: false };
    const first = await startCore({ ...options, chat: new RecordingChatPort() });

    await expect(startCore({ ...options, chat: new RecordingChatPort() })).rejects.toBeInstanceOf(
      InstanceLockedError,
    );
    await expect(startCore({ ...options, chat: new RecordingChatPort() })).rejects.toThrow(
      /Another Heed server is already using .*heed\.sqlite/,
    );

    for (const n of [1, 2]) {
      await first.heed.handleMessage({
        platform: 'slack',
        channel: IDS.slack.customerChannel,
        messageId: `1.${n}`,
        text: `Question ${n}`,
        at: clock.now(),
        author: { id: IDS.slack.customer },
      });
    }
    const staff = { platform: 'slack' as const, id: IDS.slack.staff };
    await runCommand(first.heed, { person: staff, input: { text: 'claim #1' } });
    await runCommand(first.heed, { person: staff, input: { text: 'note #1 customer on the old plan' } });
    const before = await first.heed.findIssue('#1');

    // Read-only tools can open the store beside the running server.
    const reader = await openDatabase(storeUrl, { migrations: 'check' });
    const numbers = await reader.db.selectFrom('issues').select('number').orderBy('number').execute();
    expect(numbers.map((row) => row.number)).toEqual([1, 2]);
    await reader.close();

    await first.stop();
    const second = await startCore({ ...options, chat: new RecordingChatPort() });
    expect(await second.heed.findIssue('#1')).toEqual(before);
    const mine = await runCommand(second.heed, { person: staff, input: { text: 'mine' } });
    expect(toPlainText(mine.text)).toContain('*#1*');
    const queue = toPlainText(
      (await runCommand(second.heed, { person: staff, input: { text: 'queue' } })).text,
    );
    expect(queue).toContain('Open issues (2)');
    // Numbering continues where it stopped.
    await second.heed.handleMessage({
      platform: 'slack',
      channel: IDS.slack.customerChannel,
      messageId: '1.3',
      text: 'Question 3',
      at: clock.now(),
      author: { id: IDS.slack.customer },
    });
    expect((await second.heed.findIssue('#3'))?.subject).toBe('Question 3');
    expect((await second.heed.findIssue('#1'))?.history.map((e) => e.kind)).toEqual([
      'opened',
      'routed',
      'claimed',
      'noted',
    ]);
    await second.stop();
  });
});
