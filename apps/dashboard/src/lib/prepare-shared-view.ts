import type { HealthExplanation, SharedViewDto } from '@pulse/contracts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * The health explanation of a share view, cut to the families the link shares. Anything that does not look like an explanation gives null
 * (the page then shows the KPIs without a headline) rather than a crash.
 */
export function sharedHealth(
  view: Pick<SharedViewDto, 'families'> & { health: unknown },
): HealthExplanation | null {
  const h = view.health;
  if (
    !isRecord(h) ||
    typeof h.status !== 'string' ||
    !Array.isArray(h.breaches) ||
    !Array.isArray(h.warnings) ||
    !Array.isArray(h.entries) ||
    !Array.isArray(h.lines) ||
    !isRecord(h.qualifiers) ||
    !Array.isArray(h.families)
  )
    return null;
  const health = h as unknown as HealthExplanation;
  // Belt and braces: explain only with the families the link shares, whatever the API sends.
  const shared = new Set(view.families);
  const keep = <T extends { family: string }>(xs: readonly T[]) => xs.filter((x) => shared.has(x.family));
  return {
    ...health,
    breaches: keep(health.breaches),
    warnings: keep(health.warnings),
    entries: keep(health.entries),
    families: keep(health.families),
    familiesWithoutData: (health.familiesWithoutData ?? []).filter((f) => shared.has(f)),
  };
}
