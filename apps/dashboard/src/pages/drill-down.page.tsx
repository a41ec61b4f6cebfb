import { useNavigate, useParams, useSearchParams } from 'react-router';
import { DrillBody } from '../components/drill-table.component';
import { DrillDrawer } from '../components/drill-drawer.component';
import { useEngagement } from '../hooks/use-engagements.hook';
import { useDrillDown } from '../hooks/use-drill-down.hook';
import { isIsoDate } from '../lib/date-range';
import { shortDate } from '../lib/format';
import { kpiLabel } from '../lib/kpi-registry';
import { useKpiRegistry } from '../hooks/use-kpi-registry.hook';

/** The items behind a KPI value (the card's trailing window, or one clicked week), over the page. */
export function DrillDownPage() {
  const { id = '', key = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const registry = useKpiRegistry();
  const engagement = useEngagement(id);
  const zone = engagement.data?.reportingTimeZone ?? 'UTC';
  const week = isIsoDate(params.get('week')) ? params.get('week') : null;
  const q = useDrillDown(`/api/engagements/${id}`, key, week, zone);
  const back = new URLSearchParams(params);
  back.delete('week');
  const close = () =>
    navigate(`/engagements/${id}${back.toString() ? `?${back}` : ''}`, {
      replace: true,
      preventScrollReset: true,
    });
  const windowText = q.data?.window.label ?? (week ? `week of ${shortDate(week)}` : 'last 28 days');
  return (
    <DrillDrawer
      title={q.data?.label ?? kpiLabel(registry, key)}
      subtitle={windowText.charAt(0).toUpperCase() + windowText.slice(1)}
      onClose={close}
    >
      <DrillBody query={q} zone={zone} />
    </DrillDrawer>
  );
}
