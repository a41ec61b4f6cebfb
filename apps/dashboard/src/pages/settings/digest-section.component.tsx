import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { DigestPreviewDto, DigestRecordDto, DigestSettingsDto } from '@pulse/contracts';
import { api } from '../../api/http';
import { ErrorNote, Loading } from '../../components/query-state.component';
import { StatusBadge } from '../../components/status-badge.component';
import { BlockKitPreview } from './digest-preview.component';

type Audience = 'client' | 'vendor';
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const keys = {
  settings: (id: string) => ['engagement', id, 'digest', 'settings'] as const,
  preview: (id: string, a: Audience) => ['engagement', id, 'digest', 'preview', a] as const,
  history: (id: string) => ['engagement', id, 'digests'] as const,
};

interface SettingsBody {
  clientChannelId: string | null;
  vendorChannelId: string | null;
  weekday: number;
  timeOfDay: string;
  vendorShareLink?: string;
}

function SettingsForm({ engagementId, settings }: { engagementId: string; settings: DigestSettingsDto }) {
  const client = useQueryClient();
  const [clientChannel, setClientChannel] = useState(settings.clientChannelId ?? '');
  const [vendorChannel, setVendorChannel] = useState(settings.vendorChannelId ?? '');
  const [weekday, setWeekday] = useState(settings.weekday);
  const [time, setTime] = useState(settings.timeOfDay);
  const [shareLink, setShareLink] = useState('');
  const save = useMutation({
    mutationFn: (body: SettingsBody) =>
      api<DigestSettingsDto>(`/api/engagements/${engagementId}/digest/settings`, { method: 'PUT', body }),
    onSuccess: (saved) => {
      client.setQueryData(keys.settings(engagementId), saved);
      setShareLink('');
      void client.invalidateQueries({ queryKey: ['engagement', engagementId, 'digest', 'preview'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      clientChannelId: clientChannel.trim() || null,
      vendorChannelId: vendorChannel.trim() || null,
      weekday,
      timeOfDay: time,
      ...(shareLink.trim() ? { vendorShareLink: shareLink.trim() } : {}),
    });
  };
  return (
    <form onSubmit={submit} className="panel form" data-testid="digest-settings-form">
      {!settings.slackConnected && (
        <p className="note">Connect Slack (Connections) first: the digest is posted with its bot token.</p>
      )}
      <div className="row">
        <label className="field">
          <span>Client channel id (all KPIs, people's names; empty = off)</span>
          <input
            value={clientChannel}
            onChange={(e) => setClientChannel(e.target.value)}
            placeholder="C0123ABCD"
            data-testid="digest-client-channel"
          />
        </label>
        <label className="field">
          <span>Vendor channel id (shared families only; empty = off)</span>
          <input
            value={vendorChannel}
            onChange={(e) => setVendorChannel(e.target.value)}
            placeholder="C0456EFGH"
            data-testid="digest-vendor-channel"
          />
        </label>
      </div>
      <div className="row">
        <label className="field">
          <span>Day</span>
          <select
            value={weekday}
            onChange={(e) => setWeekday(Number(e.target.value))}
            data-testid="digest-weekday"
          >
            {WEEKDAYS.map((d, i) => (
              <option key={d} value={i + 1}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Time ({settings.reportingTimeZone})</span>
          <input
            type="time"
            value={time}
            onChange={(e) => setTime(e.target.value)}
            required
            data-testid="digest-time"
          />
        </label>
      </div>
      <label className="field">
        <span>
          Vendor share link for the vendor digest's button{' '}
          {settings.vendorShareLinkSet
            ? settings.vendorShareLinkValid
              ? '(set and valid; paste another to replace it)'
              : '(set, but revoked or expired: paste a new one)'
            : '(none)'}
        </span>
        <input
          value={shareLink}
          onChange={(e) => setShareLink(e.target.value)}
          placeholder="https://…/share/…"
          data-testid="digest-share-link"
        />
      </label>
      <button type="submit" className="button" disabled={save.isPending}>
        Save digest settings
      </button>
      {save.isSuccess && <span className="muted"> Saved.</span>}
      {save.error && <ErrorNote error={save.error} />}
    </form>
  );
}

function Preview({ engagementId, onSent }: { engagementId: string; onSent: () => void }) {
  const client = useQueryClient();
  const [audience, setAudience] = useState<Audience>('client');
  const preview = useQuery({
    queryKey: keys.preview(engagementId, audience),
    queryFn: () =>
      api<DigestPreviewDto>(`/api/engagements/${engagementId}/digest/preview?audience=${audience}`),
    retry: false,
  });
  const send = useMutation({
    mutationFn: () =>
      api<{ jobId: string }>(`/api/engagements/${engagementId}/digest/send`, {
        method: 'POST',
        body: { audience },
      }),
    onSuccess: () => {
      onSent();
      void client.invalidateQueries({ queryKey: keys.history(engagementId) });
    },
  });
  return (
    <div className="panel" data-testid="digest-preview-panel">
      <div className="row">
        <h3>Preview ({preview.data?.isoWeek ?? 'this week'})</h3>
        <div role="group" aria-label="Audience">
          {(['client', 'vendor'] as const).map((a) => (
            <button
              key={a}
              type="button"
              className={`button button--small${a === audience ? ' active' : ''}`}
              aria-pressed={a === audience}
              onClick={() => setAudience(a)}
              data-testid={`digest-audience-${a}`}
            >
              {a === 'client' ? 'Client' : 'Vendor'}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="button"
          onClick={() => send.mutate()}
          disabled={send.isPending}
          data-testid="digest-send-now"
        >
          Send now
        </button>
      </div>
      {send.isSuccess && <p className="muted">Queued: see the history below.</p>}
      {send.error && <ErrorNote error={send.error} />}
      {preview.isPending && <Loading />}
      {preview.error && <ErrorNote error={preview.error} />}
      {preview.data && (
        <>
          <BlockKitPreview blocks={preview.data.blocks} />
          <details>
            <summary>Block Kit JSON</summary>
            <pre className="small" data-testid="digest-json">
              {JSON.stringify({ text: preview.data.text, blocks: preview.data.blocks }, null, 2)}
            </pre>
          </details>
        </>
      )}
    </div>
  );
}

/** After "send now", the worker posts within seconds: look again until then. */
const WATCH_AFTER_SEND_MS = 60_000;

function History({ engagementId, sentAt }: { engagementId: string; sentAt: number | null }) {
  const history = useQuery({
    queryKey: keys.history(engagementId),
    queryFn: () => api<DigestRecordDto[]>(`/api/engagements/${engagementId}/digests`),
    retry: false,
    refetchInterval: (q) =>
      (q.state.data?.some((d) => d.status === 'pending') ?? false) ||
      (sentAt !== null && Date.now() - sentAt < WATCH_AFTER_SEND_MS)
        ? 1500
        : false,
  });
  const { refetch } = history;
  if (history.isPending) return <Loading />;
  if (history.error) return <ErrorNote error={history.error} />;
  return (
    <div className="panel">
      <div className="row">
        <h3>History</h3>
        <button type="button" className="button button--small" onClick={() => void refetch()}>
          Refresh
        </button>
      </div>
      {history.data.length === 0 ? (
        <p className="muted">No digest sent yet.</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="digest-history">
            <thead>
              <tr>
                <th>Week</th>
                <th>Audience</th>
                <th>Channel</th>
                <th>Status</th>
                <th>Problem and what to do</th>
              </tr>
            </thead>
            <tbody>
              {history.data.map((d) => (
                <tr key={d.id}>
                  <td>
                    {d.isoWeek}
                    {d.manual ? ' (sent now)' : ''}
                  </td>
                  <td>{d.audience}</td>
                  <td>{d.channelId}</td>
                  <td>
                    <StatusBadge
                      status={d.status === 'failed' ? 'breach' : d.status === 'pending' ? 'no_data' : 'ok'}
                      label={d.status}
                    />
                  </td>
                  <td>{d.errorMessage ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function DigestSection({ engagementId }: { engagementId: string }) {
  const [sentAt, setSentAt] = useState<number | null>(null);
  const settings = useQuery({
    queryKey: keys.settings(engagementId),
    queryFn: () => api<DigestSettingsDto>(`/api/engagements/${engagementId}/digest/settings`),
    retry: false,
  });
  if (settings.isPending) return <Loading />;
  if (settings.error) return <ErrorNote error={settings.error} />;
  return (
    <div className="stack">
      <p className="muted">
        Once a week Pulse posts this engagement's health to Slack: the client channel gets every KPI family
        and names, the vendor channel only what its share link shows. <code>/pulse status</code> in either
        channel shows the same summary on demand.
      </p>
      <SettingsForm engagementId={engagementId} settings={settings.data} />
      <Preview engagementId={engagementId} onSent={() => setSentAt(Date.now())} />
      <History engagementId={engagementId} sentAt={sentAt} />
    </div>
  );
}
