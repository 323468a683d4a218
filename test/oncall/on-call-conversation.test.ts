/**
 * On-call as a support team lives it: urgent issues page whoever is on call at that minute, overrides
 * take effect and expire, hand-offs are announced to both people, and escalations reach the on-call
 * person of the moment each alert fires, round after round.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.ts';
import { HandOffNotifier } from '../../src/oncall/hand-off-notifier.ts';
import { FakeClock } from '../doubles/fake-clock.ts';
import { customerOpens, slashAs } from '../support/conversation.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { IDS, testConfig, testConfigInput } from '../support/test-config.ts';

const S = IDS.slack;
const NIGHT = 'U0NIGHT1';
const MIN = 60_000;
const HOUR = 60 * MIN;
/** Monday 23 November 2026, 10:00 in Prague (CET, UTC+1). */
const MONDAY_10 = Date.parse('2026-11-23T09:00:00Z');

function onCallConfig(sla?: Record<string, unknown>) {
  const base = testConfigInput();
  return testConfig({
    schedules: [
      {
        id: 'support-oncall',
        timezone: 'Europe/Prague',
        layers: [
          {
            name: 'office',
            people: { slack: [S.staff, S.staff2], discord: [IDS.discord.staff] },
            rotation: { every: '1w', handoff: 'mon 09:00', start: '2026-11-23' },
            hours: { 'mon-fri': '09:00-18:00' },
          },
          { name: 'nights', people: { slack: [NIGHT] } },
        ],
      },
    ],
    teams: (base.teams as Record<string, unknown>[]).map((team) =>
      team.id === 'support' ? { ...team, onCall: { schedule: 'support-oncall' } } : team,
    ),
    ...(sla ? { sla: { ...(base.sla as Record<string, unknown>), ...sla } } : {}),
  });
}

const pagesTo = (h: Harness) =>
  h.chat.sent.filter((m) => m.op === 'dm' && m.plain.startsWith('🚨')).map((m) => m.to);

async function started(sla?: Record<string, unknown>) {
  return startHarness({ config: onCallConfig(sla), clock: new FakeClock(MONDAY_10) });
}

