import { describe, expect, it } from 'vitest';
import {
  type DigestSchedule,
  digestPeriod,
  digestSchedule,
  firstSlotAfter,
  latestSlotAtOrBefore,
  nextDigestAt,
} from '../../src/digest/digest-schedule.ts';
import { testConfig } from '../support/test-config.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

const dailyPrague: DigestSchedule = {
  every: 'daily',
  atMinute: 9 * 60,
  weekday: 1,
  timezone: 'Europe/Prague',
};
const weeklyPrague: DigestSchedule = { ...dailyPrague, every: 'weekly' };

describe('digestSchedule (from the config)', () => {
  it('reads the time zone from the named calendar and defaults to Monday and UTC', () => {
    expect(digestSchedule(testConfig())).toBeUndefined();
    expect(
      digestSchedule(testConfig({ digest: { every: 'daily', at: '08:30', calendar: 'office' } })),
    ).toEqual({
      every: 'daily',
      atMinute: 8 * 60 + 30,
      weekday: 1,
      timezone: 'Europe/Prague',
    });
    expect(digestSchedule(testConfig({ digest: { every: 'weekly', day: 'fri' } }))).toEqual({
      every: 'weekly',
      atMinute: 9 * 60,
      weekday: 5,
      timezone: 'UTC',
    });
  });

  it('refuses an unknown calendar or team, a bad time and a day on a daily digest', () => {
    expect(() => testConfig({ digest: { every: 'daily', calendar: 'moon' } })).toThrow(
      /digest\.calendar: unknown calendar "moon"/,
    );
    expect(() => testConfig({ digest: { every: 'daily', teams: ['sales'] } })).toThrow(
      /digest\.teams\[0\]: unknown team "sales"/,
    );
    expect(() => testConfig({ digest: { every: 'daily', at: '9am' } })).toThrow(/digest\.at/);
    expect(() => testConfig({ digest: { every: 'daily', day: 'mon' } })).toThrow(/only applies to a weekly/);
    expect(() => testConfig({ digest: { every: 'monthly' } })).toThrow(/digest\.every/);
  });
});

describe('nextDigestAt (pure, fake clock)', () => {
  it('daily: the first digest is the next 09:00 local, and a digest time equal to now is due now', () => {
    // Monday 2026-11-23, Prague is UTC+1 in winter.
    expect(iso(nextDigestAt(dailyPrague, undefined, at('2026-11-23T07:00:00Z')))).toBe(
      '2026-11-23T08:00:00.000Z',
    );
    expect(iso(nextDigestAt(dailyPrague, undefined, at('2026-11-23T08:00:00Z')))).toBe(
      '2026-11-23T08:00:00.000Z',
    );
    expect(iso(nextDigestAt(dailyPrague, undefined, at('2026-11-23T08:30:00Z')))).toBe(
      '2026-11-24T08:00:00.000Z',
    );
  });

  it('daily: after a digest the next one is the following day', () => {
    const sent = at('2026-11-23T08:00:00Z');
    expect(iso(nextDigestAt(dailyPrague, sent, at('2026-11-23T08:00:01Z')))).toBe('2026-11-24T08:00:00.000Z');
    expect(iso(nextDigestAt(dailyPrague, sent, at('2026-11-24T07:59:59Z')))).toBe('2026-11-24T08:00:00.000Z');
  });

  it('after downtime, only the latest missed digest is owed (and it is due now)', () => {
    const sent = at('2026-11-23T08:00:00Z');
    const now = at('2026-11-26T10:00:00Z'); // Thursday 11:00 in Prague
    const due = nextDigestAt(dailyPrague, sent, now);
    expect(iso(due)).toBe('2026-11-26T08:00:00.000Z');
    expect(due).toBeLessThanOrEqual(now);
    // Once that one is stored as sent, the next is Friday's.
    expect(iso(nextDigestAt(dailyPrague, due, now))).toBe('2026-11-27T08:00:00.000Z');
  });

  it('weekly: Monday 09:00, whatever the day it is now', () => {
    const sent = at('2026-11-23T08:00:00Z'); // Monday
    expect(iso(nextDigestAt(weeklyPrague, sent, at('2026-11-25T12:00:00Z')))).toBe(
      '2026-11-30T08:00:00.000Z',
    );
    expect(iso(nextDigestAt(weeklyPrague, undefined, at('2026-11-25T12:00:00Z')))).toBe(
      '2026-11-30T08:00:00.000Z',
    );
    const friday: DigestSchedule = { ...weeklyPrague, weekday: 5, atMinute: 17 * 60 + 30 };
    expect(iso(nextDigestAt(friday, undefined, at('2026-11-23T08:00:00Z')))).toBe('2026-11-27T16:30:00.000Z');
  });

  it('keeps 09:00 local across the daylight-saving changes, so those days last 23 or 25 hours', () => {
    // Autumn: clocks go back on Sunday 2026-10-25 (UTC+2 → UTC+1).
    const saturday = at('2026-10-24T07:00:00Z');
    const sunday = nextDigestAt(dailyPrague, saturday, saturday + HOUR);
    expect(iso(sunday)).toBe('2026-10-25T08:00:00.000Z');
    expect(digestPeriod(dailyPrague, sunday)).toEqual({ from: saturday, to: sunday });
    expect(sunday - saturday).toBe(25 * HOUR);
    // Spring: clocks go forward on Sunday 2026-03-29 (UTC+1 → UTC+2).
    const before = at('2026-03-28T08:00:00Z');
    const after = nextDigestAt(dailyPrague, before, before + HOUR);
    expect(iso(after)).toBe('2026-03-29T07:00:00.000Z');
    expect(after - before).toBe(23 * HOUR);
  });

  it('weekly across the autumn change: the week that holds it lasts 7 days and 1 hour', () => {
    const monday = at('2026-10-19T07:00:00Z');
    const next = nextDigestAt(weeklyPrague, monday, monday + DAY);
    expect(iso(next)).toBe('2026-10-26T08:00:00.000Z');
    expect(digestPeriod(weeklyPrague, next)).toEqual({ from: monday, to: next });
    expect(next - monday).toBe(7 * DAY + HOUR);
  });

  it('a digest time inside the skipped spring hour goes out at the jump', () => {
    const early: DigestSchedule = { ...dailyPrague, atMinute: 2 * 60 + 30 };
    const slot = firstSlotAfter(early, at('2026-03-28T12:00:00Z'));
    expect(iso(slot)).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST, the instant of the jump
    expect(iso(firstSlotAfter(early, slot))).toBe('2026-03-30T00:30:00.000Z');
    expect(latestSlotAtOrBefore(early, slot)).toBe(slot);
  });

  it('walking a DST week minute by minute sends exactly one digest a day, each at 09:00 local', () => {
    let lastSent: number | undefined;
    const sent: string[] = [];
    const start = at('2026-10-21T00:00:00Z');
    for (let now = start; now < start + 7 * DAY; now += 60_000) {
      const due = nextDigestAt(dailyPrague, lastSent, now);
      if (due <= now) {
        sent.push(
          new Intl.DateTimeFormat('en-GB', {
            timeZone: 'Europe/Prague',
            weekday: 'short',
            hour: '2-digit',
            minute: '2-digit',
          }).format(due),
        );
        expect(now - due).toBe(0);
        lastSent = due;
      }
    }
    expect(sent).toEqual([
      'Wed 09:00',
      'Thu 09:00',
      'Fri 09:00',
      'Sat 09:00',
      'Sun 09:00',
      'Mon 09:00',
      'Tue 09:00',
    ]);
  });
});
