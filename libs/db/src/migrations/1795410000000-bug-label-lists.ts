import type { MigrationInterface, QueryRunner } from 'typeorm';

// Engagement settings: the user-supplied bug label regular expression (`bugLabelPattern`,
// a ReDoS risk in the API and the worker) becomes a list of labels (`bugLabels`), matched
// whole and case-insensitively. Never edit once committed.

const DEFAULT_BUG_LABELS = ['bug', 'defect', 'regression'];

/** A label written as a regex alternative: letters, digits, spaces and `_ . : / -`, escapes allowed. */
const LITERAL = /^(?:[\w :/-]|\\[.\-/: ])+$/;

/**
 * The labels a simple pattern meant: `^(a|b)$`, `^(?:a|b)$` or `^a$` (anchors required,
 * since the old pattern matched anywhere otherwise). Anything else: the defaults.
 */
export function bugLabelsFromPattern(pattern: unknown): string[] {
  if (typeof pattern !== 'string') return [...DEFAULT_BUG_LABELS];
  const body = /^\^\((?:\?:)?([^()]*)\)\$$/.exec(pattern)?.[1] ?? /^\^([^()|]*)\$$/.exec(pattern)?.[1];
  if (body === undefined) return [...DEFAULT_BUG_LABELS];
  const alternatives = body.split('|');
  if (alternatives.some((a) => a === '' || !LITERAL.test(a))) return [...DEFAULT_BUG_LABELS];
  return [...new Set(alternatives.map((a) => a.replace(/\\(.)/g, '$1')))];
}

export class BugLabelLists1795410000000 implements MigrationInterface {
  name = 'BugLabelLists1795410000000';

  async up(q: QueryRunner): Promise<void> {
    await this.rewrite(q, (settings) => {
      const { bugLabelPattern, ...rest } = settings;
      return { ...rest, bugLabels: bugLabelsFromPattern(bugLabelPattern) };
    });
  }

  async down(q: QueryRunner): Promise<void> {
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await this.rewrite(q, (settings) => {
      const { bugLabels, ...rest } = settings;
      const labels = Array.isArray(bugLabels) ? bugLabels.map(String) : DEFAULT_BUG_LABELS;
      return { ...rest, bugLabelPattern: `^(${labels.map(escape).join('|')})$` };
    });
  }

  private async rewrite(
    q: QueryRunner,
    change: (settings: Record<string, unknown>) => Record<string, unknown>,
  ): Promise<void> {
    const rows = await q.manager
      .createQueryBuilder()
      .select(['e.id AS id', 'e.settings AS settings'])
      .from('engagements', 'e')
      .getRawMany<{ id: string; settings: string | null }>();
    for (const row of rows) {
      let settings: Record<string, unknown> = {};
      try {
        const parsed: unknown = row.settings ? JSON.parse(row.settings) : {};
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          settings = parsed as Record<string, unknown>;
      } catch {
        // An unreadable settings value becomes the defaults plus the label list.
      }
      // Raw SQL on purpose: through the entity, simple-json would encode the text twice.
      const [sql, params] = q.connection.driver.escapeQueryWithParameters(
        'UPDATE engagements SET settings = :settings WHERE id = :id',
        { settings: JSON.stringify(change(settings)), id: row.id },
      );
      await q.query(sql, params);
    }
  }
}
