/**
 * What a customer is worth (say ARR): their own value from their profile (`/heed customer @x value 12000`
 * or the CSV import), else their tier's `value`. Pure.
 */

import type { ValueMatch } from '../config/issue-extras-config.ts';

/** The tiers' values, as the config gives them. */
export interface TierValues {
  readonly tiers: readonly { readonly id: string; readonly value?: number | undefined }[];
}

/** A customer's value: their own, else their tier's; undefined when neither is known. */
export function customerValue(
  config: TierValues,
  customer: { readonly value?: number | undefined; readonly tier?: string | undefined },
): number | undefined {
  if (customer.value !== undefined) return customer.value;
  return config.tiers.find((tier) => tier.id === customer.tier)?.value;
}

/** Whether a value satisfies a rule's `value: { atLeast }` (an unknown value never does). */
export function valueMatches(match: ValueMatch | undefined, value: number | undefined): boolean {
  if (!match) return true;
  return value !== undefined && value >= match.atLeast;
}

/** `12k`, `1.5M`, `950`: short enough for a card. */
export function shortAmount(value: number): string {
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(value) >= size) {
      const scaled = value / size;
      return `${scaled >= 100 ? Math.round(scaled) : Math.round(scaled * 10) / 10}${unit}`;
    }
  }
  return String(Math.round(value));
}

/** How the card shows a value: `ARR 12k`. */
export function valueLabel(value: number | undefined): string | undefined {
  return value === undefined ? undefined : `ARR ${shortAmount(value)}`;
}
