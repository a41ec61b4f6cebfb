import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { ChangePassword } from './change-password.component';
import { useLogout, useMe } from '../hooks/use-session.hook';
import { ErrorNote, Loading } from './query-state.component';

export function Brand() {
  return (
    <span className="brand">
      <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true">
        <path
          d="M2 12h5l2.5-6 5 12 2.5-6H22"
          fill="none"
          stroke="currentColor"
          strokeWidth="2.4"
          strokeLinejoin="round"
          strokeLinecap="round"
        />
      </svg>
      Pulse
    </span>
  );
}

/** The signed-in frame: header with navigation and sign-out; redirects to sign-in without a session. */
export function AppShell() {
  const me = useMe();
  const logout = useLogout();
  const location = useLocation();
  const navigate = useNavigate();
  if (me.isPending) return <Loading label="Checking your session…" />;
  if (me.error) return <ErrorNote error={me.error} />;
  if (!me.data) {
    const next = location.pathname + location.search;
    return (
      <Navigate to={`/login${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} replace />
    );
  }
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="topbar__home" aria-label="Pulse — all engagements">
          <Brand />
        </Link>
        <nav aria-label="Main" className="topbar__nav">
          <Link to="/">Engagements</Link>
          {me.data.role === 'admin' && (
            <>
              <Link to="/people" data-testid="nav-people">
                People
              </Link>
              <Link to="/audit" data-testid="nav-audit">
                Audit
              </Link>
            </>
          )}
        </nav>
        <div className="topbar__user">
          <details className="user-menu" data-testid="user-menu">
            <summary className="user-menu__summary small" data-testid="signed-in-as">
              {me.data.displayName || me.data.email}
            </summary>
            <div className="user-menu__panel panel">
              <p className="small muted">
                {me.data.email} · {me.data.role}
              </p>
              <h2 className="small">Change password</h2>
              <ChangePassword />
            </div>
          </details>
          <button
            type="button"
            className="button button--ghost button--small"
            data-testid="sign-out"
            onClick={() =>
              logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })
            }
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
