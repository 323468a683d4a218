import { describe, expect, it } from 'vitest';
import { DurationError, durationSchema, formatDuration, parseDuration } from '../../src/sla/duration.ts';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration', () => {
  it.each([
    ['90s', 90 * S],
    ['30m', 30 * M],
    ['4h', 4 * H],
    ['2d', 2 * D],
    ['1w', 7 * D],
    ['1h30m', H + 30 * M],
    ['1d 4h', D + 4 * H],
    ['1w 2d 3h 4m 5s', 7 * D + 2 * D + 3 * H + 4 * M + 5 * S],
    ['0m', 0],
    ['1.5h', H + 30 * M],
    ['0.25m', 15 * S],
    ['  2H ', 2 * H],
  ])('parses %j', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it('treats a day as 24 hours, not a working day', () => {
    expect(parseDuration('1d')).toBe(24 * H);
  });

  it('rounds decimals to whole milliseconds', () => {
    expect(parseDuration('0.0001s')).toBe(0);
    expect(parseDuration('1.0006s')).toBe(1_001);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['-5m', /negative/],
    ['5 minutes', /cannot read/],
    ['5minutes', /unknown unit "minutes"/],
    ['30', /no unit/],
    ['1.5', /no unit/],
    ['1h 2h', /once, largest first/],
    ['30m1h', /once, largest first/],
    ['1h30', /cannot read "30"/],
    ['.5h', /cannot read/],
    ['1x', /unknown unit "x"/],
    ['soon', /cannot read/],
    ['9999999999999999999w', /too large/],
  ])('rejects %j', (text, problem) => {
    let caught: unknown;
    try {
      parseDuration(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DurationError);
    const error = caught as DurationError;
    expect(error.name).toBe('DurationError');
    expect(error.input).toBe(text);
    expect(error.message).toContain(JSON.stringify(text));
    expect(error.message).toMatch(problem);
    expect(error.message).toContain('"1h30m"');
  });
});

describe('durationSchema', () => {
  it('transforms a duration string to milliseconds', () => {
    expect(durationSchema.parse('1h30m')).toBe(90 * M);
    expect(durationSchema.parse('0m')).toBe(0);
  });

  it('reports the friendly parse message as the issue', () => {
    const result = durationSchema.safeParse('5 minutes');
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(() => parseDuration('5 minutes')).toThrow(result.error?.issues[0]?.message ?? 'missing');
    expect(result.error?.issues[0]?.message).toMatch(
      /^Invalid duration "5 minutes": .* Use forms like "90s"/,
    );
  });

  it('rejects non-strings with an example', () => {
    const result = durationSchema.safeParse(30);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/duration string such as "90s"/);
  });

  it('works inside an object schema', async () => {
    const { z } = await import('zod');
    const schema = z.object({ firstResponse: durationSchema });
    expect(schema.parse({ firstResponse: '4h' })).toEqual({ firstResponse: 4 * H });
    const result = schema.safeParse({ firstResponse: '1.5' });
    expect(result.error?.issues[0]?.path).toEqual(['firstResponse']);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0m'],
    [500, '0m'],
    [45 * S, '45s'],
    [59_999, '59s'],
    [15 * M, '15m'],
    [15 * M + 30 * S, '15m 30s'],
    [H, '1h'],
    [H + 30 * M, '1h 30m'],
    [H + 59 * S, '1h'],
    [23 * H + 59 * M + 59 * S, '23h 59m'],
    [2 * D, '2d'],
    [2 * D + 4 * H, '2d 4h'],
    [2 * D + 4 * H + 59 * M, '2d 4h'],
    [10 * D + 3 * H, '10d 3h'],
    [-15 * M, '-15m'],
    [-1, '0m'],
  ])('formats %d ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration when nothing is truncated', () => {
    for (const ms of [45 * S, 15 * M, 15 * M + 30 * S, H + 30 * M, 2 * D + 4 * H, 7 * D]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });

  it('rejects non-finite values', () => {
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
    expect(() => formatDuration(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
