import type { IssuedInvitationDto } from '@pulse/contracts';

/** The link to hand over: the API's own when it is absolute (PULSE_PUBLIC_URL), else on this origin. */
export function invitationLink(issued: Pick<IssuedInvitationDto, 'url' | 'token'>, origin: string): string {
  if (issued.url?.startsWith('http://') || issued.url?.startsWith('https://')) return issued.url;
  if (issued.url?.startsWith('/')) return `${origin}${issued.url}`;
  return `${origin}/invite/${issued.token}`;
}
