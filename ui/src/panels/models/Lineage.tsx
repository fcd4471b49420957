import { useEffect, useState } from 'react';
import { useClient } from '../../api/client';
import type { DatasetLineage, ModelLineage, QualityRunSummary, Status } from '../../api/types.gen';
import { formatInt, shortDateTime, shortHash } from '../../lib/format';
import { useApp } from '../../state/app';
import { StatusPill } from '../quality/StatusPill';
import { requestRun } from '../experiments/navigation';
import { formatMetric, runDuration } from '../experiments/query';
import { RunStatusPill } from '../experiments/RunsTable';

const SHOWN = 8;

/** The overall outcome of a quality run from its totals. */
export function qualityStatus(r: Pick<QualityRunSummary, 'totals'>): Status {
  const t = r.totals;
  if (t.errors > 0) return 'error';
  if (t.failed > 0) return 'failed';
  if (t.warned > 0) return 'warned';
  if (t.passed === 0 && t.skipped > 0) return 'skipped';
  return 'passed';
}

/** Version → run → data sets it read → quality checks of those data sets, left to right. */
export function Lineage({ name, version, aliases }: { name: string; version: string; aliases?: string[] }) {
  const client = useClient();
  const { showPanel } = useApp();
  const [lineage, setLineage] = useState<ModelLineage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setLineage(null);
    setError(null);
    client.call('model_lineage', { name, version }).then(
      (l) => live && setLineage(l),
      (e: { message?: string }) => live && setError(e.message ?? String(e)),
    );
    return () => {
      live = false;
    };
  }, [client, name, version]);

  if (error) return <p className="inline-error">{error}</p>;
  if (!lineage) return <p className="empty small-text">Tracing lineage…</p>;
  const { run } = lineage;
  const openRun = () => {
    if (!run) return;
    requestRun({ runId: run.info.run_id, experimentId: run.info.experiment_id });
    showPanel('experiments');
  };
  const metrics = run ? [...run.data.metrics].sort((a, b) => a.key.localeCompare(b.key)) : [];
  const params = run ? [...run.data.params].sort((a, b) => a.key.localeCompare(b.key)) : [];
  // Quality runs not already listed under a data set's suites.
  const listed = new Set(lineage.datasets.flatMap((d) => d.suites.map((s) => s.last_run?.id).filter(Boolean)));
  const extraQuality = lineage.quality.filter((q) => !listed.has(q.id));

  return (
    <div className="lineage" data-testid="lineage">
      <div className="lineage-col">
        <div className="lineage-label">Model version</div>
        <div className="lineage-node node-version">
          <div className="lineage-title">
            {lineage.version.name} <span className="mono">v{lineage.version.version}</span>
          </div>
          {(aliases ?? lineage.version.aliases).length > 0 && (
            <div className="alias-chips">
              {(aliases ?? lineage.version.aliases).map((a) => (
                <span key={a} className="alias-chip">
                  @{a}
                </span>
              ))}
            </div>
          )}
          <div className="muted small-text">registered {shortDateTime(new Date(lineage.version.creation_timestamp).toISOString())}</div>
          <div className="mono small-text ellipsis" title={lineage.version.source}>
            {lineage.version.source}
          </div>
        </div>
      </div>
      <div className="lineage-arrow" aria-hidden="true">
        →
      </div>
      <div className="lineage-col">
        <div className="lineage-label">Training run</div>
        {run ? (
          <div className="lineage-node" data-testid="lineage-run">
            <div className="lineage-title">
              <button type="button" className="link-button" onClick={openRun} data-testid="lineage-open-run" title="Open this run in the Experiments panel">
                {run.info.run_name || run.info.run_id.slice(0, 8)}
              </button>
              <RunStatusPill status={run.info.status} />
            </div>
            <div className="muted small-text">
              {lineage.experiment ?? `experiment ${run.info.experiment_id}`} · {runDuration(run.info.start_time, run.info.end_time) || 'no end time'}
            </div>
            {metrics.length > 0 && (
              <table className="lineage-kv">
                <tbody>
                  {metrics.slice(0, SHOWN).map((m) => (
                    <tr key={m.key}>
                      <td>{m.key}</td>
                      <td className="mono num">{formatMetric(m.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {params.length > 0 && (
              <table className="lineage-kv params">
                <tbody>
                  {params.slice(0, SHOWN).map((p) => (
                    <tr key={p.key}>
                      <td>{p.key}</td>
                      <td className="mono">{p.value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {metrics.length + params.length > 2 * SHOWN && <div className="muted small-text">… more in the run</div>}
          </div>
        ) : (
          <div className="lineage-node muted">{lineage.version.run_id ? `Run ${lineage.version.run_id} is not in this project.` : 'Not made by a run.'}</div>
        )}
      </div>
      <div className="lineage-arrow" aria-hidden="true">
        →
      </div>
      <div className="lineage-col">
        <div className="lineage-label">Data sets read</div>
        {lineage.datasets.length === 0 && <div className="lineage-node muted small-text">The run logged no data set inputs (mlflow.log_input).</div>}
        {lineage.datasets.map((d, i) => (
          <DatasetNode key={`${d.name}-${d.digest}-${i}`} d={d} />
        ))}
      </div>
      <div className="lineage-arrow" aria-hidden="true">
        →
      </div>
      <div className="lineage-col">
        <div className="lineage-label">Quality checks</div>
        {lineage.datasets.every((d) => d.suites.length === 0) && extraQuality.length === 0 && <div className="lineage-node muted small-text">No rule suite checks these data sets.</div>}
        {lineage.datasets.flatMap((d) =>
          d.suites.map((s) => (
            <div key={`${d.name}-${s.file}`} className="lineage-node" data-testid="lineage-suite">
              <div className="lineage-title">
                <span className="mono ellipsis">{s.file}</span>
                {s.last_run ? <StatusPill status={qualityStatus(s.last_run)} /> : <span className="pill">never run</span>}
              </div>
              <div className="muted small-text">
                {d.project_dataset ?? d.name} · {s.rules} rules
                {s.last_run && ` · ${shortDateTime(s.last_run.started_at)} · ${s.last_run.totals.passed} passed, ${s.last_run.totals.failed} failed, ${s.last_run.totals.warned} warned`}
              </div>
            </div>
          )),
        )}
        {extraQuality.map((q) => (
          <div key={q.id} className="lineage-node">
            <div className="lineage-title">
              <span className="mono ellipsis">{q.file}</span>
              <StatusPill status={qualityStatus(q)} />
            </div>
            <div className="muted small-text">
              {q.dataset} · {shortDateTime(q.started_at)}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}

function DatasetNode({ d }: { d: DatasetLineage }) {
  const { showPanel } = useApp();
  return (
    <div className="lineage-node" data-testid="lineage-dataset">
      <div className="lineage-title">
        <span>{d.name}</span>
        {d.context && <span className="pill">{d.context}</span>}
      </div>
      <div className="mono small-text muted" title={d.digest}>
        digest {shortHash(d.digest, 10)}
      </div>
      {d.project_dataset ? (
        <div className="small-text">
          project data set{' '}
          <button type="button" className="link-button small" onClick={() => showPanel('datasets')}>
            {d.project_dataset}
          </button>
          {d.profile ? (
            <div className="lineage-profile" data-testid="lineage-profile">
              {formatInt(d.profile.rows)} rows · {d.profile.columns} columns ·{' '}
              <span className={d.profile.alerts > 0 ? 'warn-text' : 'ok-text'}>
                {d.profile.alerts} alert{d.profile.alerts === 1 ? '' : 's'}
              </span>
            </div>
          ) : (
            <div className="muted">not profiled yet</div>
          )}
        </div>
      ) : (
        <div className="muted small-text">not a data set of this project</div>
      )}
    </div>
  );
}
