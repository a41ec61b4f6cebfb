import { useState, type FormEvent } from 'react';
import { MEMBER_RIGHTS, type EngagementMembersDto, type MemberRights, type UserDto } from '@pulse/contracts';
import { ErrorNote, Loading } from '../../components/query-state.component';
import { useMemberCandidates, useMembers, usePutMembers } from '../../hooks/use-people.hook';
import { engagementAccess, type EngagementAccess } from '../../lib/engagement-access';

const RIGHTS_TEXT: Record<MemberRights, string> = {
  editor: 'Editor — settings, thresholds, connections, share links',
  viewer: 'Viewer — reads only',
};

type MemberList = { userId: string; rights: MemberRights }[];

const asList = (m: EngagementMembersDto): MemberList =>
  m.members.map(({ userId, rights }) => ({ userId, rights }));

/**
 * The owner and members of one engagement. The owner and admins change the list; everyone
 * else who can open settings sees it read-only. Adding is by the e-mail of an active Pulse
 * user, suggested from the API's candidate list; people not yet in Pulse are invited on the
 * People page.
 */
export function MembersSection({
  engagementId,
  me,
  myAccess,
}: {
  engagementId: string;
  me: UserDto;
  myAccess?: readonly EngagementAccess[];
}) {
  const members = useMembers(engagementId);
  const put = usePutMembers(engagementId);
  const manage = engagementAccess(me, members.data, myAccess) === 'manage';
  const users = useMemberCandidates(engagementId, manage);
  const [email, setEmail] = useState('');
  const [rights, setRights] = useState<MemberRights>('editor');
  const [problem, setProblem] = useState<string | null>(null);

  if (members.isPending) return <Loading />;
  if (members.error) return <ErrorNote error={members.error} />;
  const data = members.data;
  const current = asList(data);
  const taken = new Set([...current.map((m) => m.userId), data.owner?.userId]);
  const candidates = (users.data ?? []).filter((u) => !taken.has(u.userId));

  const save = (next: MemberList) => {
    setProblem(null);
    put.mutate(next);
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const wanted = email.trim().toLowerCase();
    const user = (users.data ?? []).find((u) => u.email.toLowerCase() === wanted);
    if (!user) {
      setProblem(
        users.error
          ? `Could not look up Pulse's users: ${users.error.message}`
          : `${email} has no active Pulse account. An admin can invite them on the People page.`,
      );
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
        <form className="panel form" onSubmit={add} aria-label="Add a member" data-testid="member-add-form">
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
                  <option key={u.userId} value={u.email}>
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
