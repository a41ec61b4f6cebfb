import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import type { EngagementKpisDto, KpiSeriesDto, ThresholdDto } from '@pulse/contracts';
import { api, withQuery } from '../../api/http';
import { ErrorNote, Loading } from '../../components/query-state.component';
import { StatusBadge, StatusIcon, statusText } from '../../components/status-badge.component';
import { useKpiRegistry } from '../../hooks/use-kpi-registry.hook';
import { queryKeys } from '../../hooks/query-keys';
import { resolveRange } from '../../lib/date-range';
import { familyLabel, formatValue, shortDate, unitSuffix } from '../../lib/format';
import { kpiLabel } from '../../lib/kpi-registry';
import type { ThresholdRow } from '../../lib/threshold-text';
import { previewThresholds, validateDraft, type ThresholdDraft } from '../../lib/threshold-preview';

const text = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? '' : String(v);

function ThresholdsEditor({ engagementId, kpis }: { engagementId: string; kpis: KpiSeriesDto[] }) {
  const client = useQueryClient();
  const registry = useKpiRegistry();
  const editable = useMemo(() => kpis.filter((k) => k.direction !== 'none'), [kpis]);
  const [drafts, setDrafts] = useState<Record<string, ThresholdDraft>>(() =>
    Object.fromEntries(
      editable.map((k) => [k.key, { warn: text(k.threshold?.warn), breach: text(k.threshold?.breach) }]),
    ),
  );
  const validated = useMemo(
    () =>
      new Map(
        editable.map((k) => [k.key, validateDraft(drafts[k.key] ?? { warn: '', breach: '' }, k.direction)]),
      ),
    [drafts, editable],
  );
  const changed = useMemo(() => {
    const m = new Map<string, ThresholdRow>();
    for (const k of editable) {
      const v = validated.get(k.key);
      if (!v || v.error) continue;
      const before = { warn: k.threshold?.warn ?? null, breach: k.threshold?.breach ?? null };
      const after = v.row ?? { warn: null, breach: null };
      if (before.warn !== after.warn || before.breach !== after.breach) m.set(k.key, after);
    }
    return m;
  }, [validated, editable]);
  const preview = useMemo(() => previewThresholds(kpis, changed, 12), [kpis, changed]);
  const hasErrors = [...validated.values()].some((v) => v.error);

  const save = useMutation({
    mutationFn: () =>
      api<ThresholdDto[]>(`/api/engagements/${engagementId}/thresholds`, {
        method: 'PUT',
        body: {
          thresholds: editable.map((k) => {
            const row = validated.get(k.key)?.row ?? null;
            return { kpiKey: k.key, warn: row?.warn ?? null, breach: row?.breach ?? null };
          }),
        },
      }),
    onSuccess: () =>
      client.invalidateQueries({
        predicate: (q) => q.queryKey[0] === 'engagement' && q.queryKey[1] === engagementId,
      }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!hasErrors) save.mutate();
  };

  const families = [...new Set(editable.map((k) => k.family))];
  return (
    <form onSubmit={submit} className="stack" data-testid="thresholds-form">
      <section className="panel preview" aria-labelledby="preview-title" data-testid="threshold-preview">
        <h3 id="preview-title">Last 12 weeks, rated with these thresholds</h3>
        <ol className="preview__weeks">
          {preview.weeks.map((w) => (
            <li key={w.weekStart} className={`preview__week${w.before !== w.after ? ' is-changed' : ''}`}>
              <span className="small muted">{shortDate(w.weekStart)}</span>
              <span
                className={`preview__cell tone-${w.after}`}
                title={`${statusText(w.after)}, score ${w.scoreAfter ?? '—'}`}
              >
                <StatusIcon status={w.after} />
                <span className="small">{w.scoreAfter ?? '—'}</span>
              </span>
              {w.before !== w.after && (
                <span className="small muted">was {statusText(w.before).toLowerCase()}</span>
              )}
            </li>
          ))}
        </ol>
        <p className="small" aria-live="polite" data-testid="threshold-preview-summary">
          {changed.size === 0
            ? 'Edit a threshold to see how past weeks would have been rated.'
            : `${changed.size} KPI${changed.size === 1 ? '' : 's'} changed · ${preview.changedWeeks} of ${preview.weeks.length} weeks would change status, ${preview.weeks.filter((w) => w.scoreBefore !== w.scoreAfter).length} would change score.`}
        </p>
      </section>
      {families.map((family) => (
        <fieldset key={family} className="fieldset">
          <legend>{familyLabel(family)}</legend>
          <div className="table-wrap">
            <table className="edit-table thresholds">
              <thead>
                <tr>
                  <th scope="col">KPI</th>
                  <th scope="col">Better</th>
                  <th scope="col">Warn</th>
                  <th scope="col">Breach</th>
                  <th scope="col">Latest weeks with these values</th>
                </tr>
              </thead>
              <tbody>
                {editable
                  .filter((k) => k.family === family)
                  .map((k) => {
                    const label = kpiLabel(registry, k.key);
                    const v = validated.get(k.key);
                    const perKpi = preview.perKpi.get(k.key);
                    const unit = unitSuffix(k.unit);
                    const errId = `thr-err-${k.key.replace(/\W/g, '-')}`;
                    return (
                      <tr key={k.key} data-testid={`threshold-row-${k.key}`}>
                        <th scope="row">{label}</th>
                        <td className="small">{k.direction === 'lower' ? 'lower' : 'higher'}</td>
                        {(['warn', 'breach'] as const).map((side) => (
                          <td key={side}>
                            <span className="input-unit">
                              <input
                                inputMode="decimal"
                                aria-label={`${label} ${side} threshold${unit ? ` (${unit})` : ''}`}
                                value={drafts[k.key]?.[side] ?? ''}
                                onChange={(e) =>
                                  setDrafts({
                                    ...drafts,
                                    [k.key]: { ...drafts[k.key]!, [side]: e.target.value },
                                  })
                                }
                                aria-invalid={!!v?.error}
                                aria-describedby={v?.error ? errId : undefined}
                                data-testid={`threshold-${side}-${k.key}`}
                              />
                              {unit && <span className="muted small">{unit}</span>}
                            </span>
                          </td>
                        ))}
                        <td>
                          {v?.error ? (
                            <span className="error-text small" id={errId}>
                              {v.error}
                            </span>
                          ) : perKpi ? (
                            <span
                              className="mini-strip"
                              aria-label={`${label} per week with the new thresholds`}
                            >
                              {perKpi.map((p) => (
                                <span
                                  key={p.weekStart}
                                  title={`${shortDate(p.weekStart)}: ${formatValue(p.value, k.unit)} → ${statusText(p.after)}`}
                                >
                                  <StatusIcon status={p.after} size={12} />
                                </span>
                              ))}
                            </span>
                          ) : (
                            <span className="muted small">—</span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </div>
        </fieldset>
      ))}
      <p className="muted small">
        Leave both boxes empty for no threshold (the KPI is then shown but not scored).
      </p>
      {save.error && <ErrorNote error={save.error} />}
      {save.isSuccess && !changed.size && (
        <p className="ok-text" role="status" data-testid="thresholds-saved">
          Thresholds saved; statuses are re-rated.
        </p>
      )}
      <div className="button-row sticky-actions">
        <button
          type="submit"
          className="button"
          disabled={save.isPending || hasErrors}
          data-testid="thresholds-save"
        >
          {save.isPending ? 'Saving…' : 'Save thresholds'}
        </button>
        {changed.size > 0 && (
          <StatusBadge
            status="warn"
            label={`${changed.size} unsaved change${changed.size === 1 ? '' : 's'}`}
          />
        )}
      </div>
    </form>
  );
}

export function ThresholdsSection({ engagementId, today }: { engagementId: string; today: string }) {
  const range = resolveRange('12', today).range;
  const kpis = useQuery({
    queryKey: queryKeys.kpis(engagementId, range.from, range.to),
    queryFn: () => api<EngagementKpisDto>(withQuery(`/api/engagements/${engagementId}/kpis`, { ...range })),
  });
  if (kpis.isPending) return <Loading />;
  if (kpis.error) return <ErrorNote error={kpis.error} />;
  // Keyed by computedAt so a save (which re-fetches) resets the drafts to what is stored.
  return (
    <ThresholdsEditor
      key={kpis.data.computedAt ?? 'none'}
      engagementId={engagementId}
      kpis={kpis.data.kpis}
    />
  );
}
