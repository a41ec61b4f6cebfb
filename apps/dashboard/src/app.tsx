import { useEffect, useState } from 'react';
import type { EngagementDto, UserDto } from '@pulse/contracts';

type State =
  | { kind: 'loading' }
  | { kind: 'signed-out' }
  | { kind: 'ready'; user: UserDto; engagements: EngagementDto[] };

async function getJson<T>(url: string): Promise<T | null> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (res.status === 401) return null;
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}

/** Placeholder shell until the dashboard lands: sign-in and the list of engagements. */
export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [error, setError] = useState<string | null>(null);

  async function load() {
    const user = await getJson<UserDto>('/api/auth/me');
    if (!user) return setState({ kind: 'signed-out' });
    const engagements = (await getJson<EngagementDto[]>('/api/engagements')) ?? [];
    setState({ kind: 'ready', user, engagements });
  }

  useEffect(() => {
    load().catch((e: unknown) => setError(String(e)));
  }, []);

  async function signIn(form: FormData) {
    setError(null);
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
    });
    if (!res.ok) return setError(((await res.json()) as { message: string }).message);
    await load();
  }

  return (
    <main
      style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 720, margin: '3rem auto', padding: '0 1rem' }}
    >
      <h1>Pulse</h1>
      <p>Engagement health for outsourced software work.</p>
      {error && <p role="alert">{error}</p>}
      {state.kind === 'signed-out' && (
        <form action={signIn} aria-label="Sign in">
          <label>
            Email <input name="email" type="email" autoComplete="username" required />
          </label>{' '}
          <label>
            Password <input name="password" type="password" autoComplete="current-password" required />
          </label>{' '}
          <button type="submit">Sign in</button>
        </form>
      )}
      {state.kind === 'ready' && (
        <>
          <p>Signed in as {state.user.email}.</p>
          <h2>Engagements</h2>
          <ul>
            {state.engagements.map((e) => (
              <li key={e.id}>
                {e.name} — {e.vendorName}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <a href="/api/docs">API documentation</a>
      </p>
    </main>
  );
}
