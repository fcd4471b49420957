import { useEffect, useId, useState } from 'react';
import { useClient } from '../../api/client';
import type { MlflowTransferResult } from '../../api/types.gen';
import { Modal } from '../../components/Dialogs';
import { useTrackedJob } from '../../state/useTrackedJob';
import { mlflowConnections, transferSummary } from './mlflowRemote';

/** Push local runs to an experiment of a remote MLflow server (an `mlflow` connection). */
export function PushToMlflowDialog({ runIds, experiment, onClose }: { runIds: string[]; experiment?: string; onClose(): void }) {
  const client = useClient();
  const [connections, setConnections] = useState<string[] | null>(null);
  const [connection, setConnection] = useState('');
  const [target, setTarget] = useState(experiment ?? '');
  const [done, setDone] = useState<string | null>(null);
  const connectionId = useId();
  const experimentId = useId();
  const job = useTrackedJob((result) => setDone(transferSummary(result as unknown as MlflowTransferResult, 'Pushed')));

  useEffect(() => {
    client.call('list_connections', {}).then(
      (all) => {
        const names = mlflowConnections(all);
        setConnections(names);
        setConnection((c) => c || names[0] || '');
      },
      () => setConnections([]),
    );
  }, [client]);

  const push = () => {
    if (!connection || !target.trim() || job.running) return;
    setDone(null);
    void job.start(() => client.call('start_mlflow_push', { connection, run_ids: runIds, experiment: target.trim(), model_versions: [] }));
  };
  const progress = job.job?.state.state === 'running' ? job.job.state.progress : null;

  return (
    <Modal
      title={`Push ${runIds.length === 1 ? 'run' : `${runIds.length} runs`} to MLflow`}
      onClose={onClose}
      onSubmit={push}
      footer={
        <>
          <button type="button" onClick={onClose}>
            {done ? 'Close' : 'Cancel'}
          </button>
          {job.running ? (
            <button type="button" onClick={job.cancel}>
              Stop
            </button>
          ) : (
            <button type="submit" className="primary" disabled={!connection || !target.trim()} data-testid="push-mlflow-submit">
              Push
            </button>
          )}
        </>
      }
    >
      {connections && connections.length === 0 ? (
        <p className="field-help">No MLflow connection in this project: add one (kind “mlflow”, the server’s URL) in Connections first.</p>
      ) : (
        <>
          <label htmlFor={connectionId} className="field-label">
            MLflow connection
          </label>
          <select id={connectionId} className="text-input" value={connection} onChange={(e) => setConnection(e.target.value)}>
            {(connections ?? []).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <label htmlFor={experimentId} className="field-label">
            Remote experiment
          </label>
          <input id={experimentId} className="text-input" value={target} onChange={(e) => setTarget(e.target.value)} placeholder="created when missing" spellCheck={false} />
          <p className="field-help">Metric histories, parameters, tags, inputs and artifacts are copied; a run pushed before is not pushed twice.</p>
        </>
      )}
      {progress && <p className="small-text">{progress.message}</p>}
      {job.error && <p className="inline-error">{job.error}</p>}
      {done && <p className="ok-text small-text" data-testid="push-mlflow-done">{done}</p>}
    </Modal>
  );
}
