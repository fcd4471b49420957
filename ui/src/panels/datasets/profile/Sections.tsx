import { useMemo, useState } from 'react';
import type { Correlations, JsonValue, Profile } from '../../../api/types.gen';
import { EChart } from '../../../components/charts/EChart';
import type { ChartPalette } from '../../../components/charts/palette';
import { formatInt, formatPercent } from '../../../lib/format';
import { cellText } from '../../../lib/format';
import { correlationMethods, correlationOption, findMatrix, METHOD_LABELS, missingBarOption, missingMatrixOption } from './chartData';

export function CorrelationView({ correlations }: { correlations: Correlations }) {
  const methods = correlationMethods(correlations);
  const [method, setMethod] = useState(methods[0] ?? '');
  const current = methods.includes(method) ? method : (methods[0] ?? '');
  const matrix = findMatrix(correlations, current);
  const option = useMemo(() => (matrix ? (p: ChartPalette) => correlationOption(matrix, p) : null), [matrix]);

  if (methods.length === 0) {
    return (
      <p className="empty" data-testid="correlation-heatmap">
        No correlations: fewer than two numeric or categorical columns.
      </p>
    );
  }
  const n = matrix?.columns.length ?? 0;
  return (
    <div data-testid="correlation-heatmap" data-method={current}>
      <div className="section-tools">
        <div className="segmented" role="tablist" aria-label="Correlation method">
          {methods.map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              aria-selected={m === current}
              className={m === current ? 'active' : ''}
              onClick={() => setMethod(m)}
              data-testid={`correlation-method-${m}`}
            >
              {METHOD_LABELS[m] ?? m}
            </button>
          ))}
        </div>
        <span className="muted small-text">
          {correlations.sample_rows > 0 && `over ${formatInt(correlations.sample_rows)} sampled rows`}
        </span>
      </div>
      {matrix && option && n >= 2 ? (
        <EChart option={option} height={Math.min(620, Math.max(260, n * 30 + 90))} ariaLabel={`${METHOD_LABELS[current] ?? current} correlation heat map`} testId="correlation-chart" exportName={`correlation-${current}`} />
      ) : (
        <p className="empty">Not enough columns for this method.</p>
      )}
    </div>
  );
}

export function MissingView({ profile }: { profile: Profile }) {
  const m = profile.missing;
  const rows = profile.table.rows;
  const bars = useMemo(() => (p: ChartPalette) => missingBarOption(m, rows, p), [m, rows]);
  const matrix = useMemo(() => (p: ChartPalette) => missingMatrixOption(m, p), [m]);
  const anyMissing = m.per_column.some((v) => v.count > 0);
  return (
    <div data-testid="missing-view">
      {!anyMissing && <p className="empty">No missing values.</p>}
      <div className="chart-row">
        <div className="chart-box">
          <h4 className="stat-group-title">Missing per column</h4>
          <EChart option={bars} height={220} testId="missing-bars" ariaLabel="Missing values per column" exportName="missing-by-column" />
        </div>
        {m.matrix.length > 0 && (
          <div className="chart-box">
            <h4 className="stat-group-title">
              Null pattern <span className="muted">({formatInt(m.matrix.length)} evenly spaced rows)</span>
            </h4>
            <EChart option={matrix} height={Math.min(420, Math.max(220, m.matrix.length * 3 + 80))} testId="missing-matrix" ariaLabel="Missing value matrix" exportName="missing-matrix" />
          </div>
        )}
      </div>
    </div>
  );
}

function Cell({ value }: { value: JsonValue | undefined }) {
  const text = cellText(value);
  if (text === null) return <td className="null">null</td>;
  return <td className={typeof value === 'number' ? 'num' : undefined}>{text}</td>;
}

export function SmallTable({ columns, rows, lead, testId }: { columns: string[]; rows: JsonValue[][]; lead?: { title: string; values: string[] }; testId?: string }) {
  if (rows.length === 0) return <p className="empty">No rows.</p>;
  return (
    <div className="small-table-wrap" data-testid={testId}>
      <table className="table compact small-table">
        <thead>
          <tr>
            {lead && <th className="num">{lead.title}</th>}
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {lead && <td className="num">{lead.values[i]}</td>}
              {columns.map((c, j) => (
                <Cell key={c} value={r[j]} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DuplicatesView({ profile }: { profile: Profile }) {
  const d = profile.duplicates;
  const columns = profile.samples.columns.length > 0 ? profile.samples.columns : profile.columns.map((c) => c.name);
  return (
    <div data-testid="duplicates-view">
      <p className="section-lead">
        <b data-testid="duplicates-count">{formatInt(d.count)}</b> duplicate {d.count === 1 ? 'row' : 'rows'}
        <span className="muted"> ({formatPercent(profile.table.duplicate_rows_fraction)} of rows)</span>
      </p>
      {d.examples.length > 0 && (
        <SmallTable
          columns={columns}
          rows={d.examples.map((e) => e.row)}
          lead={{ title: 'Count', values: d.examples.map((e) => formatInt(e.count)) }}
          testId="duplicates-table"
        />
      )}
    </div>
  );
}

type SampleKind = 'head' | 'tail' | 'random';

export function SamplesView({ profile }: { profile: Profile }) {
  const [kind, setKind] = useState<SampleKind>('head');
  const s = profile.samples;
  return (
    <div data-testid="samples-view">
      <div className="section-tools">
        <div className="segmented" role="tablist" aria-label="Sample">
          {(['head', 'tail', 'random'] as const).map((k) => (
            <button key={k} type="button" role="tab" aria-selected={k === kind} className={k === kind ? 'active' : ''} onClick={() => setKind(k)} data-testid={`sample-${k}`}>
              {k === 'head' ? 'First rows' : k === 'tail' ? 'Last rows' : 'Random rows'}
            </button>
          ))}
        </div>
      </div>
      <SmallTable columns={s.columns} rows={s[kind]} testId="samples-table" />
    </div>
  );
}
