import { useEffect, useState, type RefObject } from 'react';

/**
 * How far outside the viewport an element counts as "in view": about a screen ahead, so a
 * chart is usually drawn before it scrolls in, not as it does.
 */
const AHEAD = '100% 0px';

type Listener = (inView: boolean) => void;
const listeners = new WeakMap<Element, Listener>();
let shared: IntersectionObserver | null = null;

/** One observer for every chart on the page: one intersection pass per frame, not one per chart. */
function observer(): IntersectionObserver {
  shared ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) listeners.get(e.target)?.(e.isIntersecting);
    },
    { rootMargin: AHEAD },
  );
  return shared;
}

/**
 * True once the element has come within about a screen of the viewport, and from then on
 * (what was drawn stays drawn, so scrolling back never redraws). Where the browser has no
 * IntersectionObserver, everything counts as in view.
 */
export function useSeenOnce(ref: RefObject<Element | null>): boolean {
  const [seen, setSeen] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (seen || !el) return;
    const io = observer();
    listeners.set(el, (inView) => {
      if (!inView) return;
      setSeen(true);
      io.unobserve(el);
      listeners.delete(el);
    });
    io.observe(el);
    return () => {
      io.unobserve(el);
      listeners.delete(el);
    };
  }, [ref, seen]);
  return seen;
}
