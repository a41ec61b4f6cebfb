import { Link } from 'react-router';
import type { HealthExplanation, KpiHealthEntry } from '@pulse/contracts';
import { familyLabel, instant } from '../lib/format';
import { StatusBadge } from './status-badge.component';

function EntryRow({ e, href }: { e: KpiHealthEntry; href?: string }) {
  return (
    <li className="explain__row" data-testid={`health-entry-${e.key}`}>
      <StatusBadge status={e.status} />
      {href ? <a href={href}>{e.label}</a> : <span>{e.label}</span>}
      <span className="explain__sentence">{e.explanation}</span>
    </li>
  );
}

const TITLE = { red: 'Why red?', amber: 'Why amber?', green: 'Why green?', unknown: 'Why no data yet?' };

/**
 * Why the engagement has its status: the API's plain-language lines (the reason first when
 * there is no data), staleness and quiet, and the KPIs behind the score. Never a KPI key.
 */
export function HealthExplanationView({
  health,
  zone,
  anchorFor,
  settingsHref,
}: {
  health: HealthExplanation;
  zone: string;
  anchorFor?: (key: string) => string;
  settingsHref?: string;
}) {
  const scored = health.entries.filter((e) => e.score !== null);
  const ok = scored.filter((e) => e.status === 'ok');
  const labels = new Map(health.entries.map((e) => [e.key, e.label]));
  const q = health.qualifiers;
  return (
    <section className="explain panel" aria-labelledby="explain-title" data-testid="health-explanation">
      <h2 id="explain-title">{TITLE[health.status]}</h2>
      <p data-testid="health-summary">{health.summary}</p>
      {(q.staleSince || q.quiet) && (
        <p className="explain__qualifiers">
          {q.staleSince && (
            <span className="stale-text" data-testid="health-stale">
              Stale since {instant(q.staleSince, zone)}
              {q.staleSources.length > 0 && <> ({q.staleSources.join(', ')})</>}
            </span>
          )}
          {q.quiet && (
            <span className="badge badge--warn" data-testid="health-quiet">
              Quiet: no vendor activity
            </span>
          )}
        </p>
      )}
      {health.lines.length > 0 && (
        <ul className="explain__lines" data-testid="health-lines">
          {health.lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {health.breaches.length > 0 && (
        <>
          <h3 className="explain__h">In breach</h3>
          <ul className="explain__list">
            {health.breaches.map((e) => (
              <EntryRow key={e.key} e={e} href={anchorFor?.(e.key)} />
            ))}
          </ul>
        </>
      )}
      {health.warnings.length > 0 && (
        <>
          <h3 className="explain__h">In warn</h3>
          <ul className="explain__list">
            {health.warnings.map((e) => (
              <EntryRow key={e.key} e={e} href={anchorFor?.(e.key)} />
            ))}
          </ul>
        </>
      )}
      {scored.length > 0 && (
        <details className="explain__more">
          <summary>
            Score by family
            {ok.length > 0 ? ` · ${ok.length} KPI${ok.length === 1 ? '' : 's'} within thresholds` : ''}
          </summary>
          <ul className="explain__families">
            {health.families
              .filter((f) => f.score !== null)
              .map((f) => (
                <li key={f.family}>
                  <strong>{familyLabel(f.family)}</strong>: {Math.round((f.score ?? 0) * 100)} / 100 from{' '}
                  {f.scoredKeys.map((k) => labels.get(k) ?? k).join(', ')}
                </li>
              ))}
          </ul>
          {ok.length > 0 && (
            <ul className="explain__list">
              {ok.map((e) => (
                <EntryRow key={e.key} e={e} href={anchorFor?.(e.key)} />
              ))}
            </ul>
          )}
          <p className="muted small">
            Each KPI with a threshold and enough items scores OK 1, warn ½, breach 0; a family is the mean of
            its KPIs; the score is the mean of families with data × 100. Low samples and KPIs without a
            threshold are shown but not scored.
            {settingsHref && (
              <>
                {' '}
                <Link to={settingsHref}>Edit thresholds</Link>.
              </>
            )}
          </p>
        </details>
      )}
    </section>
  );
}
