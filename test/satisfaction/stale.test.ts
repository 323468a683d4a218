/**
 * Silent customers (issue 18's `stale`): an issue waiting on the customer is nudged in their thread after
 * `nudgeAfter` and resolved as "no reply from the customer" after `closeAfter`, both in the team's
 * business time; a customer message cancels both; a reply after the close reopens the issue.
 */

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from '../../src/config/load-config.ts';
import { DEFAULT_STALE_MESSAGE } from '../../src/config/schema.ts';
import type { Issue } from '../../src/domain/issue.ts';
import { planAfterCare } from '../../src/satisfaction/after-care.ts';
import { testConfig, testConfigInput } from '../support/test-config.ts';
import { HOUR, MINUTE, S, type SatisfactionHarness, startSatisfaction } from './satisfaction-harness.ts';

// The default policy runs on the office calendar, Mon–Fri 09:00–18:00 in Prague: 9 business hours a day.
const withStale = () => testConfig({ stale: { nudgeAfter: '9h', closeAfter: '18h' } });
const at = (local: string) => Date.parse(`${local}+01:00`);

const nudges = (h: SatisfactionHarness) =>
  h.chat.sent.filter((m) => m.op === 'reply' && m.plain.includes('still a problem'));

/** Dana writes; Sam claims and answers in her thread, so the issue waits on her. */
async function waitingIssue(h: SatisfactionHarness): Promise<Issue> {
  await h.say('The CSV export fails with error 500');
  const opened = (await h.heed.findIssue('#1'))!;
  await h.heed.claim(opened, { platform: 'slack', id: S.staff });
  h.clock.set(at('2026-11-23T10:30:00'));
  await h.say('Could you send me the file you exported?', {
    thread: opened.conversation.thread!,
    author: S.staff,
  });
  const waiting = await h.issue(opened.id);
  expect(waiting.status).toBe('waiting');
  return waiting;
}

async function elapseTo(h: SatisfactionHarness, local: string): Promise<void> {
  await h.elapse(at(local) - h.clock.now());
}

describe('silent customers', () => {
  it('validates stale: the close after the nudge, a default message', () => {
    expect(testConfig().stale).toBeUndefined();
    expect(withStale().stale).toEqual({
      nudgeAfter: 9 * HOUR,
      closeAfter: 18 * HOUR,
      message: DEFAULT_STALE_MESSAGE,
    });
    expect(() =>
      parseConfig({ ...testConfigInput(), stale: { nudgeAfter: '2d', closeAfter: '1d' } }),
    ).toThrow(ConfigError);
    expect(() =>
      parseConfig({ ...testConfigInput(), stale: { nudgeAfter: '2d', closeAfter: '1d' } }),
    ).toThrow('stale.closeAfter must be longer than stale.nudgeAfter');
  });

  it('accepts the stale block documented (commented out) in the shipped example', () => {
    const example = readFileSync('heed.config.example.yaml', 'utf8');
    const enabled = example.replace(/^# stale:\n(# {3}.*\n){3}/m, (block) => block.replace(/^# /gm, ''));
    expect(enabled).not.toBe(example);
    const dir = mkdtempSync(join(tmpdir(), 'heed-stale-'));
    writeFileSync(join(dir, 'heed.config.yaml'), enabled);
    expect(loadConfigFile('heed.config.yaml', dir).stale).toEqual({
      nudgeAfter: 2 * 24 * HOUR,
      closeAfter: 5 * 24 * HOUR,
      message: DEFAULT_STALE_MESSAGE,
    });
  });

  it('plans the nudge and the close in business time, from when the issue started waiting', async () => {
    const h = await startSatisfaction({ config: withStale() });
    const waiting = await waitingIssue(h);
    // Monday 10:30 + 9 business hours = Tuesday 10:30; + 18 = Wednesday 10:30.
    expect(waiting.sla.stale).toEqual({
      since: at('2026-11-23T10:30:00'),
      nudgeAt: at('2026-11-24T10:30:00'),
      closeAt: at('2026-11-25T10:30:00'),
    });
    expect(planAfterCare(waiting, withStale()).map((step) => step.kind)).toEqual(['nudge', 'stale-close']);
    expect(planAfterCare(waiting, testConfig())).toEqual([]);
  });

  it('nudges once at the time, resolves as "no reply" at the close, and a reply reopens it', async () => {
    const h = await startSatisfaction({ config: withStale() });
    const waiting = await waitingIssue(h);
    await elapseTo(h, '2026-11-24T10:29:00');
    expect(nudges(h)).toHaveLength(0);
    await elapseTo(h, '2026-11-24T10:31:00');
    await h.elapse(MINUTE);
    expect(nudges(h)).toHaveLength(1);
    const [nudge] = nudges(h);
    expect(nudge!.plain).toBe(
      "Hi Dana, is *#1* still a problem? If we don't hear back we'll close it in 23h 59m.",
    );
    expect(nudge!.to).toBe(waiting.conversation.channel);
    const nudged = await h.issue(waiting.id);
    expect(nudged.history.filter((e) => e.kind === 'noted').at(-1)).toMatchObject({
      actor: { platform: 'heed', id: 'heed' },
      data: { staleNudge: true, late: false },
    });

    await elapseTo(h, '2026-11-25T10:31:00');
    const closed = await h.issue(waiting.id);
    expect(closed.status).toBe('resolved');
    expect(closed.resolution).toBe('No reply from the customer');
    expect(closed.owner).toEqual({ platform: 'slack', id: S.staff });
    expect(closed.history.filter((e) => e.kind === 'resolved')).toEqual([
      expect.objectContaining({
        actor: { platform: 'heed', id: 'heed' },
        data: { stale: true, automatic: true, late: false },
      }),
    ]);
    expect(nudges(h)).toHaveLength(1);

    await h.say('Sorry, I was away. Here it is.', { thread: waiting.conversation.thread! });
    expect((await h.issue(waiting.id)).status).toBe('reopened');
  });

  it('a customer message cancels both; the next wait plans anew', async () => {
    const h = await startSatisfaction({ config: withStale() });
    const waiting = await waitingIssue(h);
    h.clock.set(at('2026-11-23T15:00:00'));
    await h.say('Here is the file.', { thread: waiting.conversation.thread! });
    const answered = await h.issue(waiting.id);
    expect(answered.status).toBe('claimed');
    expect(answered.sla.stale).toBeUndefined();
    await elapseTo(h, '2026-11-26T12:00:00');
    expect(nudges(h)).toHaveLength(0);
    expect((await h.issue(waiting.id)).status).toBe('claimed');
  });

  it('after downtime past both, only the close is carried out (marked late); the nudge is not sent', async () => {
    const h = await startSatisfaction({ config: withStale() });
    const waiting = await waitingIssue(h);
    h.clock.set(at('2026-11-26T12:00:00'));
    const later = await h.restart();
    await later.elapse(MINUTE);
    const closed = await later.issue(waiting.id);
    expect(closed.status).toBe('resolved');
    expect(closed.history.find((e) => e.kind === 'resolved')?.data).toMatchObject({
      stale: true,
      late: true,
    });
    expect(nudges(later)).toHaveLength(0);
    expect(closed.sla.fired).toEqual(
      expect.arrayContaining([
        `waiting:${waiting.sla.stale!.since}:nudge`,
        `waiting:${waiting.sla.stale!.since}:close`,
      ]),
    );
  });
});
