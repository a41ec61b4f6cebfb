import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  CONNECTION_KINDS,
  type ConnectionDto,
  type ConnectionKind,
  type ConnectionTestDto,
  type SyncRunDto,
} from '@pulse/contracts';
import { api, ApiError } from '../../api/http';
import { ErrorNote, Loading } from '../../components/query-state.component';
import { useConnections, useEngagementHealth } from '../../hooks/use-engagements.hook';
import { queryKeys } from '../../hooks/query-keys';
import { sourceLabel } from '../../lib/format';
import { sourceFreshness } from '../../lib/prepare-portfolio-card';

interface FieldSpec {
  name: string;
  label: string;
  list?: 'string' | 'number';
  placeholder?: string;
  required?: boolean;
}

const FIELDS: Record<ConnectionKind, FieldSpec[]> = {
  github: [
    { name: 'baseUrl', label: 'API base URL', placeholder: 'https://api.github.com' },
    { name: 'repos', label: 'Repositories (owner/name, comma-separated)', list: 'string', required: true },
  ],
  jira: [
    { name: 'baseUrl', label: 'Jira URL', placeholder: 'https://acme.atlassian.net', required: true },
    { name: 'deployment', label: 'Deployment (auto, cloud or datacenter)', placeholder: 'auto' },
    { name: 'email', label: 'Account email (Jira Cloud; leave empty for a Data Center token)' },
    { name: 'projectKeys', label: 'Project keys (comma-separated)', list: 'string', required: true },
    { name: 'boardIds', label: 'Board ids (comma-separated, optional)', list: 'number' },
    {
      name: 'storyPointsField',
      label: 'Story points field (optional: found by name)',
      placeholder: 'customfield_10016',
    },
    { name: 'bugTypes', label: 'Bug issue types (comma-separated, e.g. Bug, 缺陷)', list: 'string' },
  ],
  slack: [
    { name: 'baseUrl', label: 'API base URL', placeholder: 'https://slack.com/api' },
    { name: 'channelIds', label: 'Channel ids (comma-separated)', list: 'string', required: true },
    { name: 'digestChannelId', label: 'Digest channel id (optional)' },
  ],
};

function toText(v: unknown): string {
  if (Array.isArray(v)) return v.join(', ');
  return v === undefined || v === null ? '' : String(v);
}

function toSettings(kind: ConnectionKind, values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS[kind]) {
    const raw = (values[f.name] ?? '').trim();
    if (f.list) {
      const items = raw.split(/[\s,]+/).filter(Boolean);
      if (items.length || f.required) out[f.name] = f.list === 'number' ? items.map(Number) : items;
    } else if (raw) out[f.name] = raw;
  }
  return out;
}

