// A percentage not glued to a word, a decimal point or a sign: "+0.10%" is a delta, "v2.5%" is not a value.
const PERCENT = /(?<![\w.+-])(\d{1,3}(?:\.\d+)?)\s*%/;
const INNERMOST_PARENTHESES = /\([^()]*\)/g;

/**
 * The coverage percentage stated in a commit status or check run description, e.g.
 * Codecov's `85.23% (+0.10%) compared to 1a2b3c4`, `Coverage: 81%`, `coverage 72.5 %`.
 * Parenthesised text (deltas, targets) is ignored; signed numbers are deltas and skipped.
 * Returns null when no percentage in 0–100 is stated.
 */
export function parseCoveragePercentFromDescription(text: string | null | undefined): number | null {
  if (!text) return null;
  let stripped = text;
  for (let previous = ''; previous !== stripped;) {
    previous = stripped;
    stripped = stripped.replace(INNERMOST_PARENTHESES, ' ');
  }
  const match = PERCENT.exec(stripped);
  if (!match) return null;
  const value = Number(match[1]);
  return Number.isFinite(value) && value >= 0 && value <= 100 ? value : null;
}
