import type { Customer } from '../domain/issue.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** `1st`, `2nd`, `3rd`, `4th`, `11th`, `12th`, `13th`, `21st`, `112th`… */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** How long ago, in the largest whole unit: `just now`, `5 minutes ago`, `3 hours ago`, `12 days ago`. */
export function formatAgo(ms: number): string {
  if (ms < MINUTE_MS) return 'just now';
  if (ms < HOUR_MS) return `${count(Math.floor(ms / MINUTE_MS), 'minute')} ago`;
  if (ms < DAY_MS) return `${count(Math.floor(ms / HOUR_MS), 'hour')} ago`;
  const days = Math.floor(ms / DAY_MS);
  if (days < 60) return `${count(days, 'day')} ago`;
  if (days < 730) return `${count(Math.floor(days / 30), 'month')} ago`;
  return `${count(Math.floor(days / 365), 'year')} ago`;
}

/** The thumb a rating shows as. */
export function ratingEmoji(score: 'up' | 'down'): string {
  return score === 'up' ? '👍' : '👎';
}

/**
 * The customer's history as the team card shows it, from the snapshot taken when the issue opened:
 * `3rd issue · last contact 12 days ago · last rated 👍 · 2 notes on file`, or `first issue`. Times
 * are relative to the opening, so the line does not drift as the card is updated. Undefined for issues
 * opened before profiles existed. Pure.
 */
export function customerHistoryLine(customer: Customer, openedAt: number): string | undefined {
  if (customer.profileId === undefined) return undefined;
  const previous = customer.previousIssues ?? 0;
  const parts = [previous === 0 ? 'first issue' : `${ordinal(previous + 1)} issue`];
  if (customer.lastContactAt !== undefined) {
    parts.push(`last contact ${formatAgo(Math.max(0, openedAt - customer.lastContactAt))}`);
  }
  if (customer.lastRating) parts.push(`last rated ${ratingEmoji(customer.lastRating)}`);
  if (customer.notesOnFile) parts.push(`${count(customer.notesOnFile, 'note')} on file`);
  return parts.join(' · ');
}
