// What the sign-in page says when the API sends someone back from single sign-on with
// `?sso_error=<reason>` (the reasons are listed in apps/api/src/auth/oidc/sso-sign-in.policy.ts).
const MESSAGES: Record<string, string> = {
  not_invited:
    'Your single sign-on account has no Pulse account yet. Ask a Pulse admin to invite you, then sign in with SSO again.',
  deactivated: 'Your Pulse account is deactivated. Ask a Pulse admin to reactivate it.',
  email_unverified:
    'Your identity provider did not confirm your e-mail address, so Pulse cannot tell who you are. Verify it there and try again.',
  email_missing:
    'Your identity provider did not share an e-mail address with Pulse. Ask your IT team to release the e-mail claim to Pulse.',
  domain_not_allowed:
    'Single sign-on is open only to some e-mail domains, and yours is not one of them. Sign in with your password instead.',
  unavailable:
    'Single sign-on is unavailable right now (Pulse cannot reach the identity provider). Try again later.',
  expired: 'That single sign-on attempt expired or was started in another browser. Start again below.',
  provider_error: 'Single sign-on was cancelled at the identity provider. Start again below.',
  failed: 'Single sign-on failed: the answer from the identity provider could not be verified. Try again.',
};

/** A sentence for the reason, or null when there is none (an unknown reason still gets a generic one). */
export function ssoErrorMessage(reason: string | null): string | null {
  if (!reason) return null;
  return MESSAGES[reason] ?? 'Single sign-on did not work. Try again, or sign in with your password.';
}
