import { createHash } from 'node:crypto';

/**
 * The only form in which Pulse keeps a commit email (docs/privacy.md): a SHA-256 of the
 * trimmed, lower-cased address under a fixed label. Enough to compare with a roster
 * person's email (hashed the same way), never turned back into the address. Changing it
 * would orphan every stored hint: add a new version instead.
 */
export function hashEmail(email: string): string {
  return createHash('sha256').update(`pulse-email:v1:${email.trim().toLowerCase()}`).digest('hex');
}
