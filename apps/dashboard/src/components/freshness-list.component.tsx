import { Link } from 'react-router';
import type { Freshness } from '../lib/prepare-portfolio-card';

const ICON: Record<Freshness['tone'], string> = { ok: '●', stale: '◐', error: '▲', pending: '○' };

export function FreshnessList({
  items,
  settingsHref,
}: {
  items: readonly Freshness[];
  settingsHref?: string;
}) {
  if (!items.length) return <p className="muted small">No sources connected yet.</p>;
  return (
    <ul className="freshness" aria-label="Data freshness" data-testid="freshness">
      {items.map((f) => (
        <li
          key={f.kind}
          className={`freshness__item freshness__item--${f.tone}`}
          data-testid={`freshness-${f.kind}`}
        >
          <span aria-hidden="true" className="freshness__icon">
            {ICON[f.tone]}
          </span>
          {f.needsAction && settingsHref ? <Link to={settingsHref}>{f.text}</Link> : <span>{f.text}</span>}
        </li>
      ))}
    </ul>
  );
}
