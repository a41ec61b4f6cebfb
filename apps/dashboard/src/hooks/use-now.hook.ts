import { useEffect, useState } from 'react';

/** The wall clock for display ("12 min ago"), ticking once a minute; logic gets it passed in. */
export function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
