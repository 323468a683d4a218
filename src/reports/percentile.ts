/** The percentiles reports show: the median and the 90th. */
export const REPORT_PERCENTILES = [50, 90] as const;

/**
 * The `p`-th percentile (0–100) of `values` by linear interpolation between closest ranks (the
 * method of numpy's default and Excel's PERCENTILE.INC): rank `(n − 1) · p / 100` counted from 0 in
 * the sorted values, interpolated between its neighbours and rounded to a whole number. The median
 * is `percentile(values, 50)`. `null` for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return percentileOfSorted(sorted.length, p, (index) => sorted[index]!);
}

/** The ranks (counted from 0) {@link percentileOfSorted} reads of `count` sorted values. */
export function percentileRanks(count: number, p: number): readonly [number, number] {
  const below = Math.floor(((count - 1) * p) / 100);
  return [below, Math.min(count - 1, below + 1)];
}

/**
 * {@link percentile} of `count` sorted values of which only the two at {@link percentileRanks} need be
 * known (`valueAt` is asked for those alone): SQL picks them, and the arithmetic stays this one.
 */
export function percentileOfSorted(
  count: number,
  p: number,
  valueAt: (rank: number) => number,
): number | null {
  if (count === 0) return null;
  const rank = ((count - 1) * p) / 100;
  const [below, above] = percentileRanks(count, p);
  const low = valueAt(below);
  const high = valueAt(above);
  return Math.round(low + (high - low) * (rank - below));
}

/** `part / whole` as a percentage rounded to 0.1, or `null` when `whole` is 0. */
export function percentage(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
