import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, NavLink, useNavigate, useParams } from 'react-router';
import type { EngagementDto } from '@pulse/contracts';
import { api } from '../../api/http';
import { ErrorNote, Loading } from '../../components/query-state.component';
import { useEngagement } from '../../hooks/use-engagements.hook';
import { useMembers } from '../../hooks/use-people.hook';
import { useMe } from '../../hooks/use-session.hook';
import { engagementAccess } from '../../lib/engagement-access';
import { useNow } from '../../hooks/use-now.hook';
import { queryKeys } from '../../hooks/query-keys';
import { todayIn } from '../../lib/date-range';
import { ConnectionsSection } from './connections-section.component';
import { MembersSection } from './members-section.component';
import { DigestSection } from './digest-section.component';
import { DetailsForm, initialDetails, type DetailsBody } from './details-form.component';
import { PrivacySection } from './privacy-section.component';
import { RosterSection } from './roster-section.component';
import { ShareLinksSection, UploadTokenSection } from './share-links-section.component';
import { ThresholdsSection } from './thresholds-section.component';

const SECTIONS = [
  { key: 'details', label: 'Details & calendars' },
  { key: 'connections', label: 'Connections' },
  { key: 'roster', label: 'Roster' },
  { key: 'privacy', label: 'Privacy' },
  { key: 'thresholds', label: 'Thresholds' },
  { key: 'sharing', label: 'Share links' },
  { key: 'upload', label: 'Coverage upload' },
  { key: 'members', label: 'Members' },
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
  const me = useMe();
  const members = useMembers(id);
  const now = useNow();
  if (engagement.isPending || !me.data) return <Loading />;
  if (engagement.error) return <ErrorNote error={engagement.error} />;
  const e = engagement.data;
  if (!e.myAccess && me.data.role !== 'admin' && members.isPending) return <Loading />;
  // Read-only people see who has access and nothing they could not save.
  const readOnly = engagementAccess(me.data, members.data, e.myAccess) === 'read';
  const sections = readOnly ? SECTIONS.filter((s) => s.key === 'members') : SECTIONS;
  const current = sections.find((s) => s.key === section) ?? sections[0]!;
  return (
    <div className="page settings" data-testid="settings-page">
      <nav aria-label="Breadcrumb" className="crumbs small">
        <Link to="/">Engagements</Link> / <Link to={`/engagements/${id}`}>{e.name}</Link> /{' '}
        <span aria-current="page">Settings</span>
      </nav>
      <h1>Settings · {e.name}</h1>
      {readOnly && (
        <p className="notice" role="status" data-testid="settings-read-only">
          You can view this engagement but not change its settings. Its owner or an admin can give you editor
          rights.
        </p>
      )}
      <div className="settings__layout">
        <nav aria-label="Settings sections" className="settings__nav">
          {sections.map((s) => (
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
          {current.key === 'roster' &&
            (e.canSeePeople ? (
              <RosterSection engagementId={id} />
            ) : (
              <p className="muted" data-testid="roster-hidden">
                {e.settings.teamLevelOnly
                  ? 'This engagement is team-level only: people are not named here. An admin can see the roster.'
                  : 'Only the engagement’s editors and admins see the roster.'}
              </p>
            ))}
          {current.key === 'privacy' && <PrivacySection engagement={e} />}
          {current.key === 'thresholds' && (
            <ThresholdsSection engagementId={id} today={todayIn(e.reportingTimeZone, now)} />
          )}
          {current.key === 'sharing' && <ShareLinksSection engagementId={id} now={now} />}
          {current.key === 'upload' && <UploadTokenSection engagementId={id} />}
          {current.key === 'members' && (
            <MembersSection engagementId={id} me={me.data} myAccess={e.myAccess} />
          )}
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
