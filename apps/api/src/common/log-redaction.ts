/**
 * A request URL fit for the logs: no query string (dates only today, but who knows
 * tomorrow) and no share-link token, which is the vendor's credential. Covers the
 * dashboard's `/share/<token>` and the API's `/api/share/<token>`.
 */
export function loggableUrl(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path.replace(/(^|\/)(share)\/[^/]+/gi, '$1$2/[redacted]');
}
