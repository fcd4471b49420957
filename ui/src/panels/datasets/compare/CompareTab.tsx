import { useMemo, useRef, useState } from 'react';
import { useClient } from '../../../api/client';
import type { ColumnDrift, DriftReport, JobInfo } from '../../../api/types.gen';
import { EChart } from '../../../components/charts/EChart';
import type { ChartPalette } from '../../../components/charts/palette';
import { formatInt, formatPercent, humanAmount, progressFraction } from '../../../lib/format';
import { useApp } from '../../../state/app';
import { compareJobTitle } from '../jobsFor';
import { asDriftReport, distributionOption, driftSummary, formatMetric, formatPValue, psiLevel, sortDrift, TEST_LABELS } from './drift';
import { DatasetSelect } from '../../../components/DatasetSelect';

/** The compare job last started per (reference, current), kept across panel switches. */
const startedCompares = new Map<string, string>();
const pairKey = (reference: string, current: string) => `${reference}\u0000${current}`;

function compareJob(jobs: JobInfo[], reference: string, current: string): JobInfo | null {
  const id = startedCompares.get(pairKey(reference, current));
  if (id) {
    const job = jobs.find((j) => j.id === id);
    if (job) return job;
  }
  return jobs.find((j) => j.kind === 'compare' && j.title === compareJobTitle(reference, current)) ?? null;
}

function DistributionChart({ column, names }: { column: ColumnDrift; names: [string, string] }) {
  const option = useMemo(() => (p: ChartPalette) => distributionOption(column, p, names), [column, names]);
  return <EChart option={option} height={260} testId="drift-chart" ariaLabel={`Distributions of ${column.column}`} exportName={`drift-${column.column}`} />;
}

