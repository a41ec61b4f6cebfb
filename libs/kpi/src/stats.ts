/**
 * Median of an unsorted list; the mean of the two middle values for an even count.
 * Empty → null: a bucket with no samples is a gap, never zero. Sorts `values` in place.
 */
export function median(values: number[] | Float64Array): number | null {
  const n = values.length;
  if (n === 0) return null;
  const sorted = sortNumbers(values);
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * p-th percentile by the nearest-rank method: the value at rank ⌈p/100 · n⌉ of the sorted
 * list. Empty → null. Sorts `values` in place.
 */
export function percentileNearestRank(values: number[] | Float64Array, p: number): number | null {
  const n = values.length;
  if (n === 0) return null;
  const sorted = sortNumbers(values);
  const rank = Math.max(1, Math.ceil((p * n) / 100));
  return sorted[Math.min(rank, n) - 1];
}

export function p90(values: number[] | Float64Array): number | null {
  return percentileNearestRank(values, 90);
}

function sortNumbers(values: number[] | Float64Array): number[] | Float64Array {
  // Float64Array sorts numerically by default; plain arrays need a comparator.
  return values instanceof Float64Array ? values.sort() : values.sort((a, b) => a - b);
}
