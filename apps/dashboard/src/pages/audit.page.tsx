import { Navigate, useSearchParams } from 'react-router';
import { AUDIT_ACTIONS } from '@pulse/contracts';
import { ErrorNote, Loading } from '../components/query-state.component';
import { useEngagements } from '../hooks/use-engagements.hook';
import { useAudit, useUsers } from '../hooks/use-people.hook';
import { useMe } from '../hooks/use-session.hook';
import { auditSummaryText } from '../lib/audit-summary';
import { dateTime } from '../lib/format';

type Filter = 'engagementId' | 'actorId' | 'action' | 'from' | 'to';

/** A date input's day as an instant: the start (from) or end (to) of that day in UTC. */
function dayBound(day: string | null, end: boolean): string | undefined {
  if (!day) return undefined;
  return end ? `${day}T23:59:59.999Z` : `${day}T00:00:00.000Z`;
}

/** Admins: who did what, newest first; filters live in the URL so a view can be shared. */
export function AuditPage() {
  const me = useMe();
  const isAdmin = me.data?.role === 'admin';
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const engagements = useEngagements();
  const users = useUsers(isAdmin);
  const audit = useAudit({
    engagementId: params.get('engagementId') ?? undefined,
    actorId: params.get('actorId') ?? undefined,
    action: params.get('action') ?? undefined,
    from: dayBound(params.get('from'), false),
    to: dayBound(params.get('to'), true),
    page,
  });
  if (me.data && !isAdmin) return <Navigate to="/" replace />;

  const set = (key: Filter | 'page', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'page') next.delete('page');
    setParams(next);
  };
  const names = new Map((engagements.data ?? []).map((e) => [e.id, e.name]));
  const data = audit.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;

  return (
    <div className="page stack" data-testid="audit-page">
      <div className="page__head">
        <div>
          <h1>Audit trail</h1>
          <p className="muted">
            Sign-ins, people, settings and secrets changed — who, when, from where. Times in UTC.
          </p>
        </div>
      </div>
      <form className="panel filters" aria-label="Filter events" onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span>Engagement</span>
          <select
            value={params.get('engagementId') ?? ''}
            onChange={(e) => set('engagementId', e.target.value)}
            data-testid="audit-engagement"
          >
            <option value="">All</option>
            {(engagements.data ?? []).map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Person</span>
          <select
            value={params.get('actorId') ?? ''}
            onChange={(e) => set('actorId', e.target.value)}
            data-testid="audit-person"
          >
            <option value="">Anyone</option>
            {(users.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName} ({u.email})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Action</span>
          <select
            value={params.get('action') ?? ''}
            onChange={(e) => set('action', e.target.value)}
            data-testid="audit-action"
          >
            <option value="">Any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>From (day)</span>
          <input type="date" value={params.get('from') ?? ''} onChange={(e) => set('from', e.target.value)} />
        </label>
        <label className="field">
          <span>To (day)</span>
          <input type="date" value={params.get('to') ?? ''} onChange={(e) => set('to', e.target.value)} />
        </label>
      </form>
      <section className="panel" aria-label="Events">
        {audit.isPending && <Loading />}
        {audit.error && <ErrorNote error={audit.error} />}
        {data && data.events.length === 0 && <p className="muted">No events match.</p>}
        {data && data.events.length > 0 && (
          <div className="table-wrap">
            <table data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">When (UTC)</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Engagement</th>
                  <th scope="col">What changed</th>
                  <th scope="col">IP</th>
                </tr>
              </thead>
              <tbody>
                {data.events.map((e) => (
                  <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                    <td>{dateTime(e.at)}</td>
                    <td>{e.actorEmail ?? '—'}</td>
                    <td>{e.action}</td>
                    <td>
                      {e.engagementId ? (names.get(e.engagementId) ?? e.engagementId.slice(0, 8)) : '—'}
                    </td>
                    <td className="audit-summary">{auditSummaryText(e.summary)}</td>
                    <td>{e.ip ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data && (
          <nav className="pager" aria-label="Pages">
            <span className="muted small" data-testid="audit-count">
              {data.total} events · page {data.page} of {pages}
            </span>
            <button
              type="button"
              className="button button--ghost button--small"
              disabled={page <= 1}
              onClick={() => set('page', String(page - 1))}
            >
              Newer
            </button>
            <button
              type="button"
              className="button button--ghost button--small"
              disabled={page >= pages}
              onClick={() => set('page', String(page + 1))}
              data-testid="audit-older"
            >
              Older
            </button>
          </nav>
        )}
      </section>
    </div>
  );
}
