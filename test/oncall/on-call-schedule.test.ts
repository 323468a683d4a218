import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { OnCallRoster } from '../../src/oncall/on-call-roster.ts';
import {
  changesBetween,
  nextChange,
  type OnCallOverride,
  type OnCallSchedule,
  onCallAt,
} from '../../src/oncall/on-call-schedule.ts';
import { buildSchedule, scheduleConfigSchema } from '../../src/oncall/oncall-config.ts';
import { testConfigInput } from '../support/test-config.ts';

const at = (iso: string) => Date.parse(iso);
const schedule = (raw: unknown): OnCallSchedule => buildSchedule(scheduleConfigSchema.parse(raw));
/** Anna and Ben taking daily turns in Prague, handing off at `handoff` local time from `start`. */
const dailyTurns = (layer: string, handoff: string, start: string) =>
  schedule({
    id: layer,
    timezone: 'Europe/Prague',
    layers: [
      { name: layer, people: { slack: ['U0ANNA01', 'U0BEN001'] }, rotation: { every: '1d', handoff, start } },
    ],
  });
const who = (
  s: OnCallSchedule,
  when: string,
  overrides: OnCallOverride[] = [],
  platform: 'slack' | 'discord' = 'slack',
) => onCallAt(s, overrides, platform, at(when))?.user;

// Prague: CET (UTC+1) in winter, CEST (UTC+2) from 2026-03-29 02:00 to 2026-10-25 03:00.
const officeAndNights = schedule({
  id: 'support-oncall',
  timezone: 'Europe/Prague',
  layers: [
    {
      name: 'office',
      people: { slack: ['U0ANNA01', 'U0BEN001'], discord: ['1200000000000000001'] },
      rotation: { every: '1w', handoff: 'mon 09:00', start: '2026-01-05' },
      hours: { 'mon-fri': '09:00-18:00' },
    },
    {
      name: 'nights',
      people: { slack: ['U0CARL01', 'U0DORA01'] },
      rotation: { every: '1d', handoff: '18:00', start: '2026-01-05' },
    },
  ],
});

