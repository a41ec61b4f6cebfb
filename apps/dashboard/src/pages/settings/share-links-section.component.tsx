import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { KPI_FAMILIES, type ShareLinkDto } from '@pulse/contracts';
import { api, isApiError } from '../../api/http';
import type { CreateShareLinkBody } from '../../api/types';
import { ErrorNote, Loading } from '../../components/query-state.component';
import { StatusBadge } from '../../components/status-badge.component';
import { queryKeys } from '../../hooks/query-keys';
import { useEngagement } from '../../hooks/use-engagements.hook';
import { dateTime, familyLabel } from '../../lib/format';

function linkState(l: ShareLinkDto, now: number): 'active' | 'revoked' | 'expired' {
  if (l.revokedAt) return 'revoked';
  if (l.expiresAt && Date.parse(l.expiresAt) <= now) return 'expired';
  return 'active';
}

export function shareUrl(created: ShareLinkDto, origin: string): string {
  if (created.url) return created.url.startsWith('http') ? created.url : `${origin}${created.url}`;
  return `${origin}/share/${created.token ?? ''}`;
}

export function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="copy">
      <label className="field">
        <span>{label}</span>
        <input readOnly value={value} onFocus={(e) => e.currentTarget.select()} data-testid={testId} />
      </label>
      <button
        type="button"
        className="button button--small"
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => setCopied(true));
        }}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}

export function ShareLinksSection({ engagementId, now }: { engagementId: string; now: number }) {
  // Times in the engagement's reporting zone (already loaded by the settings page).
  const zone = useEngagement(engagementId).data?.reportingTimeZone ?? 'UTC';
  const client = useQueryClient();
  const links = useQuery({
    queryKey: queryKeys.shareLinks(engagementId),
    queryFn: () => api<ShareLinkDto[]>(`/api/engagements/${engagementId}/share-links`),
    retry: false,
  });
  const [families, setFamilies] = useState<string[]>([...KPI_FAMILIES]);
  const [expires, setExpires] = useState('');
  const [allowDrillDown, setAllowDrillDown] = useState(false);
  const [created, setCreated] = useState<ShareLinkDto | null>(null);
  const create = useMutation({
    mutationFn: (body: CreateShareLinkBody) =>
      api<ShareLinkDto>(`/api/engagements/${engagementId}/share-links`, { method: 'POST', body }),
    onSuccess: (link) => {
      setCreated(link);
      void client.invalidateQueries({ queryKey: queryKeys.shareLinks(engagementId) });
    },
  });
  const revoke = useMutation({
    mutationFn: (linkId: string) =>
      api<void>(`/api/engagements/${engagementId}/share-links/${linkId}`, { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.shareLinks(engagementId) }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    create.mutate({
      families,
      allowDrillDown,
      // End of the chosen day, in the manager's zone.
      ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}),
    });
  };

  return (
    <div className="stack">
      <p className="muted">
        A share link shows this engagement's status, score and the chosen KPI families to the vendor,
        read-only: no settings, no other engagements, no emails, no secrets.
      </p>
      <form onSubmit={submit} className="panel form" data-testid="share-link-form">
        <h3>New share link</h3>
        <fieldset className="fieldset">
          <legend>KPI families to share</legend>
          <div className="checks">
            {KPI_FAMILIES.map((f) => (
              <label key={f} className="check">
                <input
                  type="checkbox"
                  checked={families.includes(f)}
                  onChange={(e) =>
                    setFamilies(e.target.checked ? [...families, f] : families.filter((x) => x !== f))
                  }
                  data-testid={`share-family-${f}`}
                />
                {familyLabel(f)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="row">
          <label className="field">
            <span>Expires on (optional)</span>
            <input
              type="date"
              value={expires}
              onChange={(e) => setExpires(e.target.value)}
              data-testid="share-expires"
            />
          </label>
          <label className="check check--standalone">
            <input
              type="checkbox"
              checked={allowDrillDown}
              onChange={(e) => setAllowDrillDown(e.target.checked)}
              data-testid="share-allow-drilldown"
            />
            Allow drill-down links to GitHub / Jira / Slack
          </label>
        </div>
        {create.error && <ErrorNote error={create.error} />}
        <button
          type="submit"
          className="button"
          disabled={create.isPending || families.length === 0}
          data-testid="share-create"
        >
          {create.isPending ? 'Creating…' : 'Create share link'}
        </button>
      </form>
      {created && (
        <div className="panel notice-panel" role="status" data-testid="share-created">
          <p>
            <strong>Copy this link now.</strong> It is shown only once; Pulse stores only a hash of its token.
          </p>
          <CopyField
            label="Share link"
            value={shareUrl(created, window.location.origin)}
            testId="share-url"
          />
        </div>
      )}
      <section className="panel" aria-labelledby="links-title">
        <h3 id="links-title">Share links</h3>
        {links.isPending && <Loading />}
        {links.error &&
          (isApiError(links.error, 404) ? (
            <p className="muted">Share links are not available on this server yet.</p>
          ) : (
            <ErrorNote error={links.error} />
          ))}
        {links.data?.length === 0 && <p className="muted">None yet.</p>}
        {links.data && links.data.length > 0 && (
          <div className="table-wrap">
            <table data-testid="share-links-table">
              <thead>
                <tr>
                  <th scope="col">Created ({zone})</th>
                  <th scope="col">Families</th>
                  <th scope="col">Expires ({zone})</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {links.data.map((l) => {
                  const state = linkState(l, now);
                  return (
                    <tr key={l.id} data-testid="share-link-row" data-state={state}>
                      <td>{dateTime(l.createdAt, zone)}</td>
                      <td>{l.families.map(familyLabel).join(', ')}</td>
                      <td>{l.expiresAt ? dateTime(l.expiresAt, zone) : 'never'}</td>
                      <td>
                        <StatusBadge status={state === 'active' ? 'ok' : 'no_data'} label={state} />
                      </td>
                      <td>
                        {state === 'active' && (
                          <button
                            type="button"
                            className="button button--danger button--small"
                            onClick={() => revoke.mutate(l.id)}
                            disabled={revoke.isPending}
                            data-testid="share-revoke"
                          >
                            Revoke
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {revoke.error && <ErrorNote error={revoke.error} />}
      </section>
    </div>
  );
}

export function UploadTokenSection({ engagementId }: { engagementId: string }) {
  const create = useMutation({
    mutationFn: () =>
      api<{ token: string }>(`/api/engagements/${engagementId}/upload-token`, { method: 'POST' }),
  });
  const origin = window.location.origin;
  return (
    <div className="stack">
      <p className="muted">
        CI can upload coverage reports (Cobertura, lcov, coverage.py JSON, istanbul summary) with this token.
        Creating a new token replaces the old one.
      </p>
      <button
        type="button"
        className="button"
        onClick={() => create.mutate()}
        disabled={create.isPending}
        data-testid="upload-token-create"
      >
        {create.isPending ? 'Creating…' : 'Create upload token'}
      </button>
      {create.error &&
        (isApiError(create.error, 404) ? (
          <p className="muted">Coverage upload is not available on this server yet.</p>
        ) : (
          <ErrorNote error={create.error} />
        ))}
      {create.data && (
        <div className="panel notice-panel" role="status" data-testid="upload-token-created">
          <p>
            <strong>Copy the token now.</strong> It is shown only once.
          </p>
          <CopyField label="Upload token" value={create.data.token} testId="upload-token" />
          <p className="small muted">
            Use it as a bearer token when posting a coverage report from CI to {origin}.
          </p>
        </div>
      )}
    </div>
  );
}
