import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense, type ReactNode } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { isApiError, setUnauthorizedListener } from './api/http';
import { AppShell } from './components/app-shell.component';
import { Loading } from './components/query-state.component';
import { queryKeys } from './hooks/query-keys';
import { sessionStore } from './hooks/session-store';
import {
  AuditPage,
  DrillDownPage,
  EngagementPage,
  InvitationPage,
  NewEngagementPage,
  PeoplePage,
  SettingsPage,
  SharePage,
  ShareDrillDownPage,
} from './pages/lazy-pages';
import { LoginPage } from './pages/login.page';
import { NotFoundPage } from './pages/not-found.page';
import { PortfolioPage } from './pages/portfolio.page';

const suspend = (node: ReactNode) => <Suspense fallback={<Loading />}>{node}</Suspense>;

export function createQueryClient(): QueryClient {
  const client = new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // Client errors (401, 403, 404, 400) will not fix themselves by retrying.
        retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 2,
      },
    },
  });
  setUnauthorizedListener(() => {
    sessionStore.expire();
    client.setQueryData(queryKeys.me, null);
  });
  return client;
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  // Invitation and password-reset links (the API issues /invitations/<token>).
  { path: '/invite/:token', element: suspend(<InvitationPage />) },
  { path: '/invitations/:token', element: suspend(<InvitationPage />) },
  {
    path: '/share/:token',
    element: suspend(<SharePage />),
    children: [{ path: 'kpi/:key', element: suspend(<ShareDrillDownPage />) }],
  },
  {
    path: '/',
    element: <AppShell />,
    children: [
      { index: true, element: <PortfolioPage /> },
      { path: 'engagements/new', element: suspend(<NewEngagementPage />) },
      { path: 'people', element: suspend(<PeoplePage />) },
      { path: 'audit', element: suspend(<AuditPage />) },
      {
        path: 'engagements/:id',
        element: suspend(<EngagementPage />),
        children: [{ path: 'kpi/:key', element: suspend(<DrillDownPage />) }],
      },
      { path: 'engagements/:id/settings/:section?', element: suspend(<SettingsPage />) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function App({ client }: { client: QueryClient }) {
  return (
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