describe('who is on call', () => {
  it('takes turns weekly, handing off on Monday at 09:00 local time', () => {
    // 2026-01-05 is the Monday the rotation starts: Anna first, then Ben, then Anna again.
    expect(who(officeAndNights, '2026-01-05T08:00:00Z')).toBe('U0ANNA01'); // 09:00 CET
    expect(who(officeAndNights, '2026-01-09T16:59:00Z')).toBe('U0ANNA01'); // Fri 17:59
    expect(who(officeAndNights, '2026-01-12T08:00:00Z')).toBe('U0BEN001');
    expect(who(officeAndNights, '2026-01-19T08:30:00Z')).toBe('U0ANNA01');
    // Before the start date the turns run backwards: the week before was Ben's.
    expect(who(officeAndNights, '2025-12-29T10:00:00Z')).toBe('U0BEN001');
  });

  it('lets a later layer cover the hours an earlier one leaves open', () => {
    expect(who(officeAndNights, '2026-01-06T11:00:00Z')).toBe('U0ANNA01'); // Tue 12:00: office
    // Tue 19:00: nights; its daily turn began Mon 18:00 with Carl (start), so Tue 18:00 is Dora's.
    expect(who(officeAndNights, '2026-01-06T18:00:00Z')).toBe('U0DORA01');
    expect(who(officeAndNights, '2026-01-06T07:59:00Z')).toBe('U0CARL01'); // Tue 08:59: Mon night's
    expect(who(officeAndNights, '2026-01-10T11:00:00Z')).toBe('U0CARL01'); // Sat noon: office closed
  });

  it('answers per platform, and nobody where a platform has no one', () => {
    expect(who(officeAndNights, '2026-01-06T11:00:00Z', [], 'discord')).toBe('1200000000000000001');
    // Nights name nobody on Discord.
    expect(who(officeAndNights, '2026-01-06T20:00:00Z', [], 'discord')).toBeUndefined();
  });

  it('keeps local hand-off times across the spring DST change', () => {
    const daily = dailyTurns('day', '09:00', '2026-03-28');
    // Sat 28 March 09:00 CET is 08:00 UTC; Sun 29 March 09:00 CEST is 07:00 UTC.
    expect(who(daily, '2026-03-28T08:00:00Z')).toBe('U0ANNA01');
    expect(who(daily, '2026-03-29T06:59:00Z')).toBe('U0ANNA01');
    expect(who(daily, '2026-03-29T07:00:00Z')).toBe('U0BEN001');
    const change = nextChange(daily, [], 'slack', at('2026-03-28T12:00:00Z'));
    expect(change).toEqual({ at: at('2026-03-29T07:00:00Z'), next: { user: 'U0BEN001', layer: 'day' } });
  });

  it('hands off once in the repeated hour of the autumn DST change, and in a skipped hour at the jump', () => {
    const night = dailyTurns('night', '02:30', '2026-10-24');
    // 25 October: 02:30 CEST (00:30 UTC) comes first, then the clocks go back and 02:30 CET (01:30 UTC) again.
    expect(who(night, '2026-10-25T00:29:00Z')).toBe('U0ANNA01');
    expect(who(night, '2026-10-25T00:30:00Z')).toBe('U0BEN001');
    expect(who(night, '2026-10-25T01:30:00Z')).toBe('U0BEN001');
    expect(
      changesBetween(night, [], 'slack', at('2026-10-24T12:00:00Z'), at('2026-10-26T12:00:00Z')).map(
        (c) => c.at,
      ),
    ).toEqual([at('2026-10-25T00:30:00Z'), at('2026-10-26T01:30:00Z')]);
    // 29 March: 02:30 does not exist (02:00 → 03:00); the hand-off happens at the jump, 01:00 UTC.
    const spring = dailyTurns('night', '02:30', '2026-03-28');
    expect(nextChange(spring, [], 'slack', at('2026-03-28T12:00:00Z'))?.at).toBe(at('2026-03-29T01:00:00Z'));
    expect(who(spring, '2026-03-29T00:59:00Z')).toBe('U0ANNA01');
    expect(who(spring, '2026-03-29T01:00:00Z')).toBe('U0BEN001');
  });

  it('follows the sun: layers restricted to office hours in their own time zones', () => {
    const sun = schedule({
      id: 'sun',
      timezone: 'UTC',
      layers: [
        {
          name: 'prague',
          timezone: 'Europe/Prague',
          people: { slack: ['U0PRG001'] },
          hours: { 'mon-fri': '09:00-17:00' },
        },
        {
          name: 'san-francisco',
          timezone: 'America/Los_Angeles',
          people: { slack: ['U0SFO001'] },
          hours: { 'mon-fri': '09:00-17:00' },
        },
        {
          name: 'sydney',
          timezone: 'Australia/Sydney',
          people: { slack: ['U0SYD001'] },
          hours: { 'mon-fri': '09:00-17:00' },
        },
      ],
    });
    expect(who(sun, '2026-01-06T09:00:00Z')).toBe('U0PRG001'); // 10:00 in Prague
    expect(who(sun, '2026-01-06T18:00:00Z')).toBe('U0SFO001'); // 10:00 in San Francisco
    expect(who(sun, '2026-01-07T01:30:00Z')).toBe('U0SYD001'); // Wed 12:30 in Sydney (AEDT), 17:30 in SF
    expect(who(sun, '2026-01-06T06:30:00Z')).toBeUndefined(); // 17:30 Sydney, 07:30 Prague, 22:30 SF
    // From Prague's afternoon the next change is Prague closing at 17:00 CET (16:00 UTC): nobody until SF opens.
    expect(nextChange(sun, [], 'slack', at('2026-01-06T12:00:00Z'))).toEqual({
      at: at('2026-01-06T16:00:00Z'),
      next: undefined,
    });
    expect(nextChange(sun, [], 'slack', at('2026-01-06T12:00:00Z'), { personOnly: true })?.at).toBe(
      at('2026-01-06T16:00:00Z'),
    );
    // San Francisco moves to PDT on 8 March 2026, before Europe (29 March): its 09:00 is 16:00 UTC then.
    expect(who(sun, '2026-03-10T16:00:00Z')).toBe('U0SFO001');
    expect(who(sun, '2026-01-06T16:30:00Z')).toBeUndefined(); // 08:30 PST in January
  });
});

