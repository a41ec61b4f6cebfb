import { Link } from 'react-router';
import type { HealthExplanation, KpiHealthEntry } from '@pulse/contracts';
import { familyLabel, formatValue } from '../lib/format';
import { kpiLabel, type KpiMeta } from '../lib/kpi-registry';
import { thresholdText } from '../lib/kpi-status';
import { StatusBadge } from './status-badge.component';

function EntryRow({
  e,
  registry,
  href,
}: {
  e: KpiHealthEntry;
  registry: ReadonlyMap<string, KpiMeta>;
  href?: string;
}) {
  const label = kpiLabel(registry, e.key);
  return (
    <li className="explain__row" data-testid={`health-entry-${e.key}`}>
      <StatusBadge status={e.status} />
      {href ? <a href={href}>{label}</a> : <span>{label}</span>}
      <span>
        {formatValue(e.value, e.unit)} <span className="muted">(n = {e.n})</span>
      </span>
      <span className="muted">{thresholdText(e.threshold, e.direction, (v) => formatValue(v, e.unit))}</span>
    </li>
  );
}

/** Why the engagement has its status and score: the KPIs, values and thresholds behind it. */
export function HealthExplanationView({
  health,
  registry,
  anchorFor,
  settingsHref,
}: {
  health: HealthExplanation;
  registry: ReadonlyMap<string, KpiMeta>;
  anchorFor?: (key: string) => string;
  settingsHref?: string;
}) {
  const scored = health.entries.filter((e) => e.score !== null);
  const ok = scored.filter((e) => e.status === 'ok');
  return (
    <section className="explain panel" aria-labelledby="explain-title" data-testid="health-explanation">
      <h2 id="explain-title">Why {health.status === 'unknown' ? 'unknown' : health.status}?</h2>
      <p data-testid="health-summary">{health.summary}</p>
      {health.breaches.length > 0 && (
        <>
          <h3 className="explain__h">In breach</h3>
          <ul className="explain__list">
            {health.breaches.map((e) => (
              <EntryRow key={e.key} e={e} registry={registry} href={anchorFor?.(e.key)} />
            ))}
          </ul>
        </>
      )}
      {health.warnings.length > 0 && (
        <>
          <h3 className="explain__h">In warn</h3>
          <ul className="explain__list">
            {health.warnings.map((e) => (
              <EntryRow key={e.key} e={e} registry={registry} href={anchorFor?.(e.key)} />
            ))}
          </ul>
        </>
      )}
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
                {f.scoredKeys.map((k) => kpiLabel(registry, k)).join(', ')}
              </li>
            ))}
        </ul>
        {ok.length > 0 && (
          <ul className="explain__list">
            {ok.map((e) => (
              <EntryRow key={e.key} e={e} registry={registry} href={anchorFor?.(e.key)} />
            ))}
          </ul>
        )}
        <p className="muted small">
          Each KPI with a threshold scores OK 1, warn ½, breach 0; a family is the mean of its KPIs; the score
          is the mean of families with data × 100.
          {settingsHref && (
            <>
              {' '}
              <Link to={settingsHref}>Edit thresholds</Link>.
            </>
          )}
        </p>
      </details>
      {health.familiesWithoutData.length > 0 && (
        <p className="muted small" data-testid="families-without-data">
          Left out of the score (no data): {health.familiesWithoutData.map(familyLabel).join(', ')}.
        </p>
      )}
    </section>
  );
}
