// Fault injection per source. Decisions come from a seeded generator so a run is repeatable.
import { type FaultConfig, type SourceFaults, type SourceName } from '../sandbox.types';
import { Rng } from './random.util';

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'error5xx' }
  | { kind: 'rateLimit'; retryAfter: number }
  | { kind: 'revoked' }
  | { kind: 'forbidden' };

export class FaultsService {
  private config: FaultConfig = {};
  private rng: Record<SourceName, Rng>;
  /** Rate limits injected per source since its knobs were last set (for `rateLimitMax`). */
  private rateLimited: Record<SourceName, number> = { github: 0, jira: 0, slack: 0 };

  constructor(
    private readonly seed: string,
    initial: FaultConfig = {},
  ) {
    this.rng = this.freshRng();
    this.set(initial);
  }

  private freshRng(): Record<SourceName, Rng> {
    return {
      github: new Rng(this.seed, 'faults', 'github'),
      jira: new Rng(this.seed, 'faults', 'jira'),
      slack: new Rng(this.seed, 'faults', 'slack'),
    };
  }

  /** Merges knobs per source; `{}` for a source clears it. */
  set(faults: FaultConfig): void {
    for (const source of ['github', 'jira', 'slack'] as const) {
      const f = faults[source];
      if (f === undefined) continue;
      this.rateLimited[source] = 0;
      this.config[source] = Object.keys(f).length === 0 ? {} : { ...this.config[source], ...validate(f) };
    }
  }

  get(source: SourceName): SourceFaults {
    return this.config[source] ?? {};
  }

  all(): FaultConfig {
    return { github: this.get('github'), jira: this.get('jira'), slack: this.get('slack') };
  }

  reset(initial: FaultConfig = {}): void {
    this.config = {};
    this.rng = this.freshRng();
    this.set(initial);
  }

  decide(source: SourceName): FaultDecision {
    const f = this.get(source);
    if (f.tokenRevoked) return { kind: 'revoked' };
    if (f.forbidden) return { kind: 'forbidden' };
    const r = this.rng[source];
    if ((f.error5xxRate ?? 0) > 0 && r.next() < (f.error5xxRate ?? 0)) return { kind: 'error5xx' };
    if (
      (f.rateLimitRate ?? 0) > 0 &&
      r.next() < (f.rateLimitRate ?? 0) &&
      this.rateLimited[source] < (f.rateLimitMax ?? Infinity)
    ) {
      this.rateLimited[source] += 1;
      return { kind: 'rateLimit', retryAfter: f.retryAfterSeconds ?? 1 };
    }
    return { kind: 'none' };
  }

  delayMs(source: SourceName): number {
    const f = this.get(source);
    if ((f.slowRate ?? 0) > 0 && this.rng[source].next() < (f.slowRate ?? 0)) return f.slowMs ?? 1500;
    return 0;
  }

  /**
   * Damages some records in place: removes one of the given (dotted) fields or gives it the
   * wrong type, as a buggy or partial upstream payload would.
   */
  malform<T>(source: SourceName, records: T[], fields: readonly string[]): T[] {
    const rate = this.get(source).malformedRate ?? 0;
    if (rate <= 0) return records;
    const r = this.rng[source];
    for (const rec of records) {
      if (r.next() >= rate || rec === null || typeof rec !== 'object') continue;
      const path = r.pick(fields).split('.');
      let target = rec as Record<string, unknown>;
      for (const part of path.slice(0, -1)) {
        const next = target[part];
        if (next === null || typeof next !== 'object') break;
        target = next as Record<string, unknown>;
      }
      const leaf = path[path.length - 1] as string;
      if (r.chance(0.5)) {
        delete target[leaf];
      } else {
        const v = target[leaf];
        target[leaf] =
          typeof v === 'number'
            ? String(v)
            : typeof v === 'string'
              ? 12345
              : typeof v === 'object'
                ? 'oops'
                : { unexpected: true };
      }
    }
    return records;
  }
}

function validate(f: SourceFaults): SourceFaults {
  const out: SourceFaults = {};
  const rate = (v: unknown, name: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || n > 1)
      throw new Error(`fault ${name} must be a number between 0 and 1`);
    return n;
  };
  if (f.error5xxRate !== undefined) out.error5xxRate = rate(f.error5xxRate, 'error5xxRate');
  if (f.rateLimitRate !== undefined) out.rateLimitRate = rate(f.rateLimitRate, 'rateLimitRate');
  if (f.slowRate !== undefined) out.slowRate = rate(f.slowRate, 'slowRate');
  if (f.malformedRate !== undefined) out.malformedRate = rate(f.malformedRate, 'malformedRate');
  if (f.rateLimitMax !== undefined) out.rateLimitMax = Math.max(0, Math.floor(Number(f.rateLimitMax)));
  if (f.retryAfterSeconds !== undefined)
    out.retryAfterSeconds = Math.max(0, Math.floor(Number(f.retryAfterSeconds)));
  if (f.slowMs !== undefined) out.slowMs = Math.max(0, Math.floor(Number(f.slowMs)));
  if (f.secondaryLimitStatus !== undefined)
    out.secondaryLimitStatus = Number(f.secondaryLimitStatus) === 429 ? 429 : 403;
  if (f.tokenRevoked !== undefined) out.tokenRevoked = Boolean(f.tokenRevoked);
  if (f.forbidden !== undefined) out.forbidden = Boolean(f.forbidden);
  if (f.quota !== undefined) out.quota = Math.max(0, Math.floor(Number(f.quota)));
  if (f.secondaryLimitMessage !== undefined)
    out.secondaryLimitMessage = f.secondaryLimitMessage === 'abuse' ? 'abuse' : 'secondary';
  if (f.graphqlDisabled !== undefined) out.graphqlDisabled = Boolean(f.graphqlDisabled);
  if (f.graphqlTimeoutAboveNodes !== undefined)
    out.graphqlTimeoutAboveNodes = Math.max(0, Math.floor(Number(f.graphqlTimeoutAboveNodes)));
  if (f.graphqlResourceLimitAboveNodes !== undefined)
    out.graphqlResourceLimitAboveNodes = Math.max(0, Math.floor(Number(f.graphqlResourceLimitAboveNodes)));
  return out;
}