describe('overrides', () => {
  const cover = (
    o: Partial<OnCallOverride> & Pick<OnCallOverride, 'user' | 'from' | 'to'>,
  ): OnCallOverride => ({
    id: 1,
    schedule: 'support-oncall',
    platform: 'slack',
    createdAt: 0,
    ...o,
  });

  it('beat every layer while they last, on their platform and schedule only', () => {
    const sick = cover({
      id: 7,
      user: 'U0ERIN01',
      from: at('2026-01-06T08:00:00Z'),
      to: at('2026-01-07T08:00:00Z'),
    });
    expect(onCallAt(officeAndNights, [sick], 'slack', at('2026-01-06T11:00:00Z'))).toEqual({
      user: 'U0ERIN01',
      layer: 'override',
      override: 7,
    });
    expect(who(officeAndNights, '2026-01-06T20:00:00Z', [sick])).toBe('U0ERIN01');
    expect(who(officeAndNights, '2026-01-07T08:00:00Z', [sick])).toBe('U0ANNA01'); // over: back to the rota
    expect(who(officeAndNights, '2026-01-06T11:00:00Z', [sick], 'discord')).toBe('1200000000000000001');
    expect(who(officeAndNights, '2026-01-06T11:00:00Z', [{ ...sick, schedule: 'other' }])).toBe('U0ANNA01');
  });

  it('where they overlap, the latest set wins', () => {
    const first = cover({
      id: 1,
      user: 'U0ERIN01',
      from: at('2026-01-06T00:00:00Z'),
      to: at('2026-01-08T00:00:00Z'),
      createdAt: 10,
    });
    const second = cover({
      id: 2,
      user: 'U0FRED01',
      from: at('2026-01-07T00:00:00Z'),
      to: at('2026-01-07T12:00:00Z'),
      createdAt: 20,
    });
    expect(who(officeAndNights, '2026-01-06T12:00:00Z', [first, second])).toBe('U0ERIN01');
    expect(who(officeAndNights, '2026-01-07T06:00:00Z', [first, second])).toBe('U0FRED01');
    expect(who(officeAndNights, '2026-01-07T13:00:00Z', [first, second])).toBe('U0ERIN01');
  });

  it('start and end as hand-offs', () => {
    const sick = cover({
      user: 'U0ERIN01',
      from: at('2026-01-06T12:00:00Z'),
      to: at('2026-01-06T14:00:00Z'),
    });
    expect(
      changesBetween(
        officeAndNights,
        [sick],
        'slack',
        at('2026-01-06T10:00:00Z'),
        at('2026-01-06T23:00:00Z'),
      ),
    ).toEqual([
      { at: at('2026-01-06T12:00:00Z'), next: { user: 'U0ERIN01', layer: 'override', override: 1 } },
      { at: at('2026-01-06T14:00:00Z'), next: { user: 'U0ANNA01', layer: 'office' } },
      { at: at('2026-01-06T17:00:00Z'), next: { user: 'U0DORA01', layer: 'nights' } },
    ]);
  });
});

describe('the roster', () => {
  const config = parseConfig(
    {
      ...testConfigInput(),
      schedules: [
        {
          id: 'support-oncall',
          timezone: 'Europe/Prague',
          layers: [
            {
              name: 'office',
              people: { slack: ['U0STAFF1', 'U0STAFF2'] },
              rotation: { every: '1w', handoff: 'mon 09:00', start: '2026-01-05' },
              hours: { 'mon-fri': '09:00-18:00' },
            },
          ],
        },
      ],
      teams: (testConfigInput().teams as Record<string, unknown>[]).map((team) =>
        team.id === 'support'
          ? { ...team, onCall: { schedule: 'support-oncall' } }
          : { ...team, onCall: { slack: 'U0BILL01' } },
      ),
    },
    'test',
  );
  const roster = new OnCallRoster(config, []);

  it("reads a team's schedule, and the old fixed form as a schedule of one", () => {
    expect(roster.current('support', 'slack', at('2026-01-06T10:00:00Z'))).toEqual({
      platform: 'slack',
      id: 'U0STAFF1',
    });
    expect(roster.current('billing', 'slack', at('2026-01-06T03:00:00Z'))).toEqual({
      platform: 'slack',
      id: 'U0BILL01',
    });
    expect(roster.current('billing', 'discord', at('2026-01-06T03:00:00Z'))).toBeUndefined();
  });

  it('names the next person on call, skipping the hours nobody covers', () => {
    // Friday 17:00 UTC is 18:00 in Prague: the office closes for the weekend; Monday 09:00 is Staff 2's week.
    expect(roster.next('support', 'slack', at('2026-01-09T12:00:00Z'))).toEqual({
      at: at('2026-01-12T08:00:00Z'),
      user: { platform: 'slack', id: 'U0STAFF2' },
    });
    // Tuesday noon: the office closes at 18:00 and Staff 1 is back on Wednesday; the next other person is
    // Staff 2, next Monday.
    expect(roster.next('support', 'slack', at('2026-01-06T11:00:00Z'))).toEqual({
      at: at('2026-01-12T08:00:00Z'),
      user: { platform: 'slack', id: 'U0STAFF2' },
    });
  });

  it('counts everyone a schedule names as staff of its teams', () => {
    expect(roster.people('support', 'slack')).toEqual(['U0STAFF1', 'U0STAFF2']);
    expect(roster.teamsOf('support-oncall')).toEqual(['support']);
  });
});
