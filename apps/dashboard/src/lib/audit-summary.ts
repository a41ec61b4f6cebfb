// One line per audit event's `summary` ({ role: { from, to } } → "role: manager → admin"),
// so the table reads as sentences rather than JSON.
function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value)) return value.map(show).join(', ');
  return JSON.stringify(value);
}

function isChange(value: unknown): value is { from: unknown; to: unknown } {
  return typeof value === 'object' && value !== null && 'from' in value && 'to' in value;
}

export function auditSummaryText(summary: Record<string, unknown>): string {
  return Object.entries(summary)
    .map(([key, value]) =>
      isChange(value) ? `${key}: ${show(value.from)} → ${show(value.to)}` : `${key}: ${show(value)}`,
    )
    .join('; ');
}
