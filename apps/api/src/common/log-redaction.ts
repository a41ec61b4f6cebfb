/**
 * A request URL fit for the logs: no query string (dates only today, but who knows
 * tomorrow) and no share-link or invitation token, which are credentials. Covers the
 * dashboard's `/share/<token>` and `/invitations/<token>` and the API's `/api/share/<token>`
 * and `/api/invitations/<token>`.
 */
export function loggableUrl(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path.replace(/(^|\/)(share|invitations)\/[^/]+/gi, '$1$2/[redacted]');
}
