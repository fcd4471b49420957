import { useMemo, type ReactNode } from 'react';
import type { ColumnProfile, Histogram, ValueCount } from '../../../api/types.gen';
import { EChart } from '../../../components/charts/EChart';
import type { ChartPalette } from '../../../components/charts/palette';
import { formatDays, formatInt, formatNumber, formatPercent, humanBytes } from '../../../lib/format';
import { histogramOption, periodOption, valueCountOption } from './chartData';
import { Sparkline } from './Sparkline';

export function ColumnList({ columns, selected, onSelect }: { columns: ColumnProfile[]; selected: string | null; onSelect: (name: string) => void }) {
  return (
    <div className="column-list-wrap">
      <table className="table compact column-list" data-testid="column-list" aria-label="Columns">
        <thead>
          <tr>
            <th>Column</th>
            <th>Kind</th>
            <th className="num">Missing</th>
            <th className="num">Distinct</th>
            <th>Distribution</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((c) => (
            <tr
              key={c.name}
              className={`clickable ${c.name === selected ? 'selected' : ''}`}
              data-testid={`column-row-${c.name}`}
              aria-selected={c.name === selected}
              tabIndex={0}
              onClick={() => onSelect(c.name)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onSelect(c.name);
                }
              }}
            >
              <td>
                <div className="cell-name ellipsis" title={c.name}>
                  {c.name}
                </div>
                <div className="cell-sub mono">{c.dtype}</div>
              </td>
              <td>
                <span className={`kind-badge kind-${c.kind}`}>{c.kind}</span>
              </td>
              <td className={`num ${c.missing > 0 ? 'warn-text' : 'muted'}`}>{formatPercent(c.missing_fraction)}</td>
              <td className="num" title={c.distinct_approximate ? 'estimated (HyperLogLog)' : undefined}>
                {c.distinct_approximate ? '≈' : ''}
                {formatInt(c.distinct)}
              </td>
              <td>
                <Sparkline column={c} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Stat = [label: string, value: ReactNode, title?: string];

function StatGrid({ title, stats }: { title: string; stats: Stat[] }) {
  return (
    <div className="stat-group">
      <h4 className="stat-group-title">{title}</h4>
      <dl className="stat-grid">
        {stats.map(([label, value, hint]) => (
          <div key={label} className="stat-row" title={hint}>
            <dt>{label}</dt>
            <dd className="num">{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

const MONOTONICITY: Record<string, string> = {
  strictly_increasing: 'strictly increasing',
  increasing: 'increasing',
  strictly_decreasing: 'strictly decreasing',
  decreasing: 'decreasing',
  none: 'none',
};

function countAndShare(n: number, of: number): string {
  return of > 0 ? `${formatInt(n)} (${formatPercent(n / of)})` : formatInt(n);
}

function ChartBox({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="chart-box">
      <h4 className="stat-group-title">{title}</h4>
      {children}
    </div>
  );
}

function HistogramChart({ histogram, what }: { histogram: Histogram; what: string }) {
  const option = useMemo(() => (p: ChartPalette) => histogramOption(histogram, p, what), [histogram, what]);
  return <EChart option={option} height={200} testId="histogram-chart" ariaLabel="Histogram" exportName={`histogram-${what}`} />;
}

function TopValuesChart({ values, total }: { values: ValueCount[]; total: number }) {
  const option = useMemo(() => (p: ChartPalette) => valueCountOption(values, p, total), [values, total]);
  return <EChart option={option} height={Math.max(120, values.length * 22 + 30)} testId="top-values-chart" ariaLabel="Top values" exportName="top-values" />;
}

function PeriodChart({ values }: { values: ValueCount[] }) {
  const option = useMemo(() => (p: ChartPalette) => periodOption(values, p), [values]);
  return <EChart option={option} height={200} testId="period-chart" ariaLabel="Values per period" exportName="values-per-period" />;
}

export function ColumnDetail({ column, rows }: { column: ColumnProfile; rows: number }) {
  const common: Stat[] = [
    ['Present', formatInt(column.count)],
    ['Missing', countAndShare(column.missing, rows)],
    ['Distinct', `${column.distinct_approximate ? '≈' : ''}${formatInt(column.distinct)} (${formatPercent(column.distinct_fraction)})`, column.distinct_approximate ? 'estimated (HyperLogLog)' : undefined],
    ['Unique', formatInt(column.unique), 'values that occur exactly once'],
    ['Memory', humanBytes(column.memory_bytes)],
  ];
  const n = column.numeric;
  const t = column.text;
  const d = column.temporal;
  const f = (v: number | null) => formatNumber(v);

  return (
    <div className="column-detail" data-testid="column-detail" data-column={column.name}>
      <div className="column-detail-head">
        <h3 className="column-title">{column.name}</h3>
        <span className="mono muted">{column.dtype}</span>
        <span className={`kind-badge kind-${column.kind}`}>{column.kind}</span>
        {column.hints.map((h) => (
          <span key={h} className="hint-badge" data-testid={`hint-${h}`}>
            {h.replace(/_/g, ' ')}
          </span>
        ))}
      </div>
      <div className="stat-groups">
        <StatGrid title="Values" stats={common} />
        {n && (
          <StatGrid
            title="Summary"
            stats={[
              ['Min', f(n.min)],
              ['Max', f(n.max)],
              ['Range', f(n.range)],
              ['Mean', f(n.mean)],
              ['Std', f(n.std), 'sample standard deviation'],
              ['Variance', f(n.variance)],
              ['Sum', f(n.sum)],
              ['CV', f(n.cv), 'coefficient of variation, std / mean'],
              ['Skewness', f(n.skewness)],
              ['Kurtosis', f(n.kurtosis), 'excess kurtosis'],
            ]}
          />
        )}
        {n && (
          <StatGrid
            title="Quantiles"
            stats={[
              ['5%', f(n.p05)],
              ['25%', f(n.p25)],
              ['Median', f(n.p50)],
              ['75%', f(n.p75)],
              ['95%', f(n.p95)],
              ['IQR', f(n.iqr), 'p75 − p25'],
              ['MAD', f(n.mad), 'median absolute deviation'],
            ]}
          />
        )}
        {n && (
          <StatGrid
            title="Special values"
            stats={[
              ['Zeros', countAndShare(n.zeros, rows)],
              ['Negatives', countAndShare(n.negatives, rows)],
              ['Infinite', countAndShare(n.infinite, rows)],
              ['Monotonicity', MONOTONICITY[n.monotonicity] ?? n.monotonicity],
            ]}
          />
        )}
        {t && (
          <StatGrid
            title="Lengths"
            stats={[
              ['Min length', formatInt(t.min_length)],
              ['Max length', formatInt(t.max_length)],
              ['Mean length', formatNumber(t.mean_length, 3)],
              ['Median length', formatNumber(t.median_length, 3)],
              ['Empty', countAndShare(t.empty, rows)],
            ]}
          />
        )}
        {t && Object.keys(t.char_classes).length > 0 && (
          <StatGrid title="Characters" stats={Object.entries(t.char_classes).map(([k, v]): Stat => [k.replace(/_/g, ' '), formatInt(Number(v ?? 0))])} />
        )}
        {d && (
          <StatGrid
            title="Time span"
            stats={[
              ['Min', <span className="mono">{d.min ?? '—'}</span>],
              ['Max', <span className="mono">{d.max ?? '—'}</span>],
              ['Range', formatDays(d.range_days)],
              ['Period', d.period],
            ]}
          />
        )}
      </div>
      <div className="chart-row">
        {n && n.histogram.counts.length > 0 && (
          <ChartBox title="Histogram">
            <HistogramChart histogram={n.histogram} what="values" />
          </ChartBox>
        )}
        {t && t.length_histogram.counts.length > 0 && (
          <ChartBox title="Length histogram">
            <HistogramChart histogram={t.length_histogram} what="values" />
          </ChartBox>
        )}
        {d && d.histogram.length > 0 && (
          <ChartBox title={`Values per ${d.period}`}>
            <PeriodChart values={d.histogram} />
          </ChartBox>
        )}
        {column.top_values.length > 0 && (
          <ChartBox title="Top values">
            <TopValuesChart values={column.top_values} total={column.count + column.missing} />
          </ChartBox>
        )}
      </div>
    </div>
  );
}
