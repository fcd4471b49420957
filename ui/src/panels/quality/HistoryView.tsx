import { useEffect, useState } from 'react';
import { useClient } from '../../api/client';
import type { QualityHistory } from '../../api/types.gen';
import { EChart } from '../../components/charts/EChart';
import { dateTime, formatInt, formatNumber } from '../../lib/format';
import { useApp } from '../../state/app';
import { runsChart, trendChart } from './history';

/** The runs of a suite over time and one rule's trend; a click on a run opens its results. */
export function HistoryView({ file, version, onOpenRun }: { file: string; version: number; onOpenRun(id: string): void }) {
  const client = useClient();
  const { reportError } = useApp();
  const [history, setHistory] = useState<QualityHistory | null>(null);
  const [rule, setRule] = useState<string>('');

  useEffect(() => {
    let live = true;
    client.call('quality_history', { file }).then((h) => live && setHistory(h), reportError);
    return () => {
      live = false;
    };
  }, [client, file, version, reportError]);

  if (!history) return <p className="empty">Loading history…</p>;
  if (history.runs.length === 0) return <p className="empty">No runs yet: run the suite to start its history.</p>;
  const trend = history.rules.find((t) => t.rule === rule) ?? history.rules.find((t) => t.points.some((x) => x.status !== 'passed')) ?? history.rules[0];
  const stem = file.replace(/^rules\//, '').replace(/\.ya?ml$/, '');
  return (
    <div className="quality-history" data-testid="quality-history">
      <h4 className="section-title">Rules per run</h4>
      <EChart option={(p) => runsChart(history, p)} height={200} testId="history-runs-chart" exportName={`${stem}-runs`} ariaLabel="Rule outcomes per run" />
      {trend && (
        <>
          <div className="toolbar trend-pick">
            <span className="section-title">Trend of</span>
            <select value={trend.rule} onChange={(e) => setRule(e.target.value)} data-testid="history-rule">
              {history.rules.map((t) => (
                <option key={t.rule}>{t.rule}</option>
              ))}
            </select>
          </div>
          <EChart option={(p) => trendChart(trend, p)} height={220} testId="history-trend-chart" exportName={`${stem}-trend`} ariaLabel={`Trend of ${trend.rule}`} />
        </>
      )}
      <table className="table" aria-label="Runs">
        <thead>
          <tr>
            <th>Run</th>
            <th>Rows</th>
            <th>Passed</th>
            <th>Failed</th>
            <th>Warned</th>
            <th>Invalid</th>
            <th>Time</th>
          </tr>
        </thead>
        <tbody>
          {history.runs
            .slice()
            .reverse()
            .map((r) => (
              <tr key={r.id} className="clickable" onClick={() => onOpenRun(r.id)} data-testid="history-run">
                <td>{dateTime(r.started_at)}</td>
                <td className="mono">{formatInt(r.rows)}</td>
                <td className="ok-text">{r.totals.passed}</td>
                <td className={r.totals.failed ? 'error-text' : ''}>{r.totals.failed}</td>
                <td className={r.totals.warned ? 'warn-text' : ''}>{r.totals.warned}</td>
                <td>{r.totals.errors}</td>
                <td className="mono">{formatNumber(r.elapsed_ms, 3)} ms</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
