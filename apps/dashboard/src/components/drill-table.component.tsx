import type { KpiDrillDownDto } from '@pulse/contracts';
import { isApiError } from '../api/http';
import type { DrillTable } from '../lib/prepare-drill-down';
import { ErrorNote, Loading } from './query-state.component';

/** The items behind a value, with the columns that say why each is listed; links to the source. */
export function DrillTableView({ table, caption }: { table: DrillTable; caption: string }) {
  return (
    <table data-testid="drill-table">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          {table.headers.map((h) => (
            <th key={h.field} scope="col" className={h.numeric ? 'num' : undefined}>
              {h.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((r) => (
          <tr key={r.id} data-testid="drill-row">
            <td>
              {r.url ? (
                <a href={r.url} target="_blank" rel="noreferrer noopener">
                  {r.title}
                </a>
              ) : (
                r.title
              )}
            </td>
            {r.cells.map((c, i) => (
              <td key={table.headers[i]!.field} className={table.headers[i]!.numeric ? 'num' : undefined}>
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Loading, errors, the value's sentence, the count and the table of one drill-down. */
export function DrillBody({
  query,
  zone,
  notSharedText,
}: {
  query: { isPending: boolean; error: unknown; data: KpiDrillDownDto | undefined; table: DrillTable | null };
  zone: string;
  notSharedText?: string;
}) {
  if (query.isPending) return <Loading label="Loading items…" />;
  if (query.error) {
    if (
      notSharedText &&
      (isApiError(query.error, 404) || isApiError(query.error, 410) || isApiError(query.error, 401))
    )
      return <p className="notice">{notSharedText}</p>;
    if (isApiError(query.error, 404)) return <p className="notice">This KPI has no item list.</p>;
    return <ErrorNote error={query.error} />;
  }
  const dto = query.data;
  const table = query.table;
  if (!dto || !table) return null;
  return (
    <div className="table-wrap">
      <p data-testid="drill-explanation">{dto.explanation}</p>
      <p className="muted small">
        <span data-testid="drill-count" data-n={table.rows.length}>
          {table.countText}
        </span>{' '}
        behind the value ({dto.window.label}){table.hasTimes && <> · times in {zone}</>}
      </p>
      {table.rows.length === 0 ? (
        <p className="muted" data-testid="drill-empty">
          No items in this window.
        </p>
      ) : (
        <DrillTableView table={table} caption={`${dto.label}: the items behind the value`} />
      )}
    </div>
  );
}
