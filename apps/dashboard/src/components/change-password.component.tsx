import { useState, type FormEvent } from 'react';
import { isApiError } from '../api/http';
import { useChangePassword } from '../hooks/use-people.hook';

/** In the user menu: the current password is required; every other session of the account ends. */
export function ChangePassword() {
  const change = useChangePassword();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const mismatch = repeat !== '' && repeat !== newPassword;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrent('');
          setNew('');
          setRepeat('');
        },
      },
    );
  };
  const error = change.error;
  const message = !error
    ? null
    : isApiError(error, 401)
      ? 'The current password is wrong.'
      : isApiError(error) && error.body?.details?.length
        ? error.body.details.map((d) => d.message).join('; ')
        : error.message;
  return (
    <form className="form" onSubmit={submit} aria-label="Change password" data-testid="change-password-form">
      <label className="field">
        <span>Current password</span>
        <input
          type="password"
          required
          autoComplete="current-password"
          value={currentPassword}
          onChange={(e) => setCurrent(e.target.value)}
          data-testid="current-password"
        />
      </label>
      <label className="field">
        <span>New password (at least 12 characters)</span>
        <input
          type="password"
          required
          autoComplete="new-password"
          value={newPassword}
          onChange={(e) => setNew(e.target.value)}
          data-testid="new-password"
        />
      </label>
      <label className="field">
        <span>Repeat the new password</span>
        <input
          type="password"
          required
          autoComplete="new-password"
          value={repeat}
          aria-invalid={mismatch}
          onChange={(e) => setRepeat(e.target.value)}
          data-testid="new-password-repeat"
        />
      </label>
      {mismatch && <p className="error-text small">The two passwords differ.</p>}
      {message && (
        <p className="error-text small" role="alert" data-testid="change-password-error">
          {message}
        </p>
      )}
      {change.isSuccess && (
        <p className="ok-text small" role="status" data-testid="change-password-done">
          Password changed. Your other sessions were signed out.
        </p>
      )}
      <button type="submit" className="button button--small" disabled={change.isPending || mismatch}>
        {change.isPending ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
