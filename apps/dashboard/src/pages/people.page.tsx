import { useState, type FormEvent } from 'react';
import { Navigate } from 'react-router';
import { USER_ROLES, type IssuedInvitationDto, type Role, type UserAccountDto } from '@pulse/contracts';
import { isApiError } from '../api/http';
import { ErrorNote, Loading } from '../components/query-state.component';
import { StatusBadge } from '../components/status-badge.component';
import { useMe } from '../hooks/use-session.hook';
import {
  useInvitations,
  useInviteUser,
  useResetLink,
  useRevokeInvitation,
  useUpdateUser,
  useUsers,
} from '../hooks/use-people.hook';
import { dateTime } from '../lib/format';
import { invitationLink } from '../lib/invitation-link';
import { CopyField } from './settings/share-links-section.component';

const ROLE_TEXT: Record<Role, string> = {
  admin: 'Admin — everything, including people',
  manager: 'Manager — own and shared engagements',
  viewer: 'Viewer — reads what they are a member of',
};

function IssuedLink({ issued, what }: { issued: IssuedInvitationDto; what: string }) {
  return (
    <div className="panel notice-panel" role="status" data-testid="issued-link">
      <p>
        <strong>Copy this {what} link now</strong> and give it to {issued.invitation.email}. It works once,
        until {dateTime(issued.invitation.expiresAt)} (UTC); Pulse keeps only a hash of it.
        {issued.email.sent && ' It was also sent by e-mail.'}
        {!issued.email.sent && issued.email.error && ` Sending it by e-mail failed: ${issued.email.error}`}
      </p>
      <CopyField
        label={`${what[0]!.toUpperCase()}${what.slice(1)} link`}
        value={invitationLink(issued, window.location.origin)}
        testId="issued-link-url"
      />
    </div>
  );
}

function InviteForm({ onIssued }: { onIssued: (i: IssuedInvitationDto) => void }) {
  const invite = useInviteUser();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('manager');
  const [displayName, setDisplayName] = useState('');
  const fieldErrors = isApiError(invite.error) ? invite.error.fieldErrors() : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    invite.mutate(
      { email, role, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) },
      {
        onSuccess: (issued) => {
          onIssued(issued);
          setEmail('');
          setDisplayName('');
        },
      },
    );
  };
  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="invite-title" data-testid="invite-form">
      <h2 id="invite-title">Invite someone</h2>
      <div className="row">
        <label className="field">
          <span>E-mail</span>
          <input
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={!!fieldErrors.email}
            data-testid="invite-email"
          />
          {fieldErrors.email && <span className="error-text small">{fieldErrors.email}</span>}
        </label>
        <label className="field">
          <span>Name (optional)</span>
          <input
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            data-testid="invite-name"
          />
        </label>
        <label className="field">
          <span>Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="invite-role">
            {USER_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_TEXT[r]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {invite.error && <ErrorNote error={invite.error} />}
      <div className="button-row">
        <button type="submit" className="button" disabled={invite.isPending} data-testid="invite-submit">
          {invite.isPending ? 'Creating link…' : 'Create invitation link'}
        </button>
      </div>
    </form>
  );
}

function UserRow({
  user,
  isMe,
  onIssued,
}: {
  user: UserAccountDto;
  isMe: boolean;
  onIssued: (i: IssuedInvitationDto) => void;
}) {
  const update = useUpdateUser();
  const reset = useResetLink();
  const error = update.error ?? reset.error;
  return (
    <>
      <tr data-testid="user-row" data-email={user.email} data-active={user.active}>
        <td>
          {user.displayName}
          {isMe && <span className="muted small"> (you)</span>}
        </td>
        <td>{user.email}</td>
        <td>
          <label>
            <span className="sr-only">Role of {user.email}</span>
            <select
              value={user.role}
              disabled={update.isPending}
              onChange={(e) => update.mutate({ id: user.id, role: e.target.value as Role })}
              data-testid="user-role"
            >
              {USER_ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
        </td>
        <td>
          <StatusBadge
            status={user.active ? 'ok' : 'no_data'}
            label={user.active ? 'active' : 'deactivated'}
          />
        </td>
        <td>
          <div className="button-row">
            <button
              type="button"
              className={
                user.active ? 'button button--danger button--small' : 'button button--ghost button--small'
              }
              disabled={update.isPending}
              onClick={() => update.mutate({ id: user.id, active: !user.active })}
              data-testid={user.active ? 'user-deactivate' : 'user-reactivate'}
            >
              {user.active ? 'Deactivate' : 'Reactivate'}
            </button>
            <button
              type="button"
              className="button button--ghost button--small"
              disabled={reset.isPending || !user.active}
              onClick={() => reset.mutate(user.id, { onSuccess: onIssued })}
              data-testid="user-reset-link"
            >
              Reset link
            </button>
          </div>
        </td>
      </tr>
      {error && (
        <tr>
          <td colSpan={5}>
            <ErrorNote error={error} />
          </td>
        </tr>
      )}
    </>
  );
}

function PendingInvitations() {
  const invitations = useInvitations();
  const revoke = useRevokeInvitation();
  const pending = invitations.data?.filter((i) => i.status === 'pending') ?? [];
  return (
    <section className="panel" aria-labelledby="pending-title">
      <h2 id="pending-title">Open invitation and reset links</h2>
      {invitations.isPending && <Loading />}
      {invitations.error && <ErrorNote error={invitations.error} />}
      {invitations.data && pending.length === 0 && <p className="muted">None open.</p>}
      {pending.length > 0 && (
        <div className="table-wrap">
          <table data-testid="invitations-table">
            <thead>
              <tr>
                <th scope="col">For</th>
                <th scope="col">Kind</th>
                <th scope="col">Role</th>
                <th scope="col">Expires (UTC)</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pending.map((i) => (
                <tr key={i.id} data-testid="invitation-row" data-email={i.email}>
                  <td>{i.email}</td>
                  <td>{i.kind === 'invite' ? 'invitation' : 'password reset'}</td>
                  <td>{i.role}</td>
                  <td>{dateTime(i.expiresAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="button button--danger button--small"
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate(i.id)}
                      data-testid="invitation-revoke"
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoke.error && <ErrorNote error={revoke.error} />}
    </section>
  );
}

/** Admins: who may use Pulse, with which role. */
export function PeoplePage() {
  const me = useMe();
  const isAdmin = me.data?.role === 'admin';
  const users = useUsers(isAdmin);
  const [issued, setIssued] = useState<{ issued: IssuedInvitationDto; what: string } | null>(null);
  if (me.data && !isAdmin) return <Navigate to="/" replace />;
  return (
    <div className="page stack" data-testid="people-page">
      <div className="page__head">
        <div>
          <h1>People</h1>
          <p className="muted">
            Invite people with a single-use link, change roles, and deactivate accounts (their sessions end at
            once). The last active admin cannot be demoted or deactivated.
          </p>
        </div>
      </div>
      <InviteForm onIssued={(i) => setIssued({ issued: i, what: 'invitation' })} />
      {issued && <IssuedLink issued={issued.issued} what={issued.what} />}
      <section className="panel" aria-labelledby="users-title">
        <h2 id="users-title">Users</h2>
        {users.isPending && <Loading />}
        {users.error && <ErrorNote error={users.error} />}
        {users.data && (
          <div className="table-wrap">
            <table data-testid="users-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">Role</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((u) => (
                  <UserRow
                    key={u.id}
                    user={u}
                    isMe={u.id === me.data?.id}
                    onIssued={(i) => setIssued({ issued: i, what: 'password reset' })}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <PendingInvitations />
    </div>
  );
}
