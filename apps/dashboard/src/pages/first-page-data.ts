import type { QueryClient } from '@tanstack/react-query';
import {
  engagementQuery,
  healthQuery,
  kpisQuery,
  meQuery,
  membersQuery,
  sharedViewQuery,
} from '../hooks/page-queries';
import { resolveRange, todayIn } from '../lib/date-range';
import { firstPageOf } from './lazy-pages';

/**
 * On a full load, asks the API at once for what the first screen waits for, while the app's
 * and the page's code are still being run and fetched: who is signed in (every page but the
 * vendor's share view checks that before it renders), and on an engagement or share URL the
 * page's data. Otherwise each request would wait for the render that asks for it, and the
 * answers would arrive that much later. The queries are the pages' own (`page-queries.ts`), so
 * the pages find them running or answered and do not ask again. Signed-in requests are
 * `quiet`: a 401 here is left to the page to act on.
 *
 * Returns the paths asked for (for tests).
 */
export function prefetchFirstPage(
  client: QueryClient,
  location: { pathname: string; search: string },
  now = Date.now(),
): string[] {
  const first = firstPageOf(location.pathname);
  const started: string[] = [];
  const start = (query: {
    queryKey: readonly unknown[];
    queryFn: () => Promise<unknown>;
    retry?: boolean;
    staleTime?: number;
  }) => {
    // a failure is cached like the page's own, and the page shows it (or asks again)
    client.prefetchQuery(query).catch(() => undefined);
    started.push(query.queryKey.join('/'));
  };
  // the app shell and the sign-in page ask who is signed in; share and invitation pages do not
  if (first !== 'share' && !/^\/(?:invite|invitations)\//.test(location.pathname)) start(meQuery);
  const segment = segmentAt(location.pathname, 2);
  if (!first || segment === null) return started;
  if (first === 'share') {
    start(sharedViewQuery(segment));
    return started;
  }
  // The page's first range is the one useRangeParams works out before the engagement's zone
  // is known: the browser's today, and the range in the URL.
  const params = new URLSearchParams(location.search);
  const { range } = resolveRange(params.get('range'), todayIn(undefined, now), {
    from: params.get('from'),
    to: params.get('to'),
  });
  start(kpisQuery(segment, range, true));
  start(engagementQuery(segment, true));
  start(healthQuery(segment, true));
  start(membersQuery(segment, true));
  return started;
}

/** The path's n-th segment decoded as the router decodes it, or null when it cannot be. */
function segmentAt(pathname: string, n: number): string | null {
  const raw = pathname.split('/')[n];
  if (!raw) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}