function ConnectionForm({
  engagementId,
  kind,
  existing,
}: {
  engagementId: string;
  kind: ConnectionKind;
  existing?: ConnectionDto;
}) {
  const client = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(FIELDS[kind].map((f) => [f.name, toText(existing?.settings[f.name])])),
  );
  const [secret, setSecret] = useState('');
  // Connections and everything rated from their freshness (health, KPIs).
  const invalidate = () => client.invalidateQueries({ queryKey: queryKeys.engagement(engagementId) });
  const health = useEngagementHealth(engagementId);
  const save = useMutation({
    mutationFn: () =>
      api<ConnectionDto>(`/api/engagements/${engagementId}/connections/${kind}`, {
        method: 'PUT',
        body: { settings: toSettings(kind, values), ...(secret ? { secret } : {}) },
      }),
    onSuccess: () => {
      setSecret('');
      void invalidate();
    },
  });
  const test = useMutation({
    mutationFn: () =>
      api<ConnectionTestDto>(`/api/engagements/${engagementId}/connections/${kind}/test`, { method: 'POST' }),
  });
  // Full resync: the source is read again from the start (cursor and ETags forgotten).
  const resync = useMutation({
    mutationFn: () =>
      api<SyncRunDto>(`/api/engagements/${engagementId}/connections/${kind}/resync`, { method: 'POST' }),
    onSuccess: () => void invalidate(),
  });
  const remove = useMutation({
    mutationFn: () => api<void>(`/api/engagements/${engagementId}/connections/${kind}`, { method: 'DELETE' }),
    onSuccess: () => void invalidate(),
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  // The API's freshness (the same words as the card and the engagement page).
  const source = health.data?.sources.find((s) => s.source === kind);
  const fresh = existing && source ? sourceFreshness(source) : null;
  return (
    <section className="panel connection" aria-labelledby={`conn-${kind}`} data-testid={`connection-${kind}`}>
      <h3 id={`conn-${kind}`}>
        {sourceLabel(kind)} {!existing && <span className="muted small">not connected</span>}
      </h3>
      {fresh && <p className={`freshness__item freshness__item--${fresh.tone} small`}>{fresh.text}</p>}
      {existing?.sync.lastErrorMessage && fresh?.tone === 'error' && (
        <p className="small muted">Last error: {existing.sync.lastErrorMessage}</p>
      )}
      <form className="form" onSubmit={submit}>
        {FIELDS[kind].map((f) => (
          <label key={f.name} className="field">
            <span>{f.label}</span>
            <input
              value={values[f.name] ?? ''}
              placeholder={f.placeholder}
              onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
              aria-invalid={!!errors[`settings.${f.name}`]}
            />
            {errors[`settings.${f.name}`] && (
              <span className="error-text small">{errors[`settings.${f.name}`]}</span>
            )}
          </label>
        ))}
        <label className="field">
          <span>
            API token {existing?.hasSecret && <span className="muted">(set — leave empty to keep it)</span>}
          </span>
          <input
            type="password"
            autoComplete="off"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </label>
        {save.error && !Object.keys(errors).length && (
          <p className="error-text" role="alert">
            {save.error.message}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="button" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => test.mutate()}
            disabled={!existing || test.isPending}
            data-testid={`connection-test-${kind}`}
          >
            {test.isPending ? 'Testing…' : 'Test connection'}
          </button>
          {existing && (
            <button
              type="button"
              className="button button--ghost"
              onClick={() =>
                window.confirm(
                  `Read everything from ${sourceLabel(kind)} again? Nothing stored is lost; the sync takes longer.`,
                ) && resync.mutate()
              }
              disabled={resync.isPending}
              data-testid={`connection-resync-${kind}`}
            >
              {resync.isPending ? 'Starting…' : 'Full resync'}
            </button>
          )}
          {existing && (
            <button
              type="button"
              className="button button--danger"
              onClick={() => window.confirm(`Remove the ${sourceLabel(kind)} connection?`) && remove.mutate()}
            >
              Remove
            </button>
          )}
        </div>
        <div aria-live="polite" data-testid={`connection-test-result-${kind}`}>
          {test.data && (
            <p className={test.data.ok ? 'ok-text' : 'error-text'}>
              {test.data.ok ? '✓ ' : '✕ '}
              {test.data.message}
            </p>
          )}
          {resync.data && <p className="ok-text">Full resync queued: everything is read again.</p>}
          {resync.error && <p className="error-text">{resync.error.message}</p>}
          {test.error && (
            <p className="error-text">
              {test.error instanceof ApiError && test.error.status === 404
                ? 'Testing is not available on this server yet.'
                : test.error.message}
            </p>
          )}
        </div>
      </form>
    </section>
  );
}

export function ConnectionsSection({ engagementId }: { engagementId: string }) {
  const connections = useConnections(engagementId);
  if (connections.isPending) return <Loading />;
  if (connections.error) return <ErrorNote error={connections.error} />;
  return (
    <div className="stack">
      <p className="muted">Tokens are write-only: they are stored encrypted and never shown again.</p>
      {CONNECTION_KINDS.map((kind) => (
        <ConnectionForm
          key={kind}
          engagementId={engagementId}
          kind={kind}
          existing={connections.data.find((c) => c.kind === kind)}
        />
      ))}
    </div>
  );
}
