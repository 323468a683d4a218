import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { configProblem } from '../support/config-problem.ts';
import { testConfigInput } from '../support/test-config.ts';

const layer = { name: 'office', people: { slack: ['U0STAFF1'] } };
const withSchedule = (schedule: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  ...testConfigInput(),
  schedules: [{ id: 'support-oncall', timezone: 'Europe/Prague', layers: [layer], ...schedule }],
  ...extra,
});
const withLayer = (changes: Record<string, unknown>) => withSchedule({ layers: [{ ...layer, ...changes }] });

describe('on-call configuration', () => {
  it('accepts schedules, the old fixed form, on-call escalation targets and a looping chain', () => {
    const base = testConfigInput();
    const config = parseConfig(
      {
        ...withSchedule({}),
        teams: (base.teams as Record<string, unknown>[]).map((team) =>
          team.id === 'support' ? { ...team, onCall: { schedule: 'support-oncall' } } : team,
        ),
        sla: {
          ...(base.sla as Record<string, unknown>),
          escalation: {
            loop: 2,
            levels: [
              { after: '0m', notify: ['on-call'] },
              { after: '30m', notify: ['next-on-call', { schedule: 'support-oncall' }] },
            ],
          },
        },
      },
      'test',
    );
    expect(config.teams[0]?.onCall).toEqual({ schedule: 'support-oncall' });
    expect(config.sla.escalation.loop).toBe(2);
    expect(config.sla.escalation.levels[1]?.notify).toEqual(['next-on-call', { schedule: 'support-oncall' }]);
    expect(parseConfig(testConfigInput(), 'test').teams[0]?.onCall).toEqual({
      slack: 'U0STAFF1',
      discord: '1200000000000000001',
    });
  });

  it('names the key, the problem and the fix for every new key', () => {
    expect(configProblem(withSchedule({ timezone: 'Mars/Olympus' }))).toContain(
      'schedules[0].timezone: not a time zone Heed knows',
    );
    expect(configProblem(withSchedule({ layers: [] }))).toContain(
      'schedules[0].layers: a schedule needs at least one layer',
    );
    expect(configProblem(withLayer({ people: {} }))).toContain(
      'schedules[0].layers[0].people: name at least one person',
    );
    expect(configProblem(withLayer({ people: { slack: ['U0STAFF1', 'U0STAFF2'] } }))).toContain(
      'schedules[0].layers[0].rotation: several people take turns, so say how',
    );
    expect(configProblem(withLayer({ rotation: { every: '12h' } }))).toContain(
      'schedules[0].layers[0].rotation.every: a rotation turns in whole days or weeks',
    );
    expect(configProblem(withLayer({ rotation: { every: '1d', handoff: 'mon 09:00' } }))).toContain(
      'schedules[0].layers[0].rotation.handoff: a hand-off on a week day needs a rotation of whole weeks',
    );
    expect(configProblem(withLayer({ rotation: { every: '1w', handoff: '9am' } }))).toContain(
      'schedules[0].layers[0].rotation.handoff: a hand-off is a local time like "09:00"',
    );
    expect(configProblem(withLayer({ rotation: { every: '1w', start: '2026-02-30' } }))).toContain(
      'schedules[0].layers[0].rotation.start: not a real date',
    );
    expect(configProblem(withLayer({ hours: { weekdays: '09:00-18:00' } }))).toMatch(
      /schedules\[0\]\.layers\[0\]\.hours: Unknown day "weekdays"/,
    );
    expect(configProblem(withLayer({ timezone: 'Nowhere/Town' }))).toContain(
      'schedules[0].layers[0].timezone: not a time zone Heed knows',
    );
    expect(configProblem(withLayer({ people: { slack: ['alex'] } }))).toContain('a Slack user id looks like');
    expect(configProblem(withLayer({ shift: 'day' }))).toMatch(/shift/);
    expect(
      configProblem(
        withSchedule(
          {},
          {
            schedules: [
              { id: 'a', timezone: 'UTC', layers: [layer] },
              { id: 'a', timezone: 'UTC', layers: [layer] },
            ],
          },
        ),
      ),
    ).toContain('schedules[1].id: schedule id "a" is used twice');
    const base = testConfigInput();
    const team = (onCall: unknown) => ({
      ...base,
      teams: (base.teams as Record<string, unknown>[]).map((t) =>
        t.id === 'support' ? { ...t, onCall } : t,
      ),
    });
    expect(configProblem(team({ schedule: 'nights' }))).toContain(
      'teams[0].onCall.schedule: unknown schedule "nights"; define it under "schedules" (known: none)',
    );
    expect(configProblem(team({ schedule: 'nights', slack: 'U0STAFF1' }))).toContain(
      'teams[0].onCall: onCall names either a schedule',
    );
    const sla = (escalation: unknown) => ({
      ...base,
      sla: { ...(base.sla as Record<string, unknown>), escalation },
    });
    expect(configProblem(sla({ levels: [{ after: '30m', notify: [{ schedule: 'nights' }] }] }))).toContain(
      'sla.escalation.levels[0].notify[0].schedule: unknown schedule "nights"',
    );
    expect(configProblem(sla({ loop: 2, levels: [{ after: '0m', notify: ['owner'] }] }))).toContain(
      'sla.escalation.loop: a chain that loops needs a level after the breach',
    );
    expect(configProblem(sla({ loop: 99, levels: [{ after: '30m', notify: ['owner'] }] }))).toContain(
      'sla.escalation.loop',
    );
    expect(configProblem(sla([{ after: '30m', notify: ['oncall'] }]))).toContain(
      'sla.escalation.levels[0].notify[0]',
    );
  });

  it('names the problem with each key of stale (silent customers)', () => {
    const base = testConfigInput();
    expect(configProblem({ ...base, stale: { closeAfter: '5d' } })).toContain(
      'stale.nudgeAfter: say how long',
    );
    expect(configProblem({ ...base, stale: { nudgeAfter: 'two days', closeAfter: '5d' } })).toMatch(
      /stale\.nudgeAfter: .*two days/,
    );
    expect(configProblem({ ...base, stale: { nudgeAfter: '2d', closeAfter: '1d' } })).toContain(
      'stale.closeAfter: stale.closeAfter must be longer than stale.nudgeAfter',
    );
    expect(configProblem({ ...base, stale: { nudgeAfter: '2d', closeAfter: '5d', message: '' } })).toContain(
      'stale.message',
    );
    expect(
      configProblem({ ...base, stale: { nudgeAfter: '2d', closeAfter: '5d', warnAfter: '1d' } }),
    ).toMatch(/warnAfter/);
  });
});
