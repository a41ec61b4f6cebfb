import { COMMON_PASSWORDS } from './common-passwords';

/** Same minimum as PULSE_ADMIN_PASSWORD; the most a sign-in accepts is 1024 characters. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

const RUNS = '0123456789'.repeat(4);
const RUNS_DOWN = '9876543210'.repeat(4);

/** What is wrong with a new password, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  const lower = password.toLowerCase();
  // The common word once digits, symbols and spaces around or inside it are stripped
  // ("Password123!" → "password", "Summer 2026" → "summer").
  const letters = lower.replace(/[^a-z]/g, '');
  const digitsOnly = /^[^a-z]*$/.test(lower);
  if (
    COMMON_PASSWORDS.has(lower) ||
    COMMON_PASSWORDS.has(lower.replace(/\s+/g, '')) ||
    COMMON_PASSWORDS.has(letters)
  )
    return 'is one of the most common passwords: choose something others would not guess, such as a few unrelated words';
  const digits = lower.replace(/\D/g, '');
  const run = digits.length >= 6 && (RUNS.includes(digits) || RUNS_DOWN.includes(digits));
  if (digitsOnly && (new Set(lower).size <= 4 || run))
    return 'is too easy to guess: use words or a mix of characters';
  if (new Set(lower).size <= 3) return 'repeats too few characters: choose something others would not guess';
  const local = email?.toLowerCase().split('@')[0];
  if (
    local &&
    local.length >= 4 &&
    letters.includes(local.replace(/[^a-z]/g, '')) &&
    letters.length - local.length < 6
  )
    return 'is too close to your e-mail address';
  return null;
}
