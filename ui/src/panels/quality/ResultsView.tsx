import { useState } from 'react';
import type { QualityRun, RuleResult } from '../../api/types.gen';
import { cellText, dateTime, formatInt, formatNumber, formatPercent } from '../../lib/format';
import { StatusPill } from './StatusPill';

function observedText(r: RuleResult): string {
  const o = r.observed;
  if (o === undefined) return '';
  return typeof o === 'number' ? formatNumber(o) : o;
}


/** The failing rows kept for one rule, with their row numbers in the data set. */
function FailingRows({ rule }: { rule: RuleResult }) {
  const sample = rule.sample;
  if (!sample || sample.rows.length === 0) {
    return <p className="empty">{rule.failing_count ? 'This rule keeps no row sample.' : 'No failing rows.'}</p>;
  }
  return (
    <div className="failing-rows" data-testid="failing-rows">
      <p className="muted small-text">
        First {formatInt(sample.rows.length)} of {formatInt(rule.failing_count ?? sample.rows.length)} failing rows of <span className="mono">{rule.name ?? rule.id}</span>
      </p>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>row</th>
              {sample.columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sample.rows.map((row) => (
              <tr key={row.row}>
                <td className="mono muted">{formatInt(row.row)}</td>
                {row.values.map((v, i) => (
                  <td key={i} className={`mono ${v === null ? 'muted' : ''}`}>
                    {cellText(v) ?? '∅'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** One run's outcome per rule; a click shows that rule's failing rows. */
export function ResultsView({ run }: { run: QualityRun }) {
  const rules = run.result.rules;
  const [selected, setSelected] = useState<string | null>(() => rules.find((r) => r.sample && r.sample.rows.length > 0)?.id ?? null);
  const t = run.summary.totals;
  const chosen = rules.find((r) => r.id === selected) ?? null;
  return (
    <div className="quality-results" data-testid="quality-results">
      <p className="small-text" data-testid="quality-totals">
        <strong>{run.summary.file}</strong> on {run.summary.dataset} · {dateTime(run.summary.started_at)} · {formatInt(run.summary.rows)} rows · {formatNumber(run.summary.elapsed_ms, 3)} ms ·{' '}
        <span className="ok-text">{t.passed} passed</span>, <span className="error-text">{t.failed} failed</span>, <span className="warn-text">{t.warned} warned</span>
        {t.errors > 0 && <span className="error-text">, {t.errors} invalid</span>}
        {t.skipped > 0 && <span className="muted">, {t.skipped} skipped</span>}
      </p>
      <table className="table results-table" aria-label="Rule results">
        <thead>
          <tr>
            <th>Status</th>
            <th>Rule</th>
            <th>Line</th>
            <th>Observed</th>
            <th>Failing rows</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr
              key={r.id}
              className={`clickable ${r.id === selected ? 'row-selected' : ''}`}
              onClick={() => setSelected(r.id)}
              data-testid={`result-${r.id}`}
              aria-selected={r.id === selected}
            >
              <td>
                <StatusPill status={r.status} />
              </td>
              <td className="mono">{r.name ?? r.id}</td>
              <td className="muted">{r.line || ''}</td>
              <td className="mono">{observedText(r)}</td>
              <td className="mono">{r.failing_count === undefined ? '' : `${formatInt(r.failing_count)} (${formatPercent(r.failing_fraction ?? 0, 2)})`}</td>
              <td className="small-text">{r.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {chosen && <FailingRows key={chosen.id} rule={chosen} />}
    </div>
  );
}
