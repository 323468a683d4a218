/**
 * Transcripts: everything said on an issue, interleaved with its ledger, as Markdown, HTML (no script a
 * customer wrote ever runs) or JSON; from /heed transcript and `heed transcript`; and the retention purge
 * that clears old text and keeps the events.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.ts';
import { openDatabase } from '../../src/store/database.ts';
import { purgeMessageText } from '../../src/transcripts/retention.ts';
import { buildTranscript, transcriptHtml, transcriptMarkdown } from '../../src/transcripts/transcript.ts';
import { runHeed } from '../cli/run-heed.ts';
import { slashAs } from '../support/conversation.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { IDS, testConfig } from '../support/test-config.ts';

const S = IDS.slack;
const DAY = 86_400_000;

/** What people try to make a page run, written by a customer (names, messages, file names and links). */
const INJECTIONS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "'><iframe src=javascript:alert(1)>",
  '<a href="javascript:alert(1)">click</a>',
  '</textarea><script>fetch("//evil")</script>',
];

async function story(h: Harness, text: string, name = 'Dana') {
  const opened = await h.heed.handleMessage({
    platform: 'slack',
    channel: S.customerChannel,
    messageId: '1764000000.000100',
    text,
    at: h.clock.now(),
    author: { id: S.customer, name },
    files: [{ name: 'error<b>.png', url: 'https://files.example/error.png', type: 'image/png' }],
  });
  if (opened.kind !== 'opened') throw new Error('expected an issue');
  h.clock.advance(5 * 60_000);
  await h.heed.handleMessage({
    platform: 'slack',
    channel: S.customerChannel,
    thread: opened.issue.conversation.thread,
    messageId: '1764000000.000200',
    text: 'Looking at it now, Dana.',
    at: h.clock.now(),
    author: { id: S.staff, name: 'Alex' },
  });
  h.clock.advance(5 * 60_000);
  await slashAs(h, S.staff, `resolve #${opened.issue.number} Restarted the export worker`);
  return (await h.heed.issues.get(opened.issue.id))!;
}

describe('transcripts', () => {
  it('interleave the customer, staff, Heed and the ledger by time, with files as links', async () => {
    const h = await startHarness({ config: testConfig() });
    const issue = await story(h, 'The CSV export fails with error 500');
    const md = transcriptMarkdown(buildTranscript(issue, h.heed.config));
    const lines = md.split('\n');
    expect(lines[0]).toBe('# #1: The CSV export fails with error 500');
    const order = [
      '**Dana**',
      'opened_',
      '_Heed: routed',
      '**Heed**',
      '**slack:U0STAFF1**',
      'resolved: Restarted the export worker',
      '**Heed**',
    ];
    let at = 0;
    for (const needle of order) {
      const found = lines.findIndex((line, index) => index >= at && line.includes(needle));
      expect(found, needle).toBeGreaterThanOrEqual(0);
      at = found;
    }
    expect(md).toContain('  > Looking at it now, Dana.');
    expect(md).toContain('Hi Dana, thanks for reaching out! This is *#1*.');
    expect(md).toContain('  - 📎 [error<b>.png](https://files.example/error.png)');
    expect(md).toContain('#1* is resolved: Restarted the export worker.');
    // The command shows it too, neutralised, and points to the command line for the whole of it.
    const reply = await slashAs(h, S.staff, 'transcript #1');
    expect(reply).toContain('The CSV export fails with error 500');
    expect(reply).toContain('npx heed transcript 1 --format md|html|json');
    // Staff are named as Heed knows them.
    expect(reply).toContain('**Alex (slack:U0STAFF1)**');
    expect(await slashAs(h, S.customer, 'transcript #1')).toContain('is for the support team');
  });

  it.each(INJECTIONS)('escape customer text in HTML so nothing runs: %s', async (attack) => {
    const h = await startHarness({ config: testConfig() });
    const issue = await story(h, `Help ${attack}`, `Dana ${attack}`);
    const html = transcriptHtml(buildTranscript(issue, h.heed.config));
    // No tag a customer wrote survives, and no event handler sits on a real tag.
    expect(html).not.toMatch(/<(script|img|svg|iframe)\b|<a href="javascript/i);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).toContain('&lt;');
    expect(html).toContain(
      '<a href="https://files.example/error.png" rel="noopener noreferrer">error&lt;b&gt;.png</a>',
    );
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
  });

  it('print from the command line as Markdown, HTML or JSON', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'heed-transcript-'));
    try {
      const url = `sqlite://${path.join(dir, 'heed.sqlite')}`;
      const store = await openDatabase(url);
      const h = await startHarness({ config: testConfig(), store });
      await story(h, 'Exports fail');
      await store.close();
      const json = await runHeed(['transcript', '1', '--format', 'json'], {
        env: { HEED_STORE_URL: url },
        cwd: dir,
      });
      expect(json.code).toBe(0);
      const parsed = JSON.parse(json.stdout);
      expect(parsed).toMatchObject({ v: 1, reference: '#1', subject: 'Exports fail', customer: 'Dana' });
      expect(parsed.entries.map((e: { role: string }) => e.role)).toContain('staff');
      // Without a config file, Heed's own messages are left out; the rest is there.
      expect(parsed.entries.map((e: { role: string }) => e.role)).not.toContain('heed');
      const missing = await runHeed(['transcript', '9'], { env: { HEED_STORE_URL: url }, cwd: dir });
      expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('there is no issue #9') });
      const bad = await runHeed(['transcript', '1', '--format', 'pdf'], {
        env: { HEED_STORE_URL: url },
        cwd: dir,
      });
      expect(bad).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('--format must be md, html or json'),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the retention purge', () => {
  it('clears message text older than retention.messages and keeps every event', async () => {
    const h = await startHarness({ config: testConfig({ retention: { messages: '30d' } }) });
    const issue = await story(h, 'Old words');
    const events = issue.history.length;
    h.clock.advance(10 * DAY);
    const early = await purgeMessageText(
      { database: h.store, issues: h.heed.issues, logger: silentLogger() },
      h.clock.now() - 30 * DAY,
    );
    expect(early).toEqual({ ledgerRows: 0, issues: 0, outboxRows: 0 });
    h.clock.advance(25 * DAY);
    const purged = await purgeMessageText(
      { database: h.store, issues: h.heed.issues, logger: silentLogger() },
      h.clock.now() - 30 * DAY,
    );
    expect(purged.ledgerRows).toBe(1); // the staff answer
    expect(purged.issues).toBe(1);
    expect(purged.outboxRows).toBeGreaterThan(0); // acknowledgement and card, sent long ago
    const after = (await h.heed.issues.get(issue.id))!;
    expect(after.history).toHaveLength(events);
    expect(after.messages.map((m) => m.text)).toEqual(['']);
    expect(after.history.find((e) => e.kind === 'responded')?.reason).toBeUndefined();
    const md = transcriptMarkdown(buildTranscript(after, h.heed.config));
    expect(md).not.toContain('Old words');
    expect(md).not.toContain('Looking at it now');
    expect(md).toContain('(text not kept)');
    // Idempotent.
    expect(
      await purgeMessageText(
        { database: h.store, issues: h.heed.issues, logger: silentLogger() },
        h.clock.now() - 30 * DAY,
      ),
    ).toEqual({
      ledgerRows: 0,
      issues: 0,
      outboxRows: 0,
    });
  });
});
