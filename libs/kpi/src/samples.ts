import { type EpochMs, type KpiResult } from '@pulse/contracts';
import { type Bucket } from './time/buckets';
import { median, p90 } from './stats';

/**
 * How the samples of an event-style KPI become one value.
 * - `median` / `p90`: of `v`, then divided by `scale` (seconds → hours, …).
 * - `count`: number of samples (0 when empty — counts are never gaps).
 * - `sum`: Σ v (0 when empty).
 * - `ratio`: 100 · Σ v / Σ w (null when Σ w = 0).
 * - `ratioFirstPerItem`: like `ratio` but only the first sample of each `item` in the bucket.
 * - `distinctPerWeek`: distinct values of `v` (day ordinals) per 7 days of bucket length.
 */
export type Aggregation =
  'median' | 'p90' | 'count' | 'sum' | 'ratio' | 'ratioFirstPerItem' | 'distinctPerWeek';

/**
 * Samples of one KPI, each stamped with the instant of its closing event. Dropped samples
 * (negative spans) keep their closing instant so they are counted in the right bucket.
 * After `finish()` all arrays are sorted by time (stable), ready for range look-ups.
 */
export class SampleSet {
  t: Float64Array = new Float64Array(0);
  v: Float64Array = new Float64Array(0);
  w: Float64Array = new Float64Array(0);
  item: Int32Array = new Int32Array(0);
  dropT: Float64Array = new Float64Array(0);
  private bt: number[] = [];
  private bv: number[] = [];
  private bw: number[] = [];
  private bi: number[] = [];
  private bd: number[] = [];

  add(t: EpochMs, v = 1, w = 1, item = 0): void {
    this.bt.push(t);
    this.bv.push(v);
    this.bw.push(w);
    this.bi.push(item);
  }

  drop(t: EpochMs): void {
    this.bd.push(t);
  }

  /**
   * A span sample: dropped when negative, otherwise `to − from` in whole seconds. `item`
   * is the index of the fact behind the sample (a PR, work item, request…), so the
   * drill-down lists exactly the samples the value was computed from.
   */
  span(closingAt: EpochMs, from: EpochMs, to: EpochMs, item = 0): void {
    if (to < from) this.drop(closingAt);
    else this.add(closingAt, Math.floor((to - from) / 1000), 1, item);
  }

  finish(): this {
    const n = this.bt.length;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const bt = this.bt;
    if (!isSorted(bt)) order.sort((a, b) => bt[a] - bt[b] || a - b);
    this.t = new Float64Array(n);
    this.v = new Float64Array(n);
    this.w = new Float64Array(n);
    this.item = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const i = order[k];
      this.t[k] = bt[i];
      this.v[k] = this.bv[i];
      this.w[k] = this.bw[i];
      this.item[k] = this.bi[i];
    }
    this.dropT = Float64Array.from(this.bd).sort();
    this.bt = this.bv = this.bw = this.bi = this.bd = [];
    return this;
  }

  get size(): number {
    return this.t.length;
  }
}

function isSorted(xs: number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i] < xs[i - 1]) return false;
  return true;
}

/** First index with `arr[i] >= x` (arr sorted ascending). */
export function lowerBound(arr: Float64Array | number[], x: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with `arr[i] > x` (arr sorted ascending). */
export function upperBound(arr: Float64Array | number[], x: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const DAY_MS = 86_400_000;

/** Aggregates the samples at indices `[from, to)` (sorted by time). */
function aggregateRange(
  set: SampleSet,
  from: number,
  to: number,
  agg: Aggregation,
  scale: number,
  bucket: Bucket,
): { value: number | null; n: number } {
  const n = to - from;
  switch (agg) {
    case 'count':
      return { value: n, n };
    case 'sum': {
      let s = 0;
      for (let i = from; i < to; i++) s += set.v[i];
      return { value: s / scale, n };
    }
    case 'median':
    case 'p90': {
      if (n === 0) return { value: null, n: 0 };
      const slice = set.v.slice(from, to);
      const m = agg === 'median' ? median(slice) : p90(slice);
      return { value: m === null ? null : m / scale, n };
    }
    case 'ratio':
    case 'ratioFirstPerItem': {
      let num = 0;
      let den = 0;
      let count = 0;
      const seen = agg === 'ratioFirstPerItem' ? new Set<number>() : null;
      for (let i = from; i < to; i++) {
        if (seen) {
          if (seen.has(set.item[i])) continue;
          seen.add(set.item[i]);
        }
        num += set.v[i];
        den += set.w[i];
        count++;
      }
      return { value: den === 0 ? null : (100 * num) / den, n: count };
    }
    case 'distinctPerWeek': {
      const days = new Set<number>();
      for (let i = from; i < to; i++) days.add(set.v[i]);
      const weeks = Math.max(1, Math.round((bucket.end - bucket.start) / DAY_MS)) / 7;
      return { value: days.size / weeks, n: days.size };
    }
  }
}

/** Batch path: binary search the bucket's range in the sorted samples. */
export function evaluateSorted(set: SampleSet, bucket: Bucket, agg: Aggregation, scale = 1): KpiResult {
  const from = lowerBound(set.t, bucket.start);
  const to = lowerBound(set.t, bucket.end);
  const { value, n } = aggregateRange(set, from, to, agg, scale, bucket);
  const dropped = lowerBound(set.dropT, bucket.end) - lowerBound(set.dropT, bucket.start);
  return { value, n, dropped };
}

/**
 * Single-bucket path: a plain scan for the samples in the bucket (no index), aggregated the
 * same way. Kept separate from `evaluateSorted` so the two can be checked against each other.
 */
export function evaluateScan(set: SampleSet, bucket: Bucket, agg: Aggregation, scale = 1): KpiResult {
  let from = -1;
  let to = -1;
  for (let i = 0; i < set.t.length; i++) {
    if (set.t[i] >= bucket.start && set.t[i] < bucket.end) {
      if (from < 0) from = i;
      to = i + 1;
    }
  }
  if (from < 0) from = to = 0;
  const { value, n } = aggregateRange(set, from, to, agg, scale, bucket);
  let dropped = 0;
  for (const d of set.dropT) if (d >= bucket.start && d < bucket.end) dropped++;
  return { value, n, dropped };
}

/**
 * The samples behind one bucket's value, as indices into the set (sorted by time): the
 * same range `evaluateSorted` aggregates, deduplicated by item for `ratioFirstPerItem`.
 * For `distinctPerWeek` every sample is returned (callers group them by day).
 */
export function samplesIn(set: SampleSet, bucket: Bucket, agg: Aggregation): number[] {
  const from = lowerBound(set.t, bucket.start);
  const to = lowerBound(set.t, bucket.end);
  const out: number[] = [];
  const seen = agg === 'ratioFirstPerItem' ? new Set<number>() : null;
  for (let i = from; i < to; i++) {
    if (seen) {
      if (seen.has(set.item[i])) continue;
      seen.add(set.item[i]);
    }
    out.push(i);
  }
  return out;
}
