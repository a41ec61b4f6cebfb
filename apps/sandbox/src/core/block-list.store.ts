// A lazily generated, time-ordered collection. History is cut into day blocks; a block's
// records are regenerated from the seed whenever needed (a small LRU keeps recent ones),
// so a benchmark-size world is never held in memory. Changes made at run time (advance)
// live in a small overlay: records "moved" to a new sort key are hidden from their block
// and served from the tail, which sorts after all generated history.
import { DAY } from './world.model';

export interface BlockSource<T> {
  readonly blockCount: number;
  readonly start: number;
  readonly end: number;
  /** number of records in the block, if it is cheap to know without generating */
  size?(block: number): number;
  /** records of the block sorted ascending by key; `firstIndex` is the global index of the first */
  generate(block: number, firstIndex: number): T[];
}

export interface BlockQuery<T> {
  /** extra predicate; `sig` must identify it (used to cache per-block counts) */
  filter?: (t: T) => boolean;
  sig: string;
  /** inclusive lower bound of the key */
  from?: number;
  /** exclusive upper bound of the key */
  to?: number;
  desc?: boolean;
  offset: number;
  limit: number;
}

const CACHE_BLOCKS = 48;

export class BlockList<T> {
  private readonly cache = new Map<number, T[]>();
  private readonly counts = new Map<string, Int32Array>();
  private prefix: number[] | undefined;
  /** id → replacement record (also present in tail) */
  readonly moved = new Map<string, T>();
  /** records sorting after the generated history (moved or created at run time) */
  tail: T[] = [];
  /** id → patch applied to a generated record in place (same key) */
  readonly patches = new Map<string, (t: T) => T>();

  constructor(
    private readonly src: BlockSource<T>,
    readonly keyOf: (t: T) => number,
    readonly idOf: (t: T) => string,
  ) {}

  get blockCount(): number {
    return this.src.blockCount;
  }

  blockStart(b: number): number {
    return this.src.start + b * DAY;
  }

  blockEnd(b: number): number {
    return b >= this.src.blockCount - 1 ? this.src.end : this.src.start + (b + 1) * DAY;
  }

  blockOfKey(t: number): number {
    return Math.floor((t - this.src.start) / DAY);
  }

  /** Drop caches after the overlay changed. */
  invalidate(): void {
    this.cache.clear();
    this.counts.clear();
  }

  resetOverlay(): void {
    this.moved.clear();
    this.patches.clear();
    this.tail = [];
    this.invalidate();
  }

  private prefixSums(): number[] {
    if (!this.prefix) {
      const p = [0];
      for (let b = 0; b < this.src.blockCount; b++) p.push((p[b] as number) + this.baseSize(b));
      this.prefix = p;
    }
    return this.prefix;
  }

  private baseSize(b: number): number {
    return this.src.size ? this.src.size(b) : this.rawBlock(b).length;
  }

  private rawBlock(b: number): T[] {
    const hit = this.cache.get(b);
    if (hit) {
      this.cache.delete(b);
      this.cache.set(b, hit);
      return hit;
    }
    const first = this.src.size ? (this.prefixSums()[b] as number) : 0;
    let records = this.src.generate(b, first);
    if (this.patches.size > 0) {
      records = records.map((r) => {
        const patch = this.patches.get(this.idOf(r));
        return patch ? patch(r) : r;
      });
    }
    this.cache.set(b, records);
    if (this.cache.size > CACHE_BLOCKS) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return records;
  }

  /** Generated records of a block (patched), moved ones excluded. */
  block(b: number): T[] {
    const raw = this.rawBlock(b);
    return this.moved.size === 0 ? raw : raw.filter((r) => !this.moved.has(this.idOf(r)));
  }

  /** Total number of generated (base) records, ignoring the overlay. */
  baseTotal(): number {
    const p = this.prefixSums();
    return p[p.length - 1] as number;
  }

  /** Record by global base index (only for sources with cheap sizes); the moved version wins. */
  byIndex(index: number): T | undefined {
    const p = this.prefixSums();
    if (index < 0 || index >= (p[p.length - 1] as number)) return undefined;
    let lo = 0;
    let hi = this.src.blockCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((p[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    const rec = this.rawBlock(lo)[index - (p[lo] as number)];
    if (rec === undefined) return undefined;
    return this.moved.get(this.idOf(rec)) ?? rec;
  }

  /** Every record, in ascending key order (blocks then tail). For counts and small scans. */
  *all(): Generator<T> {
    for (let b = 0; b < this.src.blockCount; b++) yield* this.block(b);
    yield* this.tail;
  }

  query(q: BlockQuery<T>): { items: T[]; total: number } {
    const from = q.from ?? -Infinity;
    const to = q.to ?? Infinity;
    const inRange = (t: T): boolean => {
      const k = this.keyOf(t);
      return k >= from && k < to;
    };
    const accept = q.filter ?? ((): boolean => true);
    const n = this.src.blockCount;
    const bFrom = Math.max(0, q.from === undefined ? 0 : this.blockOfKey(from));
    // keys carry microseconds: a bound 1 ms below `to` would miss a block starting within it
    const bTo = Math.min(n - 1, q.to === undefined ? n - 1 : this.blockOfKey(to - 0.0001));
    type Segment = number | 'tail';
    const segments: Segment[] = [];
    for (let b = bFrom; b <= bTo; b++) segments.push(b);
    segments.push('tail');
    let cached = this.counts.get(q.sig);
    if (!cached) {
      cached = new Int32Array(n).fill(-1);
      this.counts.set(q.sig, cached);
    }
    const counts = cached;
    const full = (b: number): boolean => this.blockStart(b) >= from && this.blockEnd(b) <= to;
    const itemsOf = (s: Segment): T[] =>
      s === 'tail'
        ? this.tail.filter((t) => inRange(t) && accept(t))
        : this.block(s).filter((t) => inRange(t) && accept(t));
    const countOf = (s: Segment): number => {
      if (s === 'tail' || !full(s)) return itemsOf(s).length;
      if (counts[s] === -1) {
        counts[s] =
          q.filter === undefined && this.moved.size === 0 && this.src.size
            ? this.src.size(s)
            : this.block(s).filter(accept).length;
      }
      return counts[s] as number;
    };
    let total = 0;
    for (const s of segments) total += countOf(s);
    const ordered = q.desc ? [...segments].reverse() : segments;
    const items: T[] = [];
    let skip = q.offset;
    for (const s of ordered) {
      if (items.length >= q.limit) break;
      const c = countOf(s);
      if (skip >= c) {
        skip -= c;
        continue;
      }
      const segItems = itemsOf(s);
      if (q.desc) segItems.reverse();
      for (let i = skip; i < segItems.length && items.length < q.limit; i++) items.push(segItems[i] as T);
      skip = 0;
    }
    return { items, total };
  }
}
