import { describe, expect, it } from 'vitest';
import { type Harness, MONDAY_10AM, startHarness } from '../support/harness.ts';
import { customerSays, D, MINUTE, people, rate, S, slash, subcommand } from './customer-story.ts';

const at = (hhmm: string) => {
  const [hours, minutes] = hhmm.split(':').map(Number) as [number, number];
  return MONDAY_10AM + ((hours - 10) * 60 + minutes) * MINUTE;
};

/**
 * Monday in Prague (times local):
 * - 10:00 Dana opens #1; 10:05 staff claims; 10:15 staff answers in the thread; 11:00 resolves; 👍.
 * - 10:30 a Discord customer opens #2; 10:40 staff2 claims; 10:50 answers with /heed reply; 12:30 resolves.
 * - 11:00 an urgent #3 ("everything is down", 15 minutes to answer); 11:05 staff claims; nobody answers,
 *   so the first response is breached at 11:15; 11:40 staff resolves.
 */
async function scriptedDay(): Promise<Harness> {
  const h = await startHarness();
  const one = await customerSays(h, 'The export fails');
  h.clock.set(at('10:05'));
  await slash(h, people.staff, 'claim #1');
  h.clock.set(at('10:15'));
  await h.heed.handleMessage({
    platform: 'slack',
    channel: S.customerChannel,
    thread: one.conversation.thread!,
    messageId: '1764000000.900001',
    text: 'Looking into it',
    at: h.clock.now(),
    author: { id: S.staff, name: 'Alex' },
  });
  h.clock.set(at('10:30'));
  await customerSays(h, 'Bot does not answer', {
    platform: 'discord',
    author: { id: D.customer, name: 'dana_d' },
  });
  h.clock.set(at('10:40'));
  await slash(h, people.staff2, 'claim #2');
  h.clock.set(at('10:50'));
  await slash(h, people.staff2, 'reply #2 Restarting it now');
  h.clock.set(at('11:00'));
  await slash(h, people.staff, 'resolve #1 Fixed the export');
  await rate(h, (await h.heed.findIssue('#1'))!, 'up');
  await customerSays(h, 'Everything is down for us!', { author: { id: 'U0CUST03', name: 'Kim' } });
  h.clock.set(at('11:05'));
  await slash(h, people.staff, 'claim #3');
  h.clock.set(at('11:20'));
  await h.heed.scheduler.tick();
  h.clock.set(at('11:40'));
  await slash(h, people.staff, 'resolve #3 Restored the database');
  h.clock.set(at('12:30'));
  await slash(h, people.staff2, 'resolve #2 Restarted the bot');
  h.clock.set(at('18:00'));
  return h;
}

describe('/heed stats', () => {
  it('sums up a small day per owner and per team', async () => {
    const h = await scriptedDay();
    expect((await h.heed.findIssue('#3'))?.history.some((e) => e.kind === 'nagged')).toBe(true);

    // Your own figures by default, over the last 7 days.
    expect(await slash(h, people.staff, 'stats')).toBe(
      [
        `*Stats* for @${S.staff} · last 7d (since 2026-11-16T17:00:00Z)`,
        'Claimed 2 · resolved 2 · first-contact resolution 50% (1 of 2)',
        'Median first response 15m · median resolution 50m',
        'SLA met 75% (3 of 4 deadlines) · 1 breach',
        'CSAT 100% 👍 (1 of 1 rated)',
      ].join('\n'),
    );
    expect(await slash(h, people.staff, `stats <@${S.staff2}|sam> 24h`)).toBe(
      [
        `*Stats* for @${S.staff2} · last 24h (since 2026-11-22T17:00:00Z)`,
        'Claimed 1 · resolved 1 · first-contact resolution 100% (1 of 1)',
        'Median first response 20m · median resolution 2h',
        'SLA met 100% (2 of 2 deadlines) · 0 breaches',
        'CSAT: no ratings',
      ].join('\n'),
    );
    expect(await slash(h, people.staff2, 'stats support 1d')).toBe(
      [
        '*Stats* for *Customer Support* · last 1d (since 2026-11-22T17:00:00Z)',
        'Claimed 3 · resolved 3 · first-contact resolution 66.7% (2 of 3)',
        'Median first response 17m 30s · median resolution 1h',
        'SLA met 83.3% (5 of 6 deadlines) · 1 breach',
        'CSAT 100% 👍 (1 of 1 rated)',
      ].join('\n'),
    );
    // A lone period means your own figures; Discord staff name Slack people explicitly.
    expect(await slash(h, people.staff, 'stats 30d')).toContain(`for @${S.staff} · last 30d`);
    expect(await subcommand(h, people.discordStaff, 'stats', { who: `slack:${S.staff}`, period: '2h' })).toBe(
      `*Stats* for @${S.staff} · last 2h (since 2026-11-23T15:00:00Z)\nNo activity in this period.`,
    );
    expect(await slash(h, people.staff, 'stats billing')).toContain('No activity in this period.');
  });

  it('explains unknown people, teams and bad periods', async () => {
    const h = await startHarness();
    expect(await slash(h, people.staff, 'stats sales')).toBe(
      'I don\'t know "sales". Name a teammate (@mention, `slack:U0123ABC`, `discord:…`) or a team (support, billing). Usage: `/heed stats [@user|team] [period]`',
    );
    expect(await slash(h, people.staff, 'stats support 5minutes')).toMatch(
      /^That period didn't work — Invalid duration "5minutes": unknown unit "minutes".*\nUsage: `\/heed stats \[@user\|team\] \[period\]`$/s,
    );
    expect(await slash(h, people.staff, 'stats support 0m')).toContain('it must be longer than 0');
    expect(await slash(h, people.staff, 'stats support 400d')).toContain('a year (366d) at most');
    expect(await slash(h, people.staff, 'stats support 7d extra')).toContain('I didn\'t understand "extra"');
  });
});
