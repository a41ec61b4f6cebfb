import { QueryClient } from '@tanstack/react-query';
import { setUnauthorizedListener } from '../api/http';
import { queryKeys } from '../hooks/query-keys';
import { engagementQuery } from '../hooks/page-queries';
import { resolveRange, todayIn } from '../lib/date-range';
import { prefetchFirstPage } from './first-page-data';

const ID = '3f1c2a8e-9d4b-4c6a-8e2f-0b1d2c3e4f5a';
const NOW = Date.UTC(2026, 10, 18, 12);

/** Records what the page asked the API for, answering `status` with a small JSON body. */
function recordFetch(status = 200) {
  const asked: string[] = [];
  const real = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL) => {
    asked.push(String(input));
    return new Response(JSON.stringify({ asked: String(input), message: 'no' }), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
  return { asked, restore: () => (globalThis.fetch = real) };
}

const settled = (client: QueryClient) =>
  new Promise<void>((resolve) => {
    const check = () => (client.isFetching() === 0 ? resolve() : setTimeout(check, 5));
    check();
  });

describe('prefetchFirstPage', () => {
  let client: QueryClient;
  let restore: () => void;
  beforeEach(() => {
    client = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: false } } });
  });
  afterEach(() => {
    restore?.();
    setUnauthorizedListener(null);
    client.clear();
  });

  it('asks for the engagement page’s data under the keys its hooks read, with the URL’s range', async () => {
    const fetches = recordFetch();
    restore = fetches.restore;
    prefetchFirstPage(client, { pathname: `/engagements/${ID}`, search: '?range=26' }, NOW);
    await settled(client);
    const { range } = resolveRange('26', todayIn(undefined, NOW));
    expect(range.from < range.to).toBe(true);
    expect(fetches.asked.sort()).toEqual(
      [
        '/api/auth/me',
        `/api/engagements/${ID}`,
        `/api/engagements/${ID}/health`,
        `/api/engagements/${ID}/kpis?from=${range.from}&to=${range.to}`,
        `/api/engagements/${ID}/members`,
      ].sort(),
    );
    // the page's hooks find every answer in place, so they ask nothing again
    for (const key of [
      queryKeys.me,
      queryKeys.engagement(ID),
      queryKeys.health(ID),
      queryKeys.members(ID),
      queryKeys.kpis(ID, range.from, range.to),
    ]) {
      expect(client.getQueryState(key)?.status).toBe('success');
    }
    expect(client.getQueryData<{ asked: string }>(queryKeys.kpis(ID, range.from, range.to))?.asked).toContain(
      '/kpis?from=',
    );
  });

  it('takes a custom range from the URL, and also starts under an open drill-down', async () => {
    const fetches = recordFetch();
    restore = fetches.restore;
    prefetchFirstPage(
      client,
      {
        pathname: `/engagements/${ID}/kpi/delivery.pr_cycle_time`,
        search: '?range=custom&from=2026-01-05&to=2026-03-01',
      },
      NOW,
    );
    await settled(client);
    expect(fetches.asked).toContain(`/api/engagements/${ID}/kpis?from=2026-01-05&to=2026-03-01`);
    expect(fetches.asked).toHaveLength(5);
  });

  it('asks only for the shared view behind a share link, and only who is signed in elsewhere', async () => {
    const fetches = recordFetch();
    restore = fetches.restore;
    prefetchFirstPage(client, { pathname: '/share/tok%2Fen', search: '' }, NOW);
    await settled(client);
    expect(fetches.asked).toEqual(['/api/share/tok%2Fen']);
    for (const pathname of [
      '/',
      '/login',
      '/engagements/new',
      `/engagements/${ID}/settings/thresholds`,
      '/people',
      '/engagements/%E0%A4%A',
    ]) {
      const other = new QueryClient();
      expect(prefetchFirstPage(other, { pathname, search: '' }, NOW)).toEqual(['me']);
      await settled(other);
    }
    expect(prefetchFirstPage(client, { pathname: '/invitations/abc', search: '' }, NOW)).toEqual([]);
    await settled(client);
    expect(fetches.asked.filter((p) => p === '/api/auth/me')).toHaveLength(6);
    expect(fetches.asked).toHaveLength(7);
  });

  it('does not end a session on its own 401; the page’s own request does', async () => {
    const fetches = recordFetch(401);
    restore = fetches.restore;
    let expired = 0;
    setUnauthorizedListener(() => (expired += 1));
    prefetchFirstPage(client, { pathname: `/engagements/${ID}`, search: '' }, NOW);
    await settled(client);
    expect(fetches.asked).toHaveLength(5);
    expect(client.getQueryState(queryKeys.engagement(ID))?.status).toBe('error');
    // nobody signed in: the app will show the sign-in page, not "your session expired"
    expect(client.getQueryData(queryKeys.me)).toBeNull();
    expect(expired).toBe(0);
    await expect(client.fetchQuery(engagementQuery(ID))).rejects.toThrow();
    expect(expired).toBe(1);
  });
});
