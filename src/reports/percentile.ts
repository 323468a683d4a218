/**
 * The `p`-th percentile (0–100) of `values` by linear interpolation between closest ranks (the
 * method of numpy's default and Excel's PERCENTILE.INC): rank `(n − 1) · p / 100` counted from 0 in
 * the sorted values, interpolated between its neighbours and rounded to a whole number. The median
 * is `percentile(values, 50)`. `null` for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = ((sorted.length - 1) * p) / 100;
  const below = Math.floor(rank);
  const low = sorted[below]!;
  const high = sorted[Math.min(sorted.length - 1, below + 1)]!;
  return Math.round(low + (high - low) * (rank - below));
}

/** `part / whole` as a percentage rounded to 0.1, or `null` when `whole` is 0. */
export function percentage(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
