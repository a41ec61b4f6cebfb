import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { Suspense, type ReactNode } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AppShell } from './components/app-shell.component';
import { Loading } from './components/query-state.component';
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
