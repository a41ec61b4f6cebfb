import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EngagementDto } from '@pulse/contracts';
import { api } from '../../api/http';
import { ErrorNote } from '../../components/query-state.component';
import { queryKeys } from '../../hooks/query-keys';
import { dateTime } from '../../lib/format';

/** Team-level only and the retention window (docs/privacy.md). */
export function PrivacySection({ engagement }: { engagement: EngagementDto }) {
  const client = useQueryClient();
  const [teamLevelOnly, setTeamLevelOnly] = useState(engagement.settings.teamLevelOnly);
  const [months, setMonths] = useState(String(engagement.settings.retentionMonths));
  const save = useMutation({
    mutationFn: () =>
      api<EngagementDto>(`/api/engagements/${engagement.id}`, {
        method: 'PATCH',
        body: { settings: { teamLevelOnly, retentionMonths: Number(months) } },
      }),
    onSuccess: (saved) => {
      client.setQueryData(queryKeys.engagement(engagement.id), saved);
      void client.invalidateQueries({ queryKey: ['engagement', engagement.id] });
      void client.invalidateQueries({ queryKey: queryKeys.engagements });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} data-testid="privacy-form">
      <label className="check check--standalone">
        <input
          type="checkbox"
          checked={teamLevelOnly}
          onChange={(e) => setTeamLevelOnly(e.target.checked)}
          data-testid="privacy-team-level-only"
        />
        Team-level only: name nobody in drill-downs, the roster or unassigned identities (admins still can)
      </label>
      <label className="field">
        <span>Keep raw records for (months)</span>
        <input
          type="number"
          min={1}
          max={120}
          value={months}
          onChange={(e) => setMonths(e.target.value)}
          data-testid="privacy-retention-months"
        />
      </label>
      <p className="muted small" data-testid="privacy-kept-from">
        Data is kept from {dateTime(engagement.dataKeptFrom, engagement.reportingTimeZone)}; older records are
        deleted daily.
      </p>
      {save.error && <ErrorNote error={save.error} />}
      <button type="submit" className="button" disabled={save.isPending} data-testid="privacy-save">
        {save.isPending ? 'Saving…' : 'Save privacy settings'}
      </button>
      {save.isSuccess && (
        <p role="status" className="small">
          Saved.
        </p>
      )}
    </form>
  );
}
