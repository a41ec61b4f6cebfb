import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KPI_DEFINITIONS } from '@pulse/contracts';
import { renderKpiCatalogue } from './catalogue-doc';

describe('docs/kpis.md', () => {
  const committed = readFileSync(join(__dirname, '../../../docs/kpis.md'), 'utf8');

  it('matches the registry (regenerate with `bash scripts/kpis-doc.sh`)', () => {
    expect(committed).toBe(renderKpiCatalogue());
  });

  it('names every KPI with its minimum sample and default thresholds', () => {
    const page = renderKpiCatalogue();
    for (const d of KPI_DEFINITIONS) expect(page).toContain(`\`${d.key}\``);
    expect(page).toContain(
      '| Bug reopen rate | `quality.bug_reopen_rate` | % | lower | items closed in the window | Jira or GitHub | 5 | 10 % | 20 % | bugs |',
    );
    expect(page).toContain(
      "| Coverage delta | `coverage.delta` | percentage points | higher | 28 days to the window's end | Coverage | 0 | −1 pp | −5 pp | repos |",
    );
  });
});
