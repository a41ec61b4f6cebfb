// Users, invitations, engagement membership and the audit trail (issue 14): the shapes the
// API answers with and accepts, shared with the dashboard.
import type { Role } from './api';

/** What a member may do on one engagement: `editor` changes settings, `viewer` reads. */
export const MEMBER_RIGHTS = ['editor', 'viewer'] as const;
export type MemberRights = (typeof MEMBER_RIGHTS)[number];

/** How much access a route needs on its engagement (see the API's @EngagementAccess). */
export const ENGAGEMENT_ACCESS_LEVELS = ['read', 'edit', 'manage'] as const;
export type EngagementAccessLevel = (typeof ENGAGEMENT_ACCESS_LEVELS)[number];

/** A user as an admin sees them on the People page. */
export interface UserAccountDto {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** POST /api/users: invite someone by e-mail with a role. */
export interface InviteUserRequest {
  email: string;
  role: Role;
  displayName?: string;
}

/** PATCH /api/users/:id: any of these; at least one. */
export interface UpdateUserRequest {
  role?: Role;
  active?: boolean;
  displayName?: string;
}

export const INVITATION_KINDS = ['invite', 'reset'] as const;
export type InvitationKind = (typeof INVITATION_KINDS)[number];

/** A pending (or used, revoked, expired) invitation or reset link, without its token. */
export interface InvitationDto {
  id: string;
  kind: InvitationKind;
  email: string;
  role: Role;
  displayName: string | null;
  /** For reset links: whose password it sets. */
  userId: string | null;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

/** Answer to POST /api/users and POST /api/users/:id/reset-link: the link is shown once. */
export interface IssuedInvitationDto {
  invitation: InvitationDto;
  /** `${PULSE_PUBLIC_URL}/invitations/${token}`: give it to the person; it is not stored. */
  url: string;
  token: string;
  /** Whether Pulse also e-mailed it (only when SMTP is configured). */
  email: { sent: boolean; error?: string };
}

/** GET /api/invitations/:token: what the link is for (no secrets). */
export interface InvitationPreviewDto {
  kind: InvitationKind;
  email: string;
  role: Role;
  displayName: string | null;
  expiresAt: string;
}

/** POST /api/invitations/:token: sets the password and signs in. */
export interface AcceptInvitationRequest {
  password: string;
  /** Only for invitations; defaults to the invited name or the e-mail's local part. */
  displayName?: string;
}

/** POST /api/auth/password. */
export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

export interface EngagementMemberDto {
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  active: boolean;
  rights: MemberRights;
}

/** GET/PUT /api/engagements/:id/members. */
export interface EngagementMembersDto {
  owner: { userId: string; email: string; displayName: string } | null;
  members: EngagementMemberDto[];
}

/** GET /api/engagements/:id/members/candidates: active users the owner may add. */
export interface MemberCandidateDto {
  userId: string;
  email: string;
  displayName: string;
  role: Role;
}

export interface PutEngagementMembersRequest {
  members: { userId: string; rights: MemberRights }[];
}

export const AUDIT_ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.password_changed',
  'auth.password_reset',
  'invitation.created',
  'invitation.accepted',
  'invitation.revoked',
  'reset_link.created',
  'user.role_changed',
  'user.deactivated',
  'user.reactivated',
  'user.updated',
  'engagement.created',
  'engagement.updated',
  'engagement.deleted',
  'members.changed',
  'connection.created',
  'connection.changed',
  'connection.deleted',
  'connection.secret_replaced',
  'thresholds.changed',
  'share_link.created',
  'share_link.revoked',
  'upload_token.rotated',
  'digest.settings_changed',
  'privacy.erasure',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEventDto {
  id: string;
  at: string;
  actorId: string | null;
  /** The actor's e-mail at the time (for failed sign-ins: the e-mail that was tried). */
  actorEmail: string | null;
  ip: string | null;
  action: AuditAction;
  engagementId: string | null;
  targetType: string | null;
  targetId: string | null;
  /** What changed, e.g. `{ "role": { "from": "manager", "to": "admin" } }`; never a secret. */
  summary: Record<string, unknown>;
}

/** GET /api/audit: newest first. */
export interface AuditPageDto {
  events: AuditEventDto[];
  total: number;
  page: number;
  pageSize: number;
}
