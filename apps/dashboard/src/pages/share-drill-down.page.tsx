import { useNavigate, useParams, useSearchParams } from 'react-router';
import { DrillBody } from '../components/drill-table.component';
import { DrillDrawer } from '../components/drill-drawer.component';
import { useDrillDown } from '../hooks/use-drill-down.hook';
import { useSharedView } from '../hooks/use-share.hook';
import { isIsoDate } from '../lib/date-range';
import { shortDate } from '../lib/format';

/** The items behind a shared KPI value, read-only, over the vendor's page. */
export function ShareDrillDownPage() {
  const { token = '', key = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  // Already loaded by the share page this route is nested in.
  const shared = useSharedView(token);
  const zone = shared.data?.engagement.reportingTimeZone ?? 'UTC';
  const week = isIsoDate(params.get('week')) ? params.get('week') : null;
  // The token is the credential: a 401 here is no expired session.
  const q = useDrillDown(`/api/share/${encodeURIComponent(token)}`, key, week, zone, true);
  const close = () =>
    navigate(`/share/${encodeURIComponent(token)}`, { replace: true, preventScrollReset: true });
  const label = shared.data?.kpis.kpis.find((k) => k.key === key)?.label ?? 'Items';
  const windowText = q.data?.window.label ?? (week ? `week of ${shortDate(week)}` : 'last 28 days');
  return (
    <DrillDrawer
      title={q.data?.label ?? label}
      subtitle={windowText.charAt(0).toUpperCase() + windowText.slice(1)}
      onClose={close}
    >
      <DrillBody
        query={q}
        zone={zone}
        notSharedText="The items behind this KPI are not shared on this link."
      />
    </DrillDrawer>
  );
}
