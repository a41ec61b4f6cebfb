import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { isApiError } from '../api/http';
import { Brand } from '../components/app-shell.component';
import { Loading } from '../components/query-state.component';
import { useAcceptInvitation, useInvitationPreview } from '../hooks/use-people.hook';
import { dateTime } from '../lib/format';

const ROLE_TEXT = {
  admin: 'an admin (everything, including people)',
  manager: 'a manager (your own engagements and those you are added to)',
  viewer: 'a viewer (reads the engagements you are added to)',
} as const;

/** Opened from an invitation or reset link: says what it is for, sets the password, signs in. */
export function InvitationPage() {
  const { token = '' } = useParams();
  const preview = useInvitationPreview(token);
  const accept = useAcceptInvitation(token);
  const navigate = useNavigate();
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const mismatch = repeat !== '' && repeat !== password;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    accept.mutate(
      { password, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) },
      { onSuccess: () => navigate('/', { replace: true }) },
    );
  };

  const p = preview.data;
  const problem = preview.error
    ? isApiError(preview.error, 404) || isApiError(preview.error, 400)
      ? 'This link is not valid. Check that you copied all of it, or ask for a new one.'
      : isApiError(preview.error, 410)
        ? `${preview.error.message}. Ask a Pulse admin for a new link.`
        : preview.error.message
    : null;

  return (
    <main id="main" className="login">
      <div className="login__card panel" data-testid="invitation-page">
        <h1 className="login__title">
          <Brand />
        </h1>
        {preview.isPending && <Loading />}
        {problem && (
          <p className="error-text" role="alert" data-testid="invitation-problem">
            {problem}
          </p>
        )}
        {p && (
          <>
            <p data-testid="invitation-summary">
              {p.kind === 'invite' ? (
                <>
                  You are invited to Pulse as <strong>{ROLE_TEXT[p.role]}</strong>, signing in as{' '}
                  <strong>{p.email}</strong>. Choose a password to finish.
                </>
              ) : (
                <>
                  Choose a new password for <strong>{p.email}</strong>. Your other sessions will end.
                </>
              )}
            </p>
            <p className="muted small">This link works once, until {dateTime(p.expiresAt)} (UTC).</p>
            <form
              onSubmit={submit}
              className="form"
              aria-label="Set your password"
              data-testid="invitation-form"
            >
              {p.kind === 'invite' && (
                <label className="field">
                  <span>Your name</span>
                  <input
                    value={displayName}
                    placeholder={p.displayName ?? p.email.split('@')[0]}
                    onChange={(e) => setDisplayName(e.target.value)}
                    autoComplete="name"
                    data-testid="invitation-name"
                  />
                </label>
              )}
              <input type="email" value={p.email} autoComplete="username" readOnly hidden />
              <label className="field">
                <span>Password (at least 12 characters, not a common one)</span>
                <input
                  type="password"
                  required
                  autoComplete="new-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  aria-invalid={!!accept.error}
                  data-testid="invitation-password"
                />
              </label>
              <label className="field">
                <span>Repeat the password</span>
                <input
                  type="password"
                  required
                  autoComplete="new-password"
                  value={repeat}
                  onChange={(e) => setRepeat(e.target.value)}
                  aria-invalid={mismatch}
                  data-testid="invitation-password-repeat"
                />
              </label>
              {mismatch && <p className="error-text small">The two passwords differ.</p>}
              {accept.error && (
                <p className="error-text" role="alert" data-testid="invitation-error">
                  {isApiError(accept.error) && accept.error.body?.details?.length
                    ? accept.error.body.details.map((d) => `${d.field} ${d.message}`).join('; ')
                    : accept.error.message}
                </p>
              )}
              <button
                type="submit"
                className="button button--wide"
                disabled={accept.isPending || mismatch}
                data-testid="invitation-submit"
              >
                {accept.isPending ? 'Setting password…' : p.kind === 'invite' ? 'Join Pulse' : 'Set password'}
              </button>
            </form>
          </>
        )}
      </div>
    </main>
  );
}
