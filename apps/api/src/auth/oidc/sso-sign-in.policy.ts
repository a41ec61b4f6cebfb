// Who may sign in through the identity provider. Pure, so that every rule is unit-tested:
// the provider proves an e-mail address; Pulse decides whether that address has an account.

/** Why an SSO sign-in was refused; the sign-in page turns each into a sentence. */
export const SSO_REFUSALS = [
  'email_missing',
  'email_unverified',
  'domain_not_allowed',
  'not_invited',
  'deactivated',
] as const;
export type SsoRefusal = (typeof SSO_REFUSALS)[number];

/** Reasons the flow itself failed (not a decision about the person). */
export const SSO_FAILURES = ['unavailable', 'expired', 'provider_error', 'failed'] as const;
export type SsoFailure = (typeof SSO_FAILURES)[number];

export interface SsoIdentity {
  email?: unknown;
  email_verified?: unknown;
}

export interface KnownAccount {
  id: string;
  disabled: boolean;
}

export type SsoDecision =
  | { allowed: true; email: string; account: KnownAccount | null }
  | { allowed: false; reason: SsoRefusal; email: string | null };

/**
 * `account` is the Pulse user with that e-mail (or null); `invited` says whether a pending,
 * unexpired invitation exists for it. A person with neither is refused: SSO never creates
 * an account on its own.
 */
export function decideSsoSignIn(input: {
  identity: SsoIdentity;
  allowedDomains: readonly string[] | undefined;
  account: KnownAccount | null;
  invited: boolean;
}): SsoDecision {
  const raw = input.identity.email;
  if (typeof raw !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(raw) || raw.length > 320) {
    return { allowed: false, reason: 'email_missing', email: null };
  }
  const email = raw.toLowerCase();
  // Some providers let people type any address; only one the provider verified counts.
  if (input.identity.email_verified !== true) return { allowed: false, reason: 'email_unverified', email };
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (input.allowedDomains && input.allowedDomains.length > 0 && !input.allowedDomains.includes(domain)) {
    return { allowed: false, reason: 'domain_not_allowed', email };
  }
  if (input.account) {
    if (input.account.disabled) return { allowed: false, reason: 'deactivated', email };
    return { allowed: true, email, account: input.account };
  }
  if (input.invited) return { allowed: true, email, account: null };
  return { allowed: false, reason: 'not_invited', email };
}

/** Only same-app paths are followed after sign-in (never an open redirect). */
export function safeReturnPath(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
