import type { ReactNode } from 'react';
import { isApiError } from '../api/http';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function ErrorNote({ error, children }: { error: unknown; children?: ReactNode }) {
  const message = isApiError(error)
    ? error.status === 404
      ? 'Not found, or you do not have access to it.'
      : error.message
    : error instanceof Error
      ? error.message
      : 'Something went wrong.';
  return (
    <div className="error-note" role="alert">
      <strong>Could not load this.</strong> {message} {children}
    </div>
  );
}
