import { useQuery } from '@tanstack/react-query';
import { api } from '../api/http';
import { queryKeys } from './query-keys';

export interface AuthMethods {
  password: boolean;
  sso: boolean;
}

/** Which ways of signing in the server offers (SSO only when an OpenID provider is configured). */
export function useAuthMethods() {
  return useQuery({
    queryKey: queryKeys.authMethods,
    queryFn: () => api<AuthMethods>('/api/auth/methods', { quiet401: true }),
    staleTime: 5 * 60_000,
  });
}
