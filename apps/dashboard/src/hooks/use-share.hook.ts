import { useQuery } from '@tanstack/react-query';
import { sharedViewQuery } from './page-queries';

/** The vendor's view behind a share link. The token is the credential: a 401 is no expired session. */
export function useSharedView(token: string) {
  return useQuery(sharedViewQuery(token));
}