describe('on-call that follows the clock', () => {
  it('pages whoever is on call at that minute for an urgent issue', async () => {
    const h = await started();
    await customerOpens(h, 'Everything is down, outage!');
    expect(pagesTo(h)).toEqual([S.staff]); // office hours, Staff 1's week
    h.clock.set(Date.parse('2026-11-23T18:30:00Z')); // 19:30 in Prague: nights
    await customerOpens(h, 'Checkout is down again');
    expect(pagesTo(h)).toEqual([S.staff, NIGHT]);
    h.clock.set(Date.parse('2026-11-30T10:00:00Z')); // next Monday 11:00: Staff 2's week
    await customerOpens(h, 'urgent: cannot log in');
    expect(pagesTo(h)).toEqual([S.staff, NIGHT, S.staff2]);
    // The card says who was paged.
    expect(h.chat.find(/🚨 Urgent issue \*#3\*.*@U0STAFF2, you are on call/)).toHaveLength(1);
  });

  it('answers /heed oncall with who is on call now and who is next, with the hand-off time', async () => {
    const h = await started();
    const answer = await slashAs(h, S.staff, 'oncall');
    expect(answer).toContain('On call now');
    // On Slack: Staff 1 (office) until 18:00 Prague (17:00 UTC), then the night person.
    expect(answer).toContain(
      '*Customer Support* on Slack: @U0STAFF1 (office) until 2026-11-23T17:00:00Z; next: @U0NIGHT1 from 2026-11-23T17:00:00Z',
    );
    expect(answer).toContain(
      '*Customer Support* on Discord: @1200000000000000001 (office) until 2026-11-23T17:00:00Z',
    );
    expect(await slashAs(h, S.staff, 'oncall billing')).toContain('*Billing*: no on-call set');
    expect(await slashAs(h, S.staff, 'oncall sales')).toContain('There is no team "sales"');
    expect(await slashAs(h, S.customer, 'oncall')).toContain('is for the support team');
  });

  it('lets a teammate cover with an override that takes effect, is listed, expires, and can be removed', async () => {
    const h = await started();
    const set = await slashAs(
      h,
      S.staff,
      `oncall override <@${S.staff2}> 2h covering my dentist appointment`,
    );
    expect(set).toMatch(
      /✅ Override \*#1\*: @U0STAFF2 is on call for \*Customer Support\* on Slack from 2026-11-23T09:00:00Z until 2026-11-23T11:00:00Z instead of @U0STAFF1/,
    );
    // The covering person is told, with who set it and why.
    const told = h.chat.sent.find((m) => m.op === 'dm' && m.to === S.staff2)!;
    expect(told.plain).toContain(
      "You're covering on-call for *Customer Support* from 2026-11-23T09:00:00Z until 2026-11-23T11:00:00Z, set by @U0STAFF1. Reason: covering my dentist appointment",
    );

    await customerOpens(h, 'outage in the EU region');
    expect(pagesTo(h)).toEqual([S.staff2]);
    expect(await slashAs(h, S.manager, 'oncall overrides')).toContain(
      '#1* @U0STAFF2 covers support on Slack, 2026-11-23T09:00:00Z → 2026-11-23T11:00:00Z, set by @U0STAFF1: covering my dentist appointment',
    );
    expect(await slashAs(h, S.staff, 'oncall')).toContain(
      '@U0STAFF2 (override #1) until 2026-11-23T11:00:00Z; next: @U0STAFF1',
    );

    h.clock.advance(2 * HOUR); // the override is over
    await customerOpens(h, 'the API is down');
    expect(pagesTo(h)).toEqual([S.staff2, S.staff]);
    expect(await slashAs(h, S.staff, 'oncall overrides')).toContain('No overrides now or ahead');

    // A range in the schedule's time zone: tonight 18:00 to tomorrow 09:00, Prague time.
    const tonight = await slashAs(h, S.manager, `oncall override <@${S.staff2}> 18:00–09:00 support`);
    expect(tonight).toContain('from 2026-11-23T17:00:00Z until 2026-11-24T08:00:00Z instead of @U0NIGHT1');
    expect(await slashAs(h, S.staff2, 'oncall remove 9')).toContain('There is no override #9');
    expect(await slashAs(h, S.staff2, 'oncall remove 2')).toContain('Override #2 removed');
    h.clock.set(Date.parse('2026-11-23T19:00:00Z'));
    await customerOpens(h, 'urgent: payments failing');
    expect(pagesTo(h).at(-1)).toBe(NIGHT);
  });

  it('refuses overrides that cannot work, saying what to do', async () => {
    const h = await started();
    expect(await slashAs(h, S.staff, `oncall override <@${S.staff2}> soon`)).toContain('Say for how long');
    expect(await slashAs(h, S.staff, `oncall override <@${S.staff2}> 30:00-31:00`)).toContain(
      'is not a time span',
    );
    expect(await slashAs(h, S.staff, `oncall override <@${S.staff2}> 200d`)).toContain(
      'lasts at most 92 days',
    );
    expect(await slashAs(h, S.staff, `oncall override <@U0STRANGER> 2h`)).toContain(
      'is not on Customer Support',
    );
    expect(await slashAs(h, 'U0BILL01', `oncall override <@${S.staff2}> 2h support`)).toContain(
      "Only Customer Support's staff and managers can change its on-call",
    );
    expect(await slashAs(h, S.staff, 'oncall remove')).toContain('Which override?');
  });

  it('tells the incoming and the outgoing person at each hand-off, once, and late after downtime', async () => {
    const h = await started();
    const notifier = new HandOffNotifier({
      heed: h.heed,
      database: h.store,
      clock: h.clock,
      logger: silentLogger(),
    });
    expect(await notifier.tick()).toEqual([]); // the first start owes nothing from before
    const urgent = await customerOpens(h, 'outage: nothing loads');
    await slashAs(h, S.staff, `claim #${urgent.number}`);
    await customerOpens(h, 'the export is down');
    h.chat.clear();

    h.clock.set(Date.parse('2026-11-23T17:00:30Z')); // 18:00:30 in Prague: nights take over
    const handOffs = await notifier.tick();
    expect(handOffs.map((x) => [x.platform, x.from, x.to, x.late])).toEqual([
      ['slack', S.staff, NIGHT, false],
      ['discord', IDS.discord.staff, undefined, false],
    ]);
    const incoming = h.chat.sent.find((m) => m.to === NIGHT)!;
    expect(incoming.plain).toBe(
      "📟 You're on call for *Customer Support* until 2026-11-24T08:00:00Z; 2 open urgent issues: *#1*, *#2*.\n1 issue waits for an owner: `/heed queue` lists them.",
    );
    const outgoing = h.chat.sent.find((m) => m.to === S.staff)!;
    expect(outgoing.plain).toContain(
      '📟 Your on-call for *Customer Support* ended at 2026-11-23T17:00:00Z; @U0NIGHT1 has it now.',
    );
    expect(outgoing.plain).toContain(
      'You still own *#1*: hand them off with `/heed handoff` if you are leaving.',
    );
    expect(outgoing.plain).toContain('Urgent and open for the team: *#2*.');
    expect(h.chat.find('nobody is on call until the next shift')).toHaveLength(1); // Discord has no night layer

    h.chat.clear();
    expect(await notifier.tick()).toEqual([]); // never twice
    expect(h.chat.sent).toHaveLength(0);

    // Heed is down from Monday night until Wednesday 12:00: only the latest hand-off (Wed 09:00) is owed.
    h.clock.set(Date.parse('2026-11-25T11:00:00Z'));
    const late = await notifier.tick();
    expect(late.map((x) => [x.platform, x.at, x.to, x.late])).toEqual([
      ['slack', Date.parse('2026-11-25T08:00:00Z'), S.staff, true],
      ['discord', Date.parse('2026-11-25T08:00:00Z'), IDS.discord.staff, true],
    ]);
    expect(h.chat.find('Sent late: Heed was not running at the hand-off')).not.toHaveLength(0);
  });

  it('escalates to the on-call person of the moment, then the next one, and loops the chain', async () => {
    const chain = {
      escalation: {
        loop: 1,
        levels: [
          { after: '0m', notify: ['owner'] },
          { after: '30m', notify: ['on-call'] },
          { after: '1h', notify: ['next-on-call'] },
        ],
      },
    };
    const h = await started(chain);
    h.clock.set(Date.parse('2026-11-23T16:30:00Z')); // 17:30 in Prague, Staff 1 on call
    const issue = await customerOpens(h, 'outage on the dashboard'); // urgent: 15 minutes to answer
    expect(pagesTo(h)).toEqual([S.staff]);
    h.chat.clear();
    const at = async (iso: string) => {
      h.clock.set(Date.parse(iso));
      await h.heed.scheduler.tick();
      return h.chat.sent
        .splice(0)
        .filter((m) => m.op === 'dm')
        .map((m) => [m.to, m.plain.slice(0, 24)]);
    };
    await at('2026-11-23T16:45:00Z'); // breach: the nag goes to the team channel (nobody owns it)
    // 17:15 UTC is 18:15 in Prague: the night person is on call now, not the one paged at intake.
    expect((await at('2026-11-23T17:15:00Z')).map(([to]) => to)).toEqual([NIGHT]);
    // +1h: next on call after the night person is Staff 1, back on Tuesday at 09:00.
    expect((await at('2026-11-23T17:45:00Z')).map(([to]) => to)).toEqual([S.staff]);
    // The chain's rhythm is 30 minutes: round 2 starts at breach + 1h30 with the nag, then on-call again.
    await at('2026-11-23T18:15:00Z');
    const round2 = await at('2026-11-23T18:45:00Z');
    expect(round2.map(([to]) => to)).toEqual([NIGHT]);
    const events = (await h.heed.issues.get(issue.id))!.history.filter(
      (e) => e.kind === 'escalated' && e.data?.clock === 'firstResponse',
    );
    expect(events).toHaveLength(3);
    await at('2026-11-23T23:00:00Z'); // both rounds are done: nothing more
    const after = (await h.heed.issues.get(issue.id))!.history.filter(
      (e) => e.kind === 'escalated' && e.data?.clock === 'firstResponse',
    );
    expect(after).toHaveLength(4);
  });
});
