import { describe, expect, it } from 'vitest';
import { customerHistoryLine, formatAgo, ordinal } from '../../src/customers/history-line.ts';

const OPENED = Date.parse('2026-11-26T09:00:00Z');
const DAY = 86_400_000;

describe('the history line on a card', () => {
  it('counts in ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '111th',
      '112th',
    ]);
  });

  it('says how long ago in the largest whole unit', () => {
    expect(formatAgo(30_000)).toBe('just now');
    expect(formatAgo(60_000)).toBe('1 minute ago');
    expect(formatAgo(59 * 60_000)).toBe('59 minutes ago');
    expect(formatAgo(5 * 3_600_000)).toBe('5 hours ago');
    expect(formatAgo(DAY)).toBe('1 day ago');
    expect(formatAgo(12 * DAY + 3_600_000)).toBe('12 days ago');
    expect(formatAgo(90 * DAY)).toBe('3 months ago');
    expect(formatAgo(800 * DAY)).toBe('2 years ago');
  });

  it('reads the snapshot taken at opening', () => {
    const base = { platform: 'slack' as const, id: 'U0CUST01', profileId: 'cus_x' };
    expect(customerHistoryLine({ ...base, previousIssues: 0 }, OPENED)).toBe('first issue');
    expect(
      customerHistoryLine(
        { ...base, previousIssues: 2, lastContactAt: OPENED - 12 * DAY, lastRating: 'up' },
        OPENED,
      ),
    ).toBe('3rd issue · last contact 12 days ago · last rated 👍');
    expect(
      customerHistoryLine(
        { ...base, previousIssues: 1, lastContactAt: OPENED - 3 * DAY, lastRating: 'down', notesOnFile: 2 },
        OPENED,
      ),
    ).toBe('2nd issue · last contact 3 days ago · last rated 👎 · 2 notes on file');
    // Issues from before profiles have no line.
    expect(customerHistoryLine({ platform: 'slack', id: 'U0CUST01' }, OPENED)).toBeUndefined();
  });
});
