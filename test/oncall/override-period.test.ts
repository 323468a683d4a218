import { describe, expect, it } from 'vitest';
import { PERIOD_TOKEN, parsePeriod } from '../../src/oncall/override-period.ts';

const at = (iso: string) => Date.parse(iso);
const PRAGUE = 'Europe/Prague';
/** Monday 23 November 2026, 13:00 in Prague (CET). */
const NOON = at('2026-11-23T12:00:00Z');

describe('override periods', () => {
  it('reads a duration from now', () => {
    expect(parsePeriod('4h', NOON, PRAGUE)).toEqual({ from: NOON, to: NOON + 4 * 3_600_000 });
    expect(parsePeriod('1h30m', NOON, PRAGUE)).toEqual({ from: NOON, to: NOON + 90 * 60_000 });
  });

  it('reads times of day in the schedule time zone as the next span not yet over', () => {
    expect(parsePeriod('18:00–09:00', NOON, PRAGUE)).toEqual({
      from: at('2026-11-23T17:00:00Z'),
      to: at('2026-11-24T08:00:00Z'),
    });
    // 09:00–12:00 is over at 13:00: tomorrow's.
    expect(parsePeriod('09:00-12:00', NOON, PRAGUE)).toEqual({
      from: at('2026-11-24T08:00:00Z'),
      to: at('2026-11-24T11:00:00Z'),
    });
    // 09:00–17:00 has begun: it covers from 09:00 (now is inside it).
    expect(parsePeriod('09:00..17:00', NOON, PRAGUE)).toEqual({
      from: at('2026-11-23T08:00:00Z'),
      to: at('2026-11-23T16:00:00Z'),
    });
  });

  it('reads dates and date-times, across a DST change', () => {
    expect(parsePeriod('2026-12-24–2026-12-27', NOON, PRAGUE)).toEqual({
      from: at('2026-12-23T23:00:00Z'),
      to: at('2026-12-26T23:00:00Z'),
    });
    // Saturday 28 March 18:00 CET to Monday 30 March 09:00 CEST.
    expect(parsePeriod('2027-03-27T18:00/2027-03-29T09:00', NOON, PRAGUE)).toEqual({
      from: at('2027-03-27T17:00:00Z'),
      to: at('2027-03-29T07:00:00Z'),
    });
  });

  it('says what is wrong', () => {
    expect(parsePeriod('soon', NOON, PRAGUE)).toMatchObject({
      problem: expect.stringContaining('is not a time span'),
    });
    expect(parsePeriod('2026-02-30–2026-03-02', NOON, PRAGUE)).toMatchObject({
      problem: expect.stringContaining('is not a time span'),
    });
    expect(parsePeriod('2026-12-27–2026-12-24', NOON, PRAGUE)).toMatchObject({
      problem: expect.stringContaining('ends before it starts'),
    });
    expect(parsePeriod('2026-11-01–2026-11-02', NOON, PRAGUE)).toMatchObject({
      problem: expect.stringContaining('already over'),
    });
    expect(parsePeriod('0m', NOON, PRAGUE)).toMatchObject({
      problem: expect.stringContaining('needs to last a while'),
    });
    expect(parsePeriod('100d', NOON, PRAGUE)).toMatchObject({
      problem: expect.stringContaining('at most 92 days'),
    });
  });

  it('tells the text parser which tokens are periods (so a team name is not taken for one)', () => {
    for (const token of [
      '4h',
      '1h30m',
      '2d',
      '18:00–09:00',
      '18:00-09:00',
      '2026-12-24–2026-12-27',
      '2026-12-24T18:00/2026-12-27T09:00',
    ])
      expect(PERIOD_TOKEN.test(token), token).toBe(true);
    for (const token of ['support', 'billing', 'covering', '@alex', '42'])
      expect(PERIOD_TOKEN.test(token), token).toBe(false);
  });
});
