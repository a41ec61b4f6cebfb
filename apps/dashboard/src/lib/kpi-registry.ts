import { KPI_DEFINITIONS, KPI_FAMILIES, type KpiDefinitionMeta, type KpiSeriesDto } from '@pulse/contracts';

export type KpiMeta = Pick<KpiDefinitionMeta, 'family' | 'unit' | 'direction' | 'description'> & {
  key: string;
  label: string;
};

/** Registry lookup: the API's list when it has one, else the bundled catalogue. */
export function buildRegistry(
  fromApi: readonly Partial<KpiDefinitionMeta>[] | null | undefined,
): Map<string, KpiMeta> {
  const map = new Map<string, KpiMeta>();
  for (const d of KPI_DEFINITIONS) map.set(d.key, d);
  for (const d of fromApi ?? []) {
    if (!d.key || !d.family) continue;
    const fallback = map.get(d.key);
    map.set(d.key, {
      key: d.key,
      family: d.family,
      unit: d.unit ?? fallback?.unit ?? 'count',
      direction: d.direction ?? fallback?.direction ?? 'none',
      description: d.description ?? fallback?.description ?? '',
      label: d.label ?? fallback?.label ?? labelFromKey(d.key),
    });
  }
  return map;
}

/** "delivery.pr_cycle_time" → "Pr cycle time" for KPIs the bundle does not know yet. */
export function labelFromKey(key: string): string {
  const name = key.slice(key.indexOf('.') + 1).replace(/_/g, ' ');
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export function kpiLabel(registry: ReadonlyMap<string, KpiMeta>, key: string): string {
  return registry.get(key)?.label ?? labelFromKey(key);
}

export interface FamilyGroup {
  family: string;
  kpis: KpiSeriesDto[];
}

/**
 * Groups the API's KPIs by family in catalogue order; families the API adds later are
 * appended, so new sources show up without a dashboard change.
 */
export function groupByFamily(kpis: readonly KpiSeriesDto[]): FamilyGroup[] {
  const order: string[] = [...KPI_FAMILIES];
  for (const k of kpis) if (!order.includes(k.family)) order.push(k.family);
  return order
    .map((family) => ({ family, kpis: kpis.filter((k) => k.family === family) }))
    .filter((g) => g.kpis.length > 0);
}
