import {
  KPI_DEFINITIONS,
  KPI_FAMILIES,
  type KpiDefinitionMeta,
  type KpiThreshold,
  type KpiUnit,
} from '@pulse/contracts';
import { KPI_DECISIONS } from './decisions';
import { SOURCE_LABELS } from './freshness';
import { FAMILY_LABELS } from './health';
import { formatValue } from './rating';

const UNIT_WORDS: Readonly<Record<KpiUnit, string>> = {
  hours: 'hours',
  days: 'days',
  minutes: 'minutes',
  count: 'count',
  points: 'points',
  days_per_week: 'days / week',
  percent: '%',
  pp: 'percentage points',
  people: 'people',
};

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function windowOf(d: KpiDefinitionMeta): string {
  if (d.lookbackDays !== null) return `${d.lookbackDays} days to the window's end`;
  if (d.aggregation === 'state') return "state at the window's end";
  return 'items closed in the window';
}

function limit(t: KpiThreshold | null, pick: 'warn' | 'breach', d: KpiDefinitionMeta): string {
  const v = t?.[pick];
  return v === undefined || !Number.isFinite(v) ? '—' : formatValue(v, d.unit);
}

/**
 * docs/kpis.md, rendered from the catalogue (`KPI_DEFINITIONS`) and the decisions list.
 * `bash scripts/kpis-doc.sh` writes it; `catalogue-doc.spec.ts` fails when it is stale.
 */
export function renderKpiCatalogue(): string {
  const out: string[] = [
    '# KPI catalogue',
    '',
    '<!-- Generated from libs/contracts/src/kpi.ts and libs/kpi/src/decisions.ts by',
    '     `bash scripts/kpis-doc.sh`. Do not edit by hand: a unit test fails when this page is stale. -->',
    '',
    'Every KPI Pulse computes, as the code defines it (`libs/contracts/src/kpi.ts`, computed by',
    '`libs/kpi`). A value covers a window: the headline uses the trailing 28 days ending at the',
    "rollup's instant, chart points use ISO weeks (Monday 00:00 in the engagement's reporting",
    'zone), the current week marked "so far". "Window" says what a value looks at inside it;',
    '"min n" is the sample below which a value is shown as "low sample" and not rated.',
    'Thresholds are the defaults a new engagement starts with (managers edit them); with',
    '"lower is better" a value above warn is warn and above breach is breach, with "higher"',
    'below them. A KPI without a threshold is shown with its trend and a neutral "no threshold".',
    '',
  ];
  for (const family of KPI_FAMILIES) {
    out.push(`## ${FAMILY_LABELS[family]}`, '');
    out.push(
      '| KPI | key | unit | better | window | sources | min n | warn | breach | n counts | definition |',
    );
    out.push('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const d of KPI_DEFINITIONS.filter((k) => k.family === family)) {
      const sources = d.sources.map((s) => SOURCE_LABELS[s]).join(d.sourcesMode === 'all' ? ' + ' : ' or ');
      out.push(
        `| ${cell(d.label)} | \`${d.key}\` | ${UNIT_WORDS[d.unit]}${d.businessTime ? ' (business)' : ''} | ${
          d.direction === 'none' ? '— (context)' : d.direction
        } | ${windowOf(d)} | ${sources} | ${d.minN} | ${limit(d.defaultThreshold, 'warn', d)} | ${limit(
          d.defaultThreshold,
          'breach',
          d,
        )} | ${d.nLabel} | ${cell(d.description)} |`,
      );
    }
    out.push('');
  }
  out.push(
    '## Health score and status',
    '',
    'Each rated KPI scores ok = 1, warn = 0.5, breach = 0; a family scores the mean of its rated',
    'KPIs; the engagement score is the weighted mean of family scores (equal weights by default;',
    'families without a rated KPI are left out and named) × 100, rounded. Status: red if any KPI',
    'is in breach, else amber if any is in warn, else green; unknown ("No data yet", no score)',
    'when nothing could be rated. Quiet makes green amber; stale sources qualify the status.',
    '',
    '## Decisions',
    '',
    'Where a definition needed a choice, this is the one made (each is also a doc comment next',
    'to its code):',
    '',
    ...KPI_DECISIONS.map((d, i) => `${i + 1}. ${d}`),
    '',
  );
  return out.join('\n');
}
