// Deterministic randomness: every record is derived from (seed, scenario, source, block, …)
// so that any page can be regenerated on demand without holding the world in memory.

/** 32-bit FNV-1a over the joined parts; stable across runs and platforms. */
export function hash32(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  const s = parts.join('\u0001');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // final avalanche (murmur3 fmix32) so nearby inputs diverge
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform [0, 1) from parts, without building a generator. */
export function unit(...parts: (string | number)[]): number {
  return hash32(...parts) / 4294967296;
}

/** Hex string of the given length derived from parts. */
export function hexOf(length: number, ...parts: (string | number)[]): string {
  let out = '';
  let i = 0;
  while (out.length < length)
    out += hash32(...parts, i++)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}

/** mulberry32: small, fast, good enough for synthetic data. */
export class Rng {
  private state: number;

  constructor(...parts: (string | number)[]) {
    this.state = hash32(...parts);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Standard normal via Box–Muller. */
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median; sigma is the spread of the underlying normal. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}
