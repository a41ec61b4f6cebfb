import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { resolveRange, todayIn, type DateRange, type RangePreset } from '../lib/date-range';

/** The time range lives in the URL (?range=26 or ?range=custom&from=…&to=…) so links keep it. */
export function useRangeParams(timeZone: string | undefined, now: number) {
  const [params, setParams] = useSearchParams();
  const today = todayIn(timeZone, now);
  const resolved = useMemo(
    () => resolveRange(params.get('range'), today, { from: params.get('from'), to: params.get('to') }),
    [params, today],
  );
  const setRange = useCallback(
    (preset: RangePreset, custom?: DateRange) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.set('range', preset);
          next.delete('from');
          next.delete('to');
          if (preset === 'custom' && custom) {
            next.set('from', custom.from);
            next.set('to', custom.to);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  const rangeQuery = useMemo(() => {
    const q = new URLSearchParams();
    for (const k of ['range', 'from', 'to']) {
      const v = params.get(k);
      if (v) q.set(k, v);
    }
    return q;
  }, [params]);
  return { ...resolved, setRange, rangeQuery };
}
