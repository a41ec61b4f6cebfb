import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { PersonDto, RosterSide, UnassignedIdentityDto } from '@pulse/contracts';
import { api } from '../../api/http';
import { ErrorNote, Loading } from '../../components/query-state.component';
import { queryKeys } from '../../hooks/query-keys';
import { useEngagement } from '../../hooks/use-engagements.hook';
import { useUnassignedIdentities } from '../../hooks/use-unassigned-identities.hook';
import { dateTime } from '../../lib/format';
import { rowFromIdentity, rowFromPerson, splitIdentities as split, type RosterRow } from '../../lib/roster';

function UnassignedIdentities({
  engagementId,
  rows,
  onAssign,
}: {
  engagementId: string;
  rows: readonly RosterRow[];
  onAssign: (identity: UnassignedIdentityDto, side: RosterSide) => void;
}) {
  const unassigned = useUnassignedIdentities(engagementId, rows);
  const zone = useEngagement(engagementId).data?.reportingTimeZone ?? 'UTC';
  return (
    <section className="panel stack" aria-labelledby="unassigned-title" data-testid="unassigned-identities">
      <h3 id="unassigned-title">Seen on GitHub but not on the roster</h3>
      {unassigned.isPending && <Loading />}
      {unassigned.error && <ErrorNote error={unassigned.error} />}
      {unassigned.data?.length === 0 && (
        <p className="muted">Everyone who opened or reviewed a pull request is on the roster.</p>
      )}
      {unassigned.data && unassigned.data.length > 0 && (
        <>
          <p className="muted small">
            Their pull requests and reviews count for neither side until you add them. Added people appear in
            the roster below; save it to keep them.
          </p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">GitHub login</th>
                  <th scope="col" className="num">
                    Pull requests
                  </th>
                  <th scope="col" className="num">
                    Reviews
                  </th>
                  <th scope="col">Last seen ({zone})</th>
                  <th scope="col">
                    <span className="sr-only">Add to the roster</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {unassigned.data.map((u) => (
                  <tr key={u.externalId} data-testid="unassigned-row">
                    <td>
                      {u.externalId}
                      {u.suggestedPerson && (
                        <span className="muted small">
                          {' '}
                          ({u.source === 'slack'
                            ? 'Slack profile e-mail of'
                            : 'commits with the email of'}{' '}
                          {u.suggestedPerson.displayName})
                        </span>
                      )}
                    </td>
                    <td className="num">
                      {u.source === 'slack' ? `${u.messages ?? 0} msg` : u.pullRequests}
                    </td>
                    <td className="num">{u.reviews}</td>
                    <td>{dateTime(u.lastSeenAt, zone)}</td>
                    <td>
                      <div className="button-row">
                        <button
                          type="button"
                          className="button button--ghost button--small"
                          onClick={() => onAssign(u, 'client')}
                          aria-label={`Add ${u.externalId} as client`}
                          data-testid="assign-client"
                        >
                          Add as client
                        </button>
                        <button
                          type="button"
                          className="button button--ghost button--small"
                          onClick={() => onAssign(u, 'vendor')}
                          aria-label={`Add ${u.externalId} as vendor`}
                          data-testid="assign-vendor"
                        >
                          Add as vendor
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function RosterEditor({ engagementId, people }: { engagementId: string; people: PersonDto[] }) {
  const client = useQueryClient();
  const [rows, setRows] = useState<RosterRow[]>(() => people.map(rowFromPerson));
  const save = useMutation({
    mutationFn: () =>
      api<PersonDto[]>(`/api/engagements/${engagementId}/people`, {
        method: 'PUT',
        body: {
          people: rows
            .filter((r) => r.displayName.trim())
            .map((r) => ({
              ...(r.id ? { id: r.id } : {}),
              displayName: r.displayName.trim(),
              email: r.email.trim() || null,
              side: r.side,
              isBot: r.isBot,
              identities: { github: split(r.github), jira: split(r.jira), slack: split(r.slack) },
            })),
        },
      }),
    onSuccess: (saved) => {
      client.setQueryData(queryKeys.people(engagementId), saved);
      setRows(saved.map(rowFromPerson));
      void client.invalidateQueries({ queryKey: queryKeys.unassigned(engagementId) });
    },
  });
  const update = (i: number, patch: Partial<RosterRow>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <>
      <UnassignedIdentities
        engagementId={engagementId}
        rows={rows}
        onAssign={(identity, side) => setRows([...rows, rowFromIdentity(identity, side)])}
      />
      <form onSubmit={submit} className="stack" data-testid="roster-form">
        <div className="table-wrap">
          <table className="edit-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Side</th>
                <th scope="col">Bot</th>
                <th scope="col">GitHub logins</th>
                <th scope="col">Jira account ids</th>
                <th scope="col">Slack user ids</th>
                <th scope="col">
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={r.id ?? `new-${i}`}>
                  <td>
                    <input
                      aria-label="Name"
                      value={r.displayName}
                      onChange={(e) => update(i, { displayName: e.target.value })}
                      required
                    />
                  </td>
                  <td>
                    <input
                      aria-label="Email"
                      type="email"
                      value={r.email}
                      onChange={(e) => update(i, { email: e.target.value })}
                    />
                  </td>
                  <td>
                    <select
                      aria-label="Side"
                      value={r.side}
                      onChange={(e) => update(i, { side: e.target.value as RosterSide })}
                    >
                      <option value="client">client</option>
                      <option value="vendor">vendor</option>
                    </select>
                  </td>
                  <td>
                    <input
                      aria-label="Is a bot"
                      type="checkbox"
                      checked={r.isBot}
                      onChange={(e) => update(i, { isBot: e.target.checked })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label="GitHub logins"
                      value={r.github}
                      onChange={(e) => update(i, { github: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label="Jira account ids"
                      value={r.jira}
                      onChange={(e) => update(i, { jira: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label="Slack user ids"
                      value={r.slack}
                      onChange={(e) => update(i, { slack: e.target.value })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button button--ghost button--small"
                      onClick={() => setRows(rows.filter((_, j) => j !== i))}
                      aria-label={`Remove ${r.displayName || 'this person'}`}
                    >
                      ✕
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {save.error && <ErrorNote error={save.error} />}
        {save.isSuccess && (
          <p className="ok-text" role="status">
            Roster saved.
          </p>
        )}
        <div className="button-row">
          <button
            type="button"
            className="button button--ghost"
            onClick={() =>
              setRows([
                ...rows,
                { displayName: '', email: '', side: 'vendor', isBot: false, github: '', jira: '', slack: '' },
              ])
            }
          >
            Add person
          </button>
          <button type="submit" className="button" disabled={save.isPending} data-testid="roster-save">
            {save.isPending ? 'Saving…' : 'Save roster'}
          </button>
        </div>
      </form>
    </>
  );
}

export function RosterSection({ engagementId }: { engagementId: string }) {
  const people = useQuery({
    queryKey: queryKeys.people(engagementId),
    queryFn: () => api<PersonDto[]>(`/api/engagements/${engagementId}/people`),
  });
  if (people.isPending) return <Loading />;
  if (people.error) return <ErrorNote error={people.error} />;
  return (
    <div className="stack">
      <p className="muted">
        Each person is on the client or the vendor side; link their GitHub, Jira and Slack identities so their
        work is counted for the right side. Bots are never counted.
      </p>
      <RosterEditor engagementId={engagementId} people={people.data} />
    </div>
  );
}