function DriftView({ report, names }: { report: DriftReport; names: [string, string] }) {
  const columns = useMemo(() => sortDrift(report.columns), [report]);
  const [selected, setSelected] = useState<string | null>(columns.find((c) => c.drifted)?.column ?? columns[0]?.column ?? null);
  const column = columns.find((c) => c.column === selected) ?? null;
  const detailRef = useRef<HTMLDivElement>(null);
  const select = (name: string) => {
    setSelected(name);
    requestAnimationFrame(() => detailRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }));
  };

  return (
    <div className="drift" data-testid="drift-report">
      <div className="drift-summary">
        <span className={`drift-headline ${report.drifted > 0 ? 'warn-text' : 'ok-text'}`} data-testid="drift-summary">
          {driftSummary(report)}
        </span>
        <span className="muted">
          {names[0]}: {formatInt(report.reference_rows)} rows · {names[1]}: {formatInt(report.current_rows)} rows
        </span>
      </div>
      {(report.only_in_reference.length > 0 || report.only_in_current.length > 0) && (
        <div className="notice" data-testid="drift-only">
          {report.only_in_reference.length > 0 && (
            <div>
              Only in {names[0]}: <span className="mono">{report.only_in_reference.join(', ')}</span>
            </div>
          )}
          {report.only_in_current.length > 0 && (
            <div>
              Only in {names[1]}: <span className="mono">{report.only_in_current.join(', ')}</span>
            </div>
          )}
        </div>
      )}
      <div className="drift-split">
        <div className="drift-table-wrap">
          <table className="table compact" data-testid="drift-table" aria-label="Drift per column">
            <thead>
              <tr>
                <th>Column</th>
                <th>Test</th>
                <th className="num">Statistic</th>
                <th className="num">p-value</th>
                <th className="num" title="Wasserstein distance, in the column's units">Wasserstein</th>
                <th className="num" title="Jensen–Shannon distance (0..1)">Jensen–Shannon</th>
                <th className="num" title="Population stability index">PSI</th>
                <th>Drift</th>
                <th className="num">Missing ref / cur</th>
              </tr>
            </thead>
            <tbody>
              {columns.map((c) => (
                <tr
                  key={c.column}
                  className={`clickable ${c.column === selected ? 'selected' : ''}`}
                  data-testid={`drift-row-${c.column}`}
                  data-drifted={c.drifted}
                  aria-selected={c.column === selected}
                  tabIndex={0}
                  onClick={() => select(c.column)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      select(c.column);
                    }
                  }}
                >
                  <td>
                    <div className="cell-name">{c.column}</div>
                    <div className="cell-sub">{c.kind}</div>
                  </td>
                  <td title={TEST_LABELS[c.test] ?? c.test}>{c.test === 'chi_squared' ? 'χ²' : c.test.toUpperCase()}</td>
                  <td className="num">{formatMetric(c.statistic)}</td>
                  <td className="num">{formatPValue(c.p_value)}</td>
                  <td className="num">{formatMetric(c.wasserstein)}</td>
                  <td className="num">{formatMetric(c.jensen_shannon)}</td>
                  <td className={`num psi-${psiLevel(c.psi)}`}>{formatMetric(c.psi)}</td>
                  <td>{c.drifted ? <span className="pill pill-failed">drifted</span> : <span className="pill pill-succeeded">stable</span>}</td>
                  <td className="num">
                    {formatPercent(c.missing_fraction[0])} / {formatPercent(c.missing_fraction[1])}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {column && (
          <div className="drift-detail" ref={detailRef}>
            <h4 className="stat-group-title">
              {column.column} <span className="muted">— share of rows per {column.kind === 'numeric' ? 'bin' : 'category'}</span>
            </h4>
            {column.reference.length + column.current.length > 0 ? (
              <DistributionChart column={column} names={names} />
            ) : (
              <p className="empty">No distribution to show.</p>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

/** Compare tab: drift of one data set against another, column by column. */
export function CompareTab({ dataset, datasets }: { dataset: string; datasets: string[] }) {
  const client = useClient();
  const { jobs, actions, reportError } = useApp();
  const [current, setCurrent] = useState(dataset);
  const [reference, setReference] = useState(() => datasets.find((d) => d !== dataset) ?? dataset);
  const [starting, setStarting] = useState(false);
  const job = compareJob(jobs, reference, current);
  const running = job?.state.state === 'running';
  const report = job?.state.state === 'succeeded' ? asDriftReport(job.state.result) : null;
  const names = useMemo<[string, string]>(() => [`${reference} (reference)`, `${current} (current)`], [reference, current]);

  const run = async () => {
    setStarting(true);
    try {
      const ref = await client.call('start_compare', { reference, current });
      startedCompares.set(pairKey(reference, current), ref.id);
      await actions.trackJob(ref);
    } catch (e) {
      reportError(e);
    } finally {
      setStarting(false);
    }
  };

  const progress = job?.state.state === 'running' ? job.state.progress : null;
  const fraction = progress ? progressFraction(progress.done, progress.total) : null;

  return (
    <div className="compare" data-testid="compare-tab">
      <div className="compare-bar">
        <label className="inline-field">
          <span>Reference</span>
          <DatasetSelect datasets={datasets} value={reference} onChange={setReference} label="Reference data set" testId="compare-reference" />
        </label>
        <button type="button" className="icon-button small" title="Swap" aria-label="Swap reference and current" onClick={() => {
          setReference(current);
          setCurrent(reference);
        }}>
          ⇄
        </button>
        <label className="inline-field">
          <span>Current</span>
          <DatasetSelect datasets={datasets} value={current} onChange={setCurrent} label="Current data set" testId="compare-current" />
        </label>
        <button type="button" className="primary" onClick={() => void run()} disabled={running || starting} data-testid="compare-run">
          Compare
        </button>
        {reference === current && <span className="muted small-text">Comparing a data set with itself.</span>}
        {progress && (
          <span className="job-inline" data-testid="compare-progress">
            <span className={`progress ${fraction === null ? 'indeterminate' : ''}`} role="progressbar" aria-label="Compare progress">
              <span className="progress-fill" style={fraction === null ? undefined : { width: `${fraction * 100}%` }} />
            </span>
            <span className="muted small-text">
              {progress.total !== null ? `${humanAmount(progress.done, progress.unit)} / ${humanAmount(progress.total, progress.unit)}` : progress.message}
            </span>
            <button type="button" className="small" onClick={() => job && void actions.cancelJob(job.id)}>
              Cancel
            </button>
          </span>
        )}
      </div>
      {job?.state.state === 'failed' && (
        <div className="inline-error" role="alert" data-testid="compare-error">
          {job.state.error.message}
        </div>
      )}
      {job?.state.state === 'cancelled' && <p className="empty">The comparison was cancelled.</p>}
      {report ? (
        <DriftView key={job?.id} report={report} names={names} />
      ) : (
        !job && <p className="empty">Pick a reference (e.g. training data) and a current data set, then compare their distributions.</p>
      )}
    </div>
  );
}
