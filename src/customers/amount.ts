/** Amounts as staff and CSV files write them: `12000`, `12,000`, `12k`, `1.5M`. Pure. */

const SUFFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, b: 1e9 };

/** The amount, or undefined when the text is not one (negative amounts are not). */
export function parseAmount(text: string): number | undefined {
  const match = /^\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*([kmb]?)\s*$/i.exec(text);
  if (!match) return undefined;
  const value =
    Number(`${match[1]!.replaceAll(',', '')}${match[2] ?? ''}`) * SUFFIX[match[3]!.toLowerCase()]!;
  return Number.isFinite(value) ? Math.round(value * 100) / 100 : undefined;
}
