import { Suspense } from 'react';
import { renderToString } from 'react-dom/server';
import { firstPageOf, preloadable } from './lazy-pages';

const render = (Page: () => React.ReactElement) =>
  renderToString(
    <Suspense fallback={<p>placeholder</p>}>
      <Page />
    </Suspense>,
  );

describe('preloadable', () => {
  it('renders a preloaded page at once, without the placeholder', async () => {
    let loads = 0;
    const Page = preloadable(async () => {
      loads += 1;
      return () => <h1>the page</h1>;
    });
    expect(Page.loaded()).toBe(false);
    await Page.preload();
    expect(Page.loaded()).toBe(true);
    // React's own lazy would still suspend here: it only learns a tick later that the code came
    expect(render(Page)).toContain('the page');
    expect(render(Page)).not.toContain('placeholder');
    await Page.preload();
    expect(loads).toBe(1);
  });

  it('shows the placeholder for a page not loaded yet, and may load again after a failure', async () => {
    let fail = true;
    const Page = preloadable(async () => {
      if (fail) throw new Error('chunk gone');
      return () => <h1>the page</h1>;
    });
    expect(render(Page)).toContain('placeholder');
    await expect(Page.preload()).rejects.toThrow('chunk gone');
    expect(Page.loaded()).toBe(false);
    fail = false;
    await Page.preload();
    expect(render(Page)).toContain('the page');
  });
});

describe('firstPageOf', () => {
  it('names the split-out page a full load shows first', () => {
    expect(firstPageOf('/engagements/3f2a')).toBe('engagement');
    expect(firstPageOf('/engagements/3f2a/')).toBe('engagement');
    // a drill-down link opened directly is drawn over its engagement's page
    expect(firstPageOf('/engagements/3f2a/kpi/delivery.pr_cycle_time')).toBe('engagement');
    expect(firstPageOf('/share/abc_DEF-123')).toBe('share');
    expect(firstPageOf('/share/abc/kpi/quality.open_bugs')).toBe('share');
  });

  it('fetches nothing for pages that are not the engagement or the share view', () => {
    expect(firstPageOf('/')).toBeNull();
    expect(firstPageOf('/login')).toBeNull();
    expect(firstPageOf('/engagements/new')).toBeNull();
    expect(firstPageOf('/engagements/3f2a/settings')).toBeNull();
    expect(firstPageOf('/engagements/3f2a/settings/thresholds')).toBeNull();
    expect(firstPageOf('/engagements')).toBeNull();
    expect(firstPageOf('/people')).toBeNull();
  });
});
