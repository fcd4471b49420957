import { useEffect, useMemo, useState } from 'react';
import { useClient } from '../../api/client';
import type { TableFormat } from '../../api/types.gen';
import { DatasetSelect } from '../../components/DatasetSelect';
import { useApp } from '../../state/app';
import { hasAssayModel } from './train';

/**
 * For runs with an Assay model (`model/model.json`, logged by training in the app): score a
 * project data set with it into reports/ (a `prediction` column added).
 */
export function ScoreDataset({ runId, trainedOn }: { runId: string; trainedOn?: string }) {
  const client = useClient();
  const { project, reportError } = useApp();
  const datasets = useMemo(() => project?.datasets.map((d) => d.name) ?? [], [project]);
  const [hasModel, setHasModel] = useState(false);
  const [dataset, setDataset] = useState('');
  const [format, setFormat] = useState<TableFormat>('csv');
  const [busy, setBusy] = useState(false);
  const [written, setWritten] = useState<string | null>(null);
  const current = datasets.includes(dataset) ? dataset : trainedOn && datasets.includes(trainedOn) ? trainedOn : (datasets[0] ?? '');

  useEffect(() => {
    let live = true;
    setHasModel(false);
    setWritten(null);
    client.call('run_artifacts', { run_id: runId, path: 'model' }).then(
      (r) => live && setHasModel(hasAssayModel(r.files)),
      () => live && setHasModel(false),
    );
    return () => {
      live = false;
    };
  }, [client, runId]);

  if (!hasModel || datasets.length === 0) return null;
  const score = async () => {
    setBusy(true);
    setWritten(null);
    try {
      const out = await client.call('score_dataset', { run_id: runId, dataset: current, format });
      setWritten(out.relative_path);
    } catch (e) {
      reportError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card score-card" data-testid="score-dataset">
      <div className="toolbar">
        <h4 className="section-title">Score a data set</h4>
        <span className="muted small-text">with this run’s model: the rows with a prediction column, into reports/</span>
      </div>
      <div className="toolbar">
        <DatasetSelect datasets={datasets} value={current} onChange={setDataset} label="Data set to score" testId="score-dataset-select" />
        <select value={format} onChange={(e) => setFormat(e.target.value as TableFormat)} aria-label="File format" data-testid="score-format">
          <option value="csv">CSV</option>
          <option value="parquet">Parquet</option>
        </select>
        <button type="button" className="small primary" disabled={busy || !current} onClick={() => void score()} data-testid="score-run">
          {busy ? 'Scoring…' : 'Score'}
        </button>
        {written && (
          <span className="small-text" data-testid="score-written">
            wrote <span className="mono">{written}</span>
          </span>
        )}
      </div>
    </section>
  );
}
