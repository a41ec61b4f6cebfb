import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../api/http';
import { Brand } from '../components/app-shell.component';
import { useAuthMethods } from '../hooks/use-auth-methods.hook';
import { useLogin, useMe, useSessionExpired } from '../hooks/use-session.hook';
import { ssoErrorMessage } from '../lib/sso-errors';

/** Only same-app paths are followed after sign-in (never an open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const expired = useSessionExpired();
  const me = useMe();
  const methods = useAuthMethods();
  const ssoError = ssoErrorMessage(params.get('sso_error'));
  const login = useLogin();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  if (me.data && !login.isPending) return <Navigate to={next} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email, password }, { onSuccess: () => navigate(next, { replace: true }) });
  };
  const error = login.error;
  const message = !error
    ? null
    : isApiError(error, 401) || isApiError(error, 400)
      ? 'That email and password do not match an account.'
      : isApiError(error, 429)
        ? 'Too many attempts. Wait a minute and try again.'
        : error.message;

  return (
    <main id="main" className="login">
      <div className="login__card panel">
        <h1 className="login__title">
          <Brand />
        </h1>
        <p className="muted">Engagement health for outsourced software work.</p>
        {expired && (
          <p className="notice" role="status" data-testid="session-expired">
            Your session expired. Sign in again to continue where you were.
          </p>
        )}
        {ssoError && (
          <p className="error-text" role="alert" data-testid="sso-error">
            {ssoError}
          </p>
        )}
        <form onSubmit={submit} aria-label="Sign in" data-testid="login-form" className="form">
          <label className="field">
            <span>Email</span>
            <input
              name="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              data-testid="login-email"
              aria-invalid={!!error}
            />
          </label>
          <label className="field">
            <span>Password</span>
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="login-password"
              aria-invalid={!!error}
            />
          </label>
          {message && (
            <p className="error-text" role="alert" data-testid="login-error">
              {message}
            </p>
          )}
          <button
            type="submit"
            className="button button--wide"
            disabled={login.isPending}
            data-testid="login-submit"
          >
            {login.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        {methods.data?.sso && (
          <div className="login__sso">
            <p className="muted small">or</p>
            {/* A full navigation: the API redirects to the identity provider and back. */}
            <a
              className="button button--ghost button--wide"
              href={`/api/auth/oidc/login?next=${encodeURIComponent(next)}`}
              data-testid="login-sso"
            >
              Sign in with SSO
            </a>
          </div>
        )}
      </div>
    </main>
  );
}
