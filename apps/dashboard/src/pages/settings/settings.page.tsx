import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, NavLink, useNavigate, useParams } from 'react-router';
import type { EngagementDto } from '@pulse/contracts';
import { api } from '../../api/http';
import { ErrorNote, Loading } from '../../components/query-state.component';
import { useEngagement } from '../../hooks/use-engagements.hook';
import { useNow } from '../../hooks/use-now.hook';
import { queryKeys } from '../../hooks/query-keys';
import { todayIn } from '../../lib/date-range';
import { ConnectionsSection } from './connections-section.component';
import { DigestSection } from './digest-section.component';
import { DetailsForm, initialDetails, type DetailsBody } from './details-form.component';
import { RosterSection } from './roster-section.component';
import { ShareLinksSection, UploadTokenSection } from './share-links-section.component';
import { ThresholdsSection } from './thresholds-section.component';

const SECTIONS = [
  { key: 'details', label: 'Details & calendars' },
  { key: 'connections', label: 'Connections' },
  { key: 'roster', label: 'Roster' },
  { key: 'thresholds', label: 'Thresholds' },
  { key: 'sharing', label: 'Share links' },
  { key: 'upload', label: 'Coverage upload' },
  { key: 'digest', label: 'Slack digest' },
] as const;

function DetailsSection({ engagement }: { engagement: EngagementDto }) {
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (body: DetailsBody) =>
      api<EngagementDto>(`/api/engagements/${engagement.id}`, { method: 'PATCH', body }),
    onSuccess: (saved) => {
      client.setQueryData(queryKeys.engagement(engagement.id), saved);
      void client.invalidateQueries({ queryKey: queryKeys.engagements });
    },
  });
  return (
    <DetailsForm
      initial={initialDetails(engagement)}
      submitLabel="Save details"
      onSubmit={(b) => save.mutate(b)}
      pending={save.isPending}
      error={save.error}
      saved={save.isSuccess}
    />
  );
}

export function SettingsPage() {
  const { id = '', section = 'details' } = useParams();
  const engagement = useEngagement(id);
  const now = useNow();
  if (engagement.isPending) return <Loading />;
  if (engagement.error) return <ErrorNote error={engagement.error} />;
  const e = engagement.data;
  const current = SECTIONS.find((s) => s.key === section) ?? SECTIONS[0];
  return (
    <div className="page settings" data-testid="settings-page">
      <nav aria-label="Breadcrumb" className="crumbs small">
        <Link to="/">Engagements</Link> / <Link to={`/engagements/${id}`}>{e.name}</Link> /{' '}
        <span aria-current="page">Settings</span>
      </nav>
      <h1>Settings · {e.name}</h1>
      <div className="settings__layout">
        <nav aria-label="Settings sections" className="settings__nav">
          {SECTIONS.map((s) => (
            <NavLink
              key={s.key}
              to={`/engagements/${id}/settings/${s.key}`}
              data-testid={`settings-tab-${s.key}`}
              aria-current={s.key === current.key ? 'page' : undefined}
              className={s.key === current.key ? 'active' : undefined}
            >
              {s.label}
            </NavLink>
          ))}
        </nav>
        <section className="settings__body" aria-labelledby="section-title">
          <h2 id="section-title">{current.label}</h2>
          {current.key === 'details' && <DetailsSection engagement={e} />}
          {current.key === 'connections' && <ConnectionsSection engagementId={id} />}
          {current.key === 'roster' && <RosterSection engagementId={id} />}
          {current.key === 'thresholds' && (
            <ThresholdsSection engagementId={id} today={todayIn(e.reportingTimeZone, now)} />
          )}
          {current.key === 'sharing' && <ShareLinksSection engagementId={id} now={now} />}
          {current.key === 'upload' && <UploadTokenSection engagementId={id} />}
          {current.key === 'digest' && <DigestSection engagementId={id} />}
        </section>
      </div>
    </div>
  );
}

export function NewEngagementPage() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: (body: DetailsBody) => api<EngagementDto>('/api/engagements', { method: 'POST', body }),
    onSuccess: (created) => {
      void client.invalidateQueries({ queryKey: queryKeys.engagements });
      navigate(`/engagements/${created.id}/settings/connections`);
    },
  });
  return (
    <div className="page settings">
      <nav aria-label="Breadcrumb" className="crumbs small">
        <Link to="/">Engagements</Link> / <span aria-current="page">New</span>
      </nav>
      <h1>New engagement</h1>
      <p className="muted">Next you connect its GitHub, Jira and Slack.</p>
      <DetailsForm
        initial={initialDetails()}
        submitLabel="Create engagement"
        onSubmit={(b) => create.mutate(b)}
        pending={create.isPending}
        error={create.error}
      />
    </div>
  );
}
