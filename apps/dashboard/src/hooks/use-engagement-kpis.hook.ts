import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { EngagementKpisDto } from '@pulse/contracts';
import { groupByFamily } from '../lib/kpi-registry';
import { hasAnyData, prepareKpiChart, summarizeKpi } from '../lib/prepare-kpi-chart';
import { kpisQuery } from './page-queries';
import type { DateRange } from '../lib/date-range';

export function prepareBoard(dto: EngagementKpisDto) {
  return groupByFamily(dto.kpis).map((group) => {
    const withData = group.kpis.filter(hasAnyData);
    return {
      family: group.family,
      kpis: withData.map((kpi) => ({ kpi, chart: prepareKpiChart(kpi), summary: summarizeKpi(kpi) })),
      // Gaps are listed with the API's reason ("… has no data over the last 28 days: GitHub
      // sync failed 2 h ago: host not found"), never drawn as zeros.
      withoutData: group.kpis
        .filter((k) => !hasAnyData(k))
        .map((k) => ({ key: k.key, label: k.label, explanation: k.current.explanation })),
    };
  });
}

export type KpiBoard = ReturnType<typeof prepareBoard>;

/** KPIs of one engagement over a range, prepared per family for the board. */
export function useEngagementKpis(id: string, range: DateRange) {
  const query = useQuery({
    ...kpisQuery(id, range),
    placeholderData: keepPreviousData,
  });
  const board = useMemo(() => (query.data ? prepareBoard(query.data) : null), [query.data]);
  return { ...query, board };
}
