import { useEffect } from 'react';
import { Link } from 'react-router';
import { ErrorNote, Loading } from '../components/query-state.component';
import { FreshnessList } from '../components/freshness-list.component';
import { Sparkline } from '../components/sparkline.component';
import { StatusBadge, statusText } from '../components/status-badge.component';
import { useEngagements } from '../hooks/use-engagements.hook';
import { useNow } from '../hooks/use-now.hook';
import { usePortfolio, type PortfolioEntry } from '../hooks/use-portfolio.hook';
import { useMe } from '../hooks/use-session.hook';
import { shortDate } from '../lib/format';
import { EngagementPage } from './lazy-pages';

function sparklineLabel(entry: PortfolioEntry): string {
  if (!entry.weeks.length) return 'No weekly scores yet';
  const parts = entry.weeks.map((w) => `${shortDate(w.weekStart)}: ${w.score ?? 'no data'}`);
  return `Health score, last ${entry.weeks.length} weeks. ${parts.join(', ')}`;
}

function EngagementCard({ entry }: { entry: PortfolioEntry }) {
  const e = entry.engagement;
  const href = `/engagements/${e.id}`;
  return (
    <li
      className={`card card--${entry.status}`}
      data-testid="engagement-card"
      data-engagement-id={e.id}
      data-status={entry.status}
    >
      <div className="card__top">
        <h2 className="card__title">
          <Link to={href} className="card__link" data-testid="engagement-link">
            {e.name}
          </Link>
        </h2>
        <StatusBadge
          status={entry.status}
          size="lg"
          label={entry.status === 'unknown' && !entry.loading ? 'No data yet' : undefined}
        />
      </div>
      <p className="muted small card__vendor">{e.vendorName}</p>
      {entry.error ? (
        <ErrorNote error={entry.error} />
      ) : entry.status === 'unknown' && !entry.loading ? (
        // No data is never a score: say why instead.
        <div className="card__nodata" data-testid="engagement-no-data">
          <strong>No data yet</strong>
          <ul className="small">
            {entry.lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      ) : (
        <div className="card__score">
          <div>
            <span className="card__score-value" data-testid="engagement-score">
              {entry.loading ? '…' : (entry.score ?? '—')}
            </span>
            <span className="muted small"> / 100</span>
          </div>
          <Sparkline values={entry.sparkline} label={sparklineLabel(entry)} />
        </div>
      )}
      <span className="sr-only" data-testid="engagement-status-text">
        Status {entry.status === 'unknown' ? 'no data yet' : statusText(entry.status)}
      </span>
      {(entry.staleText || entry.quiet) && (
        <p className="small card__qualifiers">
          {entry.quiet && <span className="badge badge--warn">Quiet: no vendor activity</span>}{' '}
          {entry.staleText && (
            <span className="stale-text" data-testid="engagement-stale">
              {entry.staleText.charAt(0).toUpperCase() + entry.staleText.slice(1)}
            </span>
          )}
        </p>
      )}
      {entry.worst.length > 0 ? (
        <ul className="card__worst" aria-label="Worst KPIs" data-testid="worst-kpis">
          {entry.worst.map((w) => (
            <li key={w.key}>
              <StatusBadge status={w.status} />
              <span>
                <strong>{w.label}</strong> {w.valueText} <span className="muted">({w.thresholdText})</span>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        !entry.loading &&
        entry.status !== 'unknown' && <p className="small muted card__worst-none">{entry.summary}.</p>
      )}
      <FreshnessList items={entry.freshness} settingsHref={`${href}/settings/connections`} />
    </li>
  );
}

export function PortfolioPage() {
  const engagements = useEngagements();
  const me = useMe();
  // Viewers read what they are a member of and create nothing.
  const canCreate = me.data?.role === 'admin' || me.data?.role === 'manager';
  const now = useNow();
  const entries = usePortfolio(engagements.data, now);
  const counts = { red: 0, amber: 0, green: 0, unknown: 0 };
  for (const e of entries) counts[e.status] += 1;
  // Once there is an engagement to open, fetch its page's code: the click then shows it at once.
  const listed = entries.length > 0;
  useEffect(() => {
    if (listed) EngagementPage.preload().catch(() => undefined);
  }, [listed]);
  return (
    <div className="page">
      <div className="page__head">
        <div>
          <h1>Engagements</h1>
          {entries.length > 0 && (
            <p className="muted" data-testid="portfolio-summary">
              {counts.red} red · {counts.amber} amber · {counts.green} green
              {counts.unknown ? ` · ${counts.unknown} no data yet` : ''} — worst first
            </p>
          )}
        </div>
        {canCreate && (
          <Link to="/engagements/new" className="button button--ghost" data-testid="new-engagement">
            New engagement
          </Link>
        )}
      </div>
      {engagements.isPending && <Loading />}
      {engagements.error && <ErrorNote error={engagements.error} />}
      {engagements.data?.length === 0 && (
        <div className="panel empty">
          <p>No engagements yet.</p>
          {canCreate ? (
            <Link to="/engagements/new" className="button">
              Set up the first engagement
            </Link>
          ) : (
            <p className="muted">Ask an engagement's owner or an admin to add you as a member.</p>
          )}
        </div>
      )}
      <ul className="cards" data-testid="engagement-cards">
        {entries.map((entry) => (
          <EngagementCard key={entry.engagement.id} entry={entry} />
        ))}
      </ul>
    </div>
  );
}
