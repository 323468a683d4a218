import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ALWAYS_CALENDAR,
  addBusinessTime,
  type BusinessCalendar,
  buildCalendar,
  businessTimeBetween,
  isBusinessTime,
  nextBusinessStart,
  type ZonedBusinessCalendar,
} from '../../src/sla/business-time.ts';
import { parseDuration } from '../../src/sla/duration.ts';
import { forgetWallClockOffsets } from '../../src/sla/wall-clock.ts';
import { CalendarError, parseWeeklyHours } from '../../src/sla/weekly-hours.ts';
import { seeded } from '../support/seeded-random.ts';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;
const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test instant ${iso}`);
  return ms;
};
const iso = (ms: number): string => new Date(ms).toISOString();

const prague = buildCalendar({
  id: 'prague',
  timezone: 'Europe/Prague',
  hours: { 'mon-fri': '09:00-18:00' },
  holidays: ['2026-12-24', '2026-12-25'],
});
const pragueSplit = buildCalendar({
  id: 'prague-split',
  timezone: 'Europe/Prague',
  hours: { 'mon-fri': '09:00-12:00, 13:00-17:00' },
});
const pragueAllDay = buildCalendar({
  id: 'prague-24x7',
  timezone: 'Europe/Prague',
  hours: { 'sun-sat': '00:00-24:00' },
});
const newYork = buildCalendar({
  id: 'nyc',
  timezone: 'America/New_York',
  hours: { 'mon-fri': '09:00-17:00' },
});
const newYorkAllDay = buildCalendar({
  id: 'nyc-24x7',
  timezone: 'America/New_York',
  hours: { 'mon-sun': '00:00-24:00' },
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('addBusinessTime', () => {
  it('carries Friday evening work over the weekend (Prague, 17:55 + 30m → Monday 09:25)', () => {
    expect(addBusinessTime(prague, at('2026-11-20T17:55:00+01:00'), 30 * M)).toBe(
      at('2026-11-23T09:25:00+01:00'),
    );
  });

  it('starts the clock at opening when started before opening', () => {
    expect(addBusinessTime(prague, at('2026-11-23T07:00:00+01:00'), H)).toBe(at('2026-11-23T10:00:00+01:00'));
  });

  it('skips the lunch gap with split hours', () => {
    expect(addBusinessTime(pragueSplit, at('2026-11-23T12:15:00+01:00'), 30 * M)).toBe(
      at('2026-11-23T13:30:00+01:00'),
    );
    expect(addBusinessTime(pragueSplit, at('2026-11-23T11:45:00+01:00'), 30 * M)).toBe(
      at('2026-11-23T13:15:00+01:00'),
    );
    expect(addBusinessTime(pragueSplit, at('2026-11-23T16:50:00+01:00'), 20 * M)).toBe(
      at('2026-11-24T09:10:00+01:00'),
    );
  });

  it('starts on Monday when started on a weekend', () => {
    expect(addBusinessTime(prague, at('2026-11-21T10:00:00+01:00'), H)).toBe(at('2026-11-23T10:00:00+01:00'));
    expect(addBusinessTime(prague, at('2026-11-22T23:59:00+01:00'), H)).toBe(at('2026-11-23T10:00:00+01:00'));
  });

  it('closes the whole day on holidays, including a Friday holiday pushing to Monday', () => {
    // 2026-12-24 is a Thursday and 2026-12-25 a Friday, both holidays.
    expect(addBusinessTime(prague, at('2026-12-24T10:00:00+01:00'), H)).toBe(at('2026-12-28T10:00:00+01:00'));
    expect(addBusinessTime(prague, at('2026-12-23T17:30:00+01:00'), H)).toBe(at('2026-12-28T09:30:00+01:00'));

    const fridayOff = buildCalendar({
      id: 'friday-off',
      timezone: 'Europe/Prague',
      hours: { 'mon-fri': '09:00-18:00' },
      holidays: ['2026-11-20'],
    });
    expect(addBusinessTime(fridayOff, at('2026-11-19T17:00:00+01:00'), 2 * H)).toBe(
      at('2026-11-23T10:00:00+01:00'),
    );
  });

  it('returns the closing instant when the duration runs out exactly at close', () => {
    expect(addBusinessTime(prague, at('2026-11-23T17:00:00+01:00'), H)).toBe(at('2026-11-23T18:00:00+01:00'));
  });

  it('with duration 0 returns the start inside hours, otherwise the next opening', () => {
    expect(addBusinessTime(prague, at('2026-11-23T10:00:00+01:00'), 0)).toBe(at('2026-11-23T10:00:00+01:00'));
    expect(addBusinessTime(prague, at('2026-11-20T18:00:00+01:00'), 0)).toBe(at('2026-11-23T09:00:00+01:00'));
    expect(addBusinessTime(prague, at('2026-11-21T12:00:00+01:00'), 0)).toBe(at('2026-11-23T09:00:00+01:00'));
  });

  it('treats 1d as 24 business hours, spanning about three 9-hour days', () => {
    const monday = at('2026-11-23T09:00:00+01:00');
    // Mon 9h + Tue 9h + 6h on Wednesday.
    expect(addBusinessTime(prague, monday, parseDuration('1d'))).toBe(at('2026-11-25T15:00:00+01:00'));
    // 72h = eight full 9-hour days: Mon–Fri, then Mon–Wed of the next week, ending at close.
    expect(addBusinessTime(prague, monday, parseDuration('3d'))).toBe(at('2026-12-02T18:00:00+01:00'));
    expect(addBusinessTime(prague, monday, parseDuration('1w'))).toBe(at('2026-12-17T15:00:00+01:00'));
  });

  it('steps by interval, not by minute', () => {
    forgetWallClockOffsets();
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    addBusinessTime(prague, at('2026-11-20T17:55:00+01:00'), parseDuration('3d'));
    expect(spy.mock.calls.length).toBeGreaterThan(0);
    expect(spy.mock.calls.length).toBeLessThan(200);
  });

  it('rejects negative or non-finite input', () => {
    const start = at('2026-11-23T10:00:00+01:00');
    expect(() => addBusinessTime(prague, start, -1)).toThrow(RangeError);
    expect(() => addBusinessTime(prague, start, Number.NaN)).toThrow(RangeError);
    expect(() => addBusinessTime(prague, Number.NaN, H)).toThrow(RangeError);
  });
});

describe('businessTimeBetween', () => {
  it('counts business time in [from, to)', () => {
    expect(
      businessTimeBetween(prague, at('2026-11-23T09:00:00+01:00'), at('2026-11-27T18:00:00+01:00')),
    ).toBe(45 * H);
    expect(
      businessTimeBetween(prague, at('2026-11-20T17:55:00+01:00'), at('2026-11-23T09:25:00+01:00')),
    ).toBe(30 * M);
    expect(
      businessTimeBetween(pragueSplit, at('2026-11-23T11:00:00+01:00'), at('2026-11-23T14:00:00+01:00')),
    ).toBe(2 * H);
    expect(
      businessTimeBetween(prague, at('2026-12-21T00:00:00+01:00'), at('2026-12-28T00:00:00+01:00')),
    ).toBe(27 * H);
  });

  it('is 0 for empty or reversed ranges and outside hours', () => {
    const t = at('2026-11-23T10:00:00+01:00');
    expect(businessTimeBetween(prague, t, t)).toBe(0);
    expect(businessTimeBetween(prague, t + H, t)).toBe(0);
    expect(
      businessTimeBetween(prague, at('2026-11-21T00:00:00+01:00'), at('2026-11-23T09:00:00+01:00')),
    ).toBe(0);
  });
});

describe('isBusinessTime and nextBusinessStart', () => {
  it('uses half-open intervals', () => {
    expect(isBusinessTime(prague, at('2026-11-23T08:59:59.999+01:00'))).toBe(false);
    expect(isBusinessTime(prague, at('2026-11-23T09:00:00+01:00'))).toBe(true);
    expect(isBusinessTime(prague, at('2026-11-23T17:59:59.999+01:00'))).toBe(true);
    expect(isBusinessTime(prague, at('2026-11-23T18:00:00+01:00'))).toBe(false);
    expect(isBusinessTime(pragueSplit, at('2026-11-23T12:30:00+01:00'))).toBe(false);
  });

  it('is closed on weekends and holidays', () => {
    expect(isBusinessTime(prague, at('2026-11-21T12:00:00+01:00'))).toBe(false);
    expect(isBusinessTime(prague, at('2026-12-24T12:00:00+01:00'))).toBe(false);
    expect(isBusinessTime(prague, at('2026-12-23T12:00:00+01:00'))).toBe(true);
  });

  it('returns the instant itself when open, otherwise the next opening', () => {
    const open = at('2026-11-23T10:17:03.5+01:00');
    expect(nextBusinessStart(prague, open)).toBe(open);
    expect(nextBusinessStart(prague, at('2026-11-23T18:00:00+01:00'))).toBe(at('2026-11-24T09:00:00+01:00'));
    expect(nextBusinessStart(prague, at('2026-12-23T19:00:00+01:00'))).toBe(at('2026-12-28T09:00:00+01:00'));
    expect(nextBusinessStart(pragueSplit, at('2026-11-23T12:00:00+01:00'))).toBe(
      at('2026-11-23T13:00:00+01:00'),
    );
  });
});

describe('daylight saving time', () => {
  it('Europe/Prague spring forward (2026-03-29): business days stay 9 hours', () => {
    expect(addBusinessTime(prague, at('2026-03-27T17:00:00+01:00'), 2 * H)).toBe(
      at('2026-03-30T10:00:00+02:00'),
    );
    expect(
      businessTimeBetween(prague, at('2026-03-23T09:00:00+01:00'), at('2026-03-30T09:00:00+02:00')),
    ).toBe(45 * H);
    expect(nextBusinessStart(prague, at('2026-03-28T12:00:00+01:00'))).toBe(at('2026-03-30T09:00:00+02:00'));
  });

  it('Europe/Prague fall back (2026-10-25): business days stay 9 hours', () => {
    expect(addBusinessTime(prague, at('2026-10-23T17:00:00+02:00'), 2 * H)).toBe(
      at('2026-10-26T10:00:00+01:00'),
    );
    expect(
      businessTimeBetween(prague, at('2026-10-19T09:00:00+02:00'), at('2026-10-26T09:00:00+01:00')),
    ).toBe(45 * H);
  });

  it('an interval containing the change is an hour shorter or longer', () => {
    const sundaySpring = [at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00')] as const;
    const sundayAutumn = [at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00')] as const;
    expect(businessTimeBetween(pragueAllDay, ...sundaySpring)).toBe(23 * H);
    expect(businessTimeBetween(pragueAllDay, ...sundayAutumn)).toBe(25 * H);
    expect(addBusinessTime(pragueAllDay, sundaySpring[0], 24 * H)).toBe(at('2026-03-30T01:00:00+02:00'));

    const night = buildCalendar({ id: 'night', timezone: 'Europe/Prague', hours: { sun: '01:00-05:00' } });
    expect(businessTimeBetween(night, ...sundaySpring)).toBe(3 * H);
    expect(businessTimeBetween(night, ...sundayAutumn)).toBe(5 * H);
  });

  it('a boundary in the skipped hour resolves to the jump; in the repeated hour to its first occurrence', () => {
    const odd = buildCalendar({ id: 'odd', timezone: 'Europe/Prague', hours: { sun: '02:30-04:00' } });
    // 02:30 does not exist on 2026-03-29: opening is when clocks jump from 02:00 to 03:00.
    expect(nextBusinessStart(odd, at('2026-03-28T12:00:00+01:00'))).toBe(at('2026-03-29T03:00:00+02:00'));
    expect(businessTimeBetween(odd, at('2026-03-28T12:00:00+01:00'), at('2026-03-30T12:00:00+02:00'))).toBe(
      H,
    );
    // 02:30 happens twice on 2026-10-25: the first (summer time) one opens.
    expect(nextBusinessStart(odd, at('2026-10-24T12:00:00+02:00'))).toBe(at('2026-10-25T02:30:00+02:00'));
    expect(businessTimeBetween(odd, at('2026-10-24T12:00:00+02:00'), at('2026-10-26T12:00:00+01:00'))).toBe(
      2.5 * H,
    );

    const lost = buildCalendar({
      id: 'lost',
      timezone: 'Europe/Prague',
      hours: { sun: '02:10-02:50', mon: '09:00-10:00' },
    });
    // Wholly inside the skipped hour: no business time that Sunday.
    expect(nextBusinessStart(lost, at('2026-03-28T12:00:00+01:00'))).toBe(at('2026-03-30T09:00:00+02:00'));
  });

  it('America/New_York spring forward (2026-03-08) and fall back (2026-11-01)', () => {
    expect(addBusinessTime(newYork, at('2026-03-06T16:00:00-05:00'), 2 * H)).toBe(
      at('2026-03-09T10:00:00-04:00'),
    );
    expect(
      businessTimeBetween(newYork, at('2026-03-02T09:00:00-05:00'), at('2026-03-13T17:00:00-04:00')),
    ).toBe(80 * H);
    expect(addBusinessTime(newYork, at('2026-10-30T16:30:00-04:00'), H)).toBe(
      at('2026-11-02T09:30:00-05:00'),
    );
    expect(
      businessTimeBetween(newYork, at('2026-10-26T09:00:00-04:00'), at('2026-11-06T17:00:00-05:00')),
    ).toBe(80 * H);
    expect(
      businessTimeBetween(newYorkAllDay, at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00')),
    ).toBe(23 * H);
    expect(
      businessTimeBetween(newYorkAllDay, at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00')),
    ).toBe(25 * H);
  });

  describe('agrees with a minute-by-minute wall-clock oracle around transitions', () => {
    const cases: Array<[ZonedBusinessCalendar, string]> = [
      [
        buildCalendar({
          id: 'cz',
          timezone: 'Europe/Prague',
          hours: { 'mon-fri': '08:00-12:00, 13:00-17:30', sun: '00:00-24:00' },
          holidays: ['2026-03-27'],
        }),
        '2026-03-25T00:00:00Z',
      ],
      [
        buildCalendar({
          id: 'cz',
          timezone: 'Europe/Prague',
          hours: { 'mon-fri': '08:00-12:00, 13:00-17:30', sun: '00:00-24:00' },
        }),
        '2026-10-21T00:00:00Z',
      ],
      [
        buildCalendar({
          id: 'ny',
          timezone: 'America/New_York',
          hours: { 'mon-sat': '09:00-17:00', sun: '00:00-24:00' },
        }),
        '2026-03-04T00:00:00Z',
      ],
      [
        buildCalendar({
          id: 'ny',
          timezone: 'America/New_York',
          hours: { 'mon-sat': '09:00-17:00', sun: '00:00-24:00' },
        }),
        '2026-10-28T00:00:00Z',
      ],
      [
        buildCalendar({
          id: 'lhi',
          timezone: 'Australia/Lord_Howe',
          hours: { 'mon-fri': '09:00-17:00', sun: '00:00-24:00' },
        }),
        '2026-04-01T00:00:00Z',
      ],
      [
        buildCalendar({
          id: 'lhi',
          timezone: 'Australia/Lord_Howe',
          hours: { 'mon-fri': '09:00-17:00', sun: '00:00-24:00' },
        }),
        '2026-09-30T00:00:00Z',
      ],
      // Santiago changes clocks at midnight, so whole local days start at 01:00 or repeat 23:00.
      [
        buildCalendar({
          id: 'cl',
          timezone: 'America/Santiago',
          hours: { 'mon-fri': '09:00-18:00', sat: '00:00-24:00' },
        }),
        '2026-04-01T00:00:00Z',
      ],
      [
        buildCalendar({
          id: 'cl',
          timezone: 'America/Santiago',
          hours: { 'mon-fri': '09:00-18:00', sat: '00:00-24:00' },
        }),
        '2026-09-02T00:00:00Z',
      ],
    ];

    it.each(cases.map(([calendar, windowStart]) => [calendar.timezone, windowStart, calendar] as const))(
      '%s from %s',
      (_zone, windowStart, calendar) => {
        const start = at(windowStart);
        const minutes = 9 * 24 * 60;
        const format = new Intl.DateTimeFormat('en-US', {
          timeZone: calendar.timezone,
          hourCycle: 'h23',
          weekday: 'short',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
        });
        const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
        const prefix = [0];
        for (let i = 0; i < minutes; i += 1) {
          const parts = Object.fromEntries(format.formatToParts(start + i * M).map((p) => [p.type, p.value]));
          const minuteOfDay = Number(parts.hour) * 60 + Number(parts.minute);
          const date = `${parts.year}-${parts.month}-${parts.day}`;
          const hours = calendar.weekly[weekdays.indexOf(parts.weekday ?? '')] ?? [];
          const open =
            !calendar.holidays.has(date) && hours.some(([s, e]) => s <= minuteOfDay && minuteOfDay < e);
          prefix.push((prefix.at(-1) ?? 0) + (open ? 1 : 0));
          if (i % 7 === 0) expect(isBusinessTime(calendar, start + i * M), iso(start + i * M)).toBe(open);
        }

        const random = seeded(minutes + start / M);
        for (let k = 0; k < 60; k += 1) {
          const i = Math.floor(random() * minutes);
          const j = i + Math.floor(random() * (minutes - i + 1));
          const expected = ((prefix[j] ?? 0) - (prefix[i] ?? 0)) * M;
          expect(
            businessTimeBetween(calendar, start + i * M, start + j * M),
            `${iso(start + i * M)}..${iso(start + j * M)}`,
          ).toBe(expected);
          if (expected > 0) {
            const end = prefix.findIndex((sum) => sum - (prefix[i] ?? 0) === expected / M);
            expect(addBusinessTime(calendar, start + i * M, expected)).toBe(start + end * M);
          }
        }
      },
    );
  });
});

describe('ALWAYS_CALENDAR', () => {
  it('is plain elapsed time', () => {
    const t = at('2026-03-29T01:30:00Z');
    expect(ALWAYS_CALENDAR).toEqual({ id: 'always', always: true });
    expect(addBusinessTime(ALWAYS_CALENDAR, t, 5 * H)).toBe(t + 5 * H);
    expect(addBusinessTime(ALWAYS_CALENDAR, t, 0)).toBe(t);
    expect(businessTimeBetween(ALWAYS_CALENDAR, t, t + 3 * D)).toBe(3 * D);
    expect(businessTimeBetween(ALWAYS_CALENDAR, t, t - 1)).toBe(0);
    expect(isBusinessTime(ALWAYS_CALENDAR, t)).toBe(true);
    expect(nextBusinessStart(ALWAYS_CALENDAR, t)).toBe(t);
  });
});

describe('inverse property', () => {
  const calendars: BusinessCalendar[] = [
    prague,
    pragueSplit,
    pragueAllDay,
    newYork,
    ALWAYS_CALENDAR,
    buildCalendar({
      id: 'edges',
      timezone: 'Europe/Prague',
      hours: { sun: '02:15-02:45, 03:30-04:00', 'mon-fri': '09:00-17:00' },
      holidays: ['2026-05-01', '2026-12-31'],
    }),
    buildCalendar({
      id: 'lhi',
      timezone: 'Australia/Lord_Howe',
      hours: { 'mon-fri': '09:00-17:00', sun: '01:00-03:00' },
    }),
    buildCalendar({
      id: 'cl',
      timezone: 'America/Santiago',
      hours: { 'mon-fri': '09:00-18:00', sat: '00:00-24:00' },
    }),
    buildCalendar({ id: 'in', timezone: 'Asia/Kolkata', hours: { 'mon-sat': '10:00-13:30, 14:15-19:00' } }),
  ];

  it.each(calendars.map((calendar, index) => [calendar.id, index, calendar] as const))(
    'holds for %s',
    (_id, index, calendar) => {
      const random = seeded(7919 * (index + 1));
      const yearStart = at('2026-01-01T00:00:00Z');
      for (let k = 0; k < 300; k += 1) {
        const start = yearStart + Math.floor(random() * 365 * D);
        const roll = random();
        const duration =
          roll < 0.05 ? 0 : roll < 0.5 ? Math.floor(random() * 6 * D) : Math.floor(random() * 600) * M;
        const end = addBusinessTime(calendar, start, duration);
        const context = `${iso(start)} + ${duration}ms → ${iso(end)}`;
        expect(end, context).toBeGreaterThanOrEqual(start);
        expect(businessTimeBetween(calendar, start, end), context).toBe(duration);
        if (duration > 0) expect(isBusinessTime(calendar, end - 1), context).toBe(true);
        else expect(end, context).toBe(nextBusinessStart(calendar, start));
        expect(isBusinessTime(calendar, nextBusinessStart(calendar, start)), context).toBe(true);
      }
    },
  );
});

describe('parseWeeklyHours', () => {
  it('parses ranges, lists, wrapping ranges and closed days', () => {
    expect(parseWeeklyHours({ 'mon-fri': '09:00-18:00', sat: '10:00-14:00', sun: 'closed' })).toEqual([
      [],
      [[540, 1080]],
      [[540, 1080]],
      [[540, 1080]],
      [[540, 1080]],
      [[540, 1080]],
      [[600, 840]],
    ]);
    expect(parseWeeklyHours({ 'mon,wed': '13:00-17:00, 09:00-12:00' })).toEqual([
      [],
      [
        [540, 720],
        [780, 1020],
      ],
      [],
      [
        [540, 720],
        [780, 1020],
      ],
      [],
      [],
      [],
    ]);
    expect(parseWeeklyHours({ 'fri-mon': '8:00-24:00' })).toEqual([
      [[480, 1440]],
      [[480, 1440]],
      [],
      [],
      [],
      [[480, 1440]],
      [[480, 1440]],
    ]);
    expect(parseWeeklyHours({ 'Monday - Tuesday': '09:00-12:00,12:00-15:00', THU: 'Closed' })).toEqual([
      [],
      [[540, 900]],
      [[540, 900]],
      [],
      [],
      [],
      [],
    ]);
  });

  it.each([
    [{ 'mon-funday': '09:00-18:00' }, /Unknown day "funday" in business-hours key "mon-funday".*e\.g\./],
    [{ 'mon-fri': '9am-5pm' }, /"mon-fri".*"9am-5pm".*e\.g\. "09:00-18:00"/],
    [{ 'mon-fri': '09:00-25:00' }, /Invalid time "25:00" in business hours "mon-fri"/],
    [{ 'mon-fri': '09:60-17:00' }, /Invalid time "09:60"/],
    [{ 'mon-fri': '24:00-24:00' }, /Invalid time "24:00"/],
    [{ 'mon-fri': '09:00-09:00' }, /Empty range "09:00-09:00" in business hours "mon-fri"/],
    [{ fri: '22:00-06:00' }, /Overnight range "22:00-06:00" in business hours "fri".*split it across days/],
    [{ 'mon-fri': '09:00-13:00, 12:00-17:00' }, /Overlapping ranges in business hours "mon-fri"/],
    [{ 'mon-fri': '09:00-18:00', fri: '09:00-16:00' }, /Day "fri" is given by both "mon-fri" and "fri"/],
    [{ 'mon-fri': '' }, /is not a time range/],
    [{ 'mon-tue-wed': '09:00-17:00' }, /Invalid day range "mon-tue-wed"/],
  ])('rejects %j', (spec, message) => {
    expect(() => parseWeeklyHours(spec)).toThrow(CalendarError);
    expect(() => parseWeeklyHours(spec)).toThrow(message);
  });
});

describe('buildCalendar', () => {
  it('builds a zoned calendar', () => {
    expect(prague).toMatchObject({ id: 'prague', timezone: 'Europe/Prague' });
    expect([...prague.holidays]).toEqual(['2026-12-24', '2026-12-25']);
  });

  it('rejects an unknown time zone', () => {
    expect(() =>
      buildCalendar({ id: 'x', timezone: 'Europe/Atlantis', hours: { 'mon-fri': '09:00-17:00' } }),
    ).toThrow(/Unknown time zone "Europe\/Atlantis" in calendar "x".*IANA name such as "Europe\/Prague"/);
  });

  it.each(['2026-02-30', '24.12.2026', '2026-12-24T00:00', '2026-13-01'])('rejects holiday %j', (holiday) => {
    expect(() =>
      buildCalendar({ id: 'x', timezone: 'UTC', hours: { 'mon-fri': '09:00-17:00' }, holidays: [holiday] }),
    ).toThrow(new RegExp(`Invalid holiday "${holiday}" in calendar "x": use a real date as YYYY-MM-DD`));
  });

  it('names the calendar in hours errors', () => {
    expect(() => buildCalendar({ id: 'eu', timezone: 'UTC', hours: { mon: 'nine to five' } })).toThrow(
      /"mon".*\(in calendar "eu"\)/,
    );
  });

  it('rejects a calendar closed every day', () => {
    expect(() => buildCalendar({ id: 'never', timezone: 'UTC', hours: { 'sun-sat': 'closed' } })).toThrow(
      /calendar "never" is closed every day/,
    );
  });
});

describe('a calendar with no open hours', () => {
  const closed: ZonedBusinessCalendar = {
    id: 'closed',
    timezone: 'Europe/Prague',
    weekly: [[], [], [], [], [], [], []],
    holidays: new Set(),
  };
  const start = at('2026-11-23T10:00:00+01:00');

  it('throws instead of searching forever', () => {
    expect(() => addBusinessTime(closed, start, H)).toThrow(
      /Calendar "closed" has no business hours in the 400 days/,
    );
    expect(() => addBusinessTime(closed, start, 0)).toThrow(CalendarError);
    expect(() => nextBusinessStart(closed, start)).toThrow(CalendarError);
  });

  it('still answers questions with a bounded answer', () => {
    expect(isBusinessTime(closed, start)).toBe(false);
    expect(businessTimeBetween(closed, start, start + 30 * D)).toBe(0);
  });

  it('does not give up on long durations through an open calendar', () => {
    // 3000 business hours of 9-hour weekdays span well over 400 calendar days.
    const end = addBusinessTime(prague, start, 3_000 * H);
    expect(end - start).toBeGreaterThan(450 * D);
    expect(businessTimeBetween(prague, start, end)).toBe(3_000 * H);
  });
});
