import { lazy, type ComponentType, type ReactElement } from 'react';

/**
 * A page split out of the initial bundle whose code can be fetched before it is shown.
 *
 * React's `lazy` suspends on its first render even when the code has long arrived (it learns
 * so a tick later), and a Suspense boundary that has shown its fallback holds the page back
 * for up to 300 ms: that was most of the time the first drill-down drawer took to open. Once
 * `preload()` has resolved, the page renders directly, with no fallback and no wait.
 */
export interface PreloadablePage {
  (): ReactElement;
  /** Fetches the page's code; resolves once the page can render without suspending. */
  preload(): Promise<void>;
  loaded(): boolean;
}

export function preloadable(load: () => Promise<ComponentType>): PreloadablePage {
  let page: ComponentType | undefined;
  let pending: Promise<ComponentType> | undefined;
  const fetchPage = () =>
    (pending ??= load().then(
      (p) => (page = p),
      (e: unknown) => {
        // a failed chunk (a deploy replaced it, the network dropped) may be asked for again
        pending = undefined;
        throw e;
      },
    ));
  // `page` is set before this resolves: the lazy one only ever suspends, never renders
  const Lazy = lazy(() => fetchPage().then((p) => ({ default: p })));
  const Page = () => {
    const Loaded = page;
    return Loaded ? <Loaded /> : <Lazy />;
  };
  return Object.assign(Page, {
    preload: () => fetchPage().then(() => undefined),
    loaded: () => page !== undefined,
  });
}

// Everything that pulls in recharts or is used rarely is split out of the initial bundle.
export const EngagementPage = preloadable(() => import('./engagement.page').then((m) => m.EngagementPage));
export const DrillDownPage = preloadable(() => import('./drill-down.page').then((m) => m.DrillDownPage));
export const SettingsPage = preloadable(() => import('./settings/settings.page').then((m) => m.SettingsPage));
export const NewEngagementPage = preloadable(() =>
  import('./settings/settings.page').then((m) => m.NewEngagementPage),
);
export const PeoplePage = preloadable(() => import('./people.page').then((m) => m.PeoplePage));
export const AuditPage = preloadable(() => import('./audit.page').then((m) => m.AuditPage));
export const InvitationPage = preloadable(() => import('./invitation.page').then((m) => m.InvitationPage));
export const SharePage = preloadable(() => import('./share.page').then((m) => m.SharePage));
export const ShareDrillDownPage = preloadable(() =>
  import('./share-drill-down.page').then((m) => m.ShareDrillDownPage),
);

/** Which split-out page a full load of `pathname` shows first, if one does. */
export function firstPageOf(pathname: string): 'engagement' | 'share' | null {
  // an engagement, or one of its drill-downs (drawn over it); not "new" nor its settings
  if (/^\/engagements\/(?!new\/?$)[^/]+\/?(?:kpi\/[^/]+\/?)?$/.test(pathname)) return 'engagement';
  if (/^\/share\/[^/]+(?:\/kpi\/[^/]+)?\/?$/.test(pathname)) return 'share';
  return null;
}

/**
 * Fetches the page a full load of `pathname` will show right away: its code then loads while
 * the main bundle starts, rather than after the router's first render asks for it.
 */
export function preloadPageFor(pathname: string): void {
  const first = firstPageOf(pathname);
  const page = first === 'engagement' ? EngagementPage : first === 'share' ? SharePage : null;
  // a failure here shows later, where the page is rendered, with its error
  page?.preload().catch(() => undefined);
}
