// Small statistics helpers shared by the measurements.

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The item whose `key` is the median (the lower middle for an even count): keeps a real run, not a blend. */
export function medianItem<T>(items: readonly T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  return sorted[(sorted.length - 1) >> 1];
}

/** Median of every numeric field over repeated results (non-numeric fields from the first). */
export function medianOf<T extends object>(results: readonly T[]): T {
  const out: Record<string, unknown> = { ...(results[0] as Record<string, unknown>) };
  for (const [k, v] of Object.entries(results[0] as Record<string, unknown>)) {
    if (typeof v === "number") out[k] = median(results.map((r) => (r as Record<string, number>)[k]));
  }
  return out as T;
}

export const round = (value: number, digits = 2): number => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);
