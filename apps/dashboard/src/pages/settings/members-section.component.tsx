import { useState, type FormEvent } from 'react';
import { MEMBER_RIGHTS, type EngagementMembersDto, type MemberRights, type UserDto } from '@pulse/contracts';
import { api, withQuery } from '../../api/http';
import { ErrorNote, Loading } from '../../components/query-state.component';
import { useMembers, usePutMembers, useUsers } from '../../hooks/use-people.hook';
import { engagementAccess } from '../../lib/engagement-access';

const RIGHTS_TEXT: Record<MemberRights, string> = {
  editor: 'Editor — settings, thresholds, connections, share links',
  viewer: 'Viewer — reads only',
};

/** GET /api/engagements/:id/member-candidates?email= (the owner's way to find a user by e-mail). */
interface MemberCandidate {
  userId: string;
  email: string;
  displayName: string;
}

type MemberList = { userId: string; rights: MemberRights }[];

const asList = (m: EngagementMembersDto): MemberList =>
  m.members.map(({ userId, rights }) => ({ userId, rights }));

/**
 * The owner and members of one engagement. The owner and admins change the list; everyone
 * else who can open settings sees it read-only. Adding is by the e-mail of a Pulse user
 * (admins also get suggestions from the user list; people not yet in Pulse are invited on
 * the People page).
 */
export function MembersSection({ engagementId, me }: { engagementId: string; me: UserDto }) {
  const members = useMembers(engagementId);
  const put = usePutMembers(engagementId);
  const manage = engagementAccess(me, members.data) === 'manage';
  const users = useUsers(manage && me.role === 'admin');
  const [email, setEmail] = useState('');
  const [rights, setRights] = useState<MemberRights>('editor');
  const [problem, setProblem] = useState<string | null>(null);

  if (members.isPending) return <Loading />;
  if (members.error) return <ErrorNote error={members.error} />;
  const data = members.data;
  const current = asList(data);
  const taken = new Set([...current.map((m) => m.userId), data.owner?.userId]);
  const candidates = (users.data ?? []).filter((u) => u.active && !taken.has(u.id));

  const save = (next: MemberList) => {
    setProblem(null);
    put.mutate(next);
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    let user: MemberCandidate;
    try {
      user = await api<MemberCandidate>(
        withQuery(`/api/engagements/${engagementId}/member-candidates`, { email: email.trim() }),
      );
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
      return;
    }
    if (taken.has(user.userId)) {
      setProblem(`${user.email} already has access to this engagement.`);
      return;
    }
    save([...current, { userId: user.userId, rights }]);
    setEmail('');
  };

  return (
    <div className="stack" data-testid="members-section">
      <p className="muted">
        Owner:{' '}
        <strong data-testid="members-owner">
          {data.owner ? `${data.owner.displayName} (${data.owner.email})` : '—'}
        </strong>
        . Managers see only the engagements they own or are a member of; admins see all.
      </p>
      {data.members.length === 0 ? (
        <p className="muted">No members yet.</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="members-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Rights</th>
                {manage && (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {data.members.map((m) => (
                <tr key={m.userId} data-testid="member-row" data-email={m.email}>
                  <td>
                    {m.displayName}
                    {!m.active && <span className="muted small"> (deactivated)</span>}
                  </td>
                  <td>{m.email}</td>
                  <td>
                    {manage ? (
                      <label>
                        <span className="sr-only">Rights of {m.email}</span>
                        <select
                          value={m.rights}
                          disabled={put.isPending}
                          onChange={(e) =>
                            save(
                              current.map((x) =>
                                x.userId === m.userId ? { ...x, rights: e.target.value as MemberRights } : x,
                              ),
                            )
                          }
                          data-testid="member-rights"
                        >
                          {MEMBER_RIGHTS.map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                        </select>
                      </label>
                    ) : (
                      m.rights
                    )}
                  </td>
                  {manage && (
                    <td>
                      <button
                        type="button"
                        className="button button--danger button--small"
                        disabled={put.isPending}
                        onClick={() => save(current.filter((x) => x.userId !== m.userId))}
                        data-testid="member-remove"
                      >
                        Remove
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {manage && (
        <form
          className="panel form"
          onSubmit={(e) => void add(e)}
          aria-label="Add a member"
          data-testid="member-add-form"
        >
          <div className="row">
            <label className="field">
              <span>E-mail of a Pulse user</span>
              <input
                type="email"
                required
                list="member-candidates"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                data-testid="member-email"
              />
              <datalist id="member-candidates">
                {candidates.map((u) => (
                  <option key={u.id} value={u.email}>
                    {u.displayName}
                  </option>
                ))}
              </datalist>
            </label>
            <label className="field">
              <span>Rights</span>
              <select
                value={rights}
                onChange={(e) => setRights(e.target.value as MemberRights)}
                data-testid="member-new-rights"
              >
                {MEMBER_RIGHTS.map((r) => (
                  <option key={r} value={r}>
                    {RIGHTS_TEXT[r]}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="button-row">
            <button type="submit" className="button" disabled={put.isPending} data-testid="member-add">
              Add member
            </button>
          </div>
        </form>
      )}
      {problem && (
        <p className="error-text" role="alert" data-testid="member-problem">
          {problem}
        </p>
      )}
      {put.error && <ErrorNote error={put.error} />}
    </div>
  );
}
