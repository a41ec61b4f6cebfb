import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AuditPageDto,
  EngagementMembersDto,
  InvitationDto,
  InvitationPreviewDto,
  MemberCandidateDto,
  IssuedInvitationDto,
  MemberRights,
  Role,
  UpdateUserRequest,
  UserAccountDto,
  UserDto,
} from '@pulse/contracts';
import { api, withQuery } from '../api/http';
import { queryKeys } from './query-keys';
import { membersQuery } from './page-queries';

/** Admins: every user, active or not. */
export function useUsers(enabled = true) {
  return useQuery({
    queryKey: queryKeys.users,
    queryFn: () => api<UserAccountDto[]>('/api/users'),
    enabled,
  });
}

/** Admins: invitations and reset links (no tokens). */
export function useInvitations() {
  return useQuery({
    queryKey: queryKeys.invitations,
    queryFn: () => api<InvitationDto[]>('/api/invitations'),
  });
}

export function useInviteUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; role: Role; displayName?: string }) =>
      api<IssuedInvitationDto>('/api/users', { method: 'POST', body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.invitations }),
  });
}

export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdateUserRequest & { id: string }) =>
      api<UserAccountDto>(`/api/users/${id}`, { method: 'PATCH', body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

export function useResetLink() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<IssuedInvitationDto>(`/api/users/${id}/reset-link`, { method: 'POST' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.invitations }),
  });
}

export function useRevokeInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/invitations/${id}`, { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.invitations }),
  });
}

/** Public: what an invitation or reset link is for. */
export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: queryKeys.invitation(token),
    queryFn: () => api<InvitationPreviewDto>(`/api/invitations/${token}`, { quiet401: true }),
    retry: false,
  });
}

export function useAcceptInvitation(token: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { password: string; displayName?: string }) =>
      api<UserDto>(`/api/invitations/${token}`, { method: 'POST', body, quiet401: true }),
    onSuccess: (user) => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      client.setQueryData(queryKeys.me, user);
    },
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api<void>('/api/auth/password', { method: 'POST', body, quiet401: true }),
  });
}

export function useMembers(engagementId: string) {
  return useQuery(membersQuery(engagementId));
}

/** Owner and admins: active users who could be added (managers cannot list users otherwise). */
export function useMemberCandidates(engagementId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...queryKeys.members(engagementId), 'candidates'],
    queryFn: () => api<MemberCandidateDto[]>(`/api/engagements/${engagementId}/members/candidates`),
    enabled,
    retry: false,
  });
}

export function usePutMembers(engagementId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (members: { userId: string; rights: MemberRights }[]) =>
      api<EngagementMembersDto>(`/api/engagements/${engagementId}/members`, {
        method: 'PUT',
        body: { members },
      }),
    onSuccess: (saved) => client.setQueryData(queryKeys.members(engagementId), saved),
  });
}

export interface AuditFilters {
  engagementId?: string;
  actorId?: string;
  action?: string;
  from?: string;
  to?: string;
  page: number;
}

export function useAudit(filters: AuditFilters) {
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') query[k] = String(v);
  return useQuery({
    queryKey: queryKeys.audit(query),
    queryFn: () => api<AuditPageDto>(withQuery('/api/audit', query)),
    placeholderData: (previous) => previous,
  });
}
