import { useEffect, useState } from 'react';
import { useClient } from '../../api/client';
import { useApp } from '../../state/app';
import { MlflowRemoteView } from './MlflowRemoteView';

/** The `mlflow` connections of the open project (none when it has no project or none saved). */
function useMlflowConnections(): string[] {
  const client = useClient();
  const { project } = useApp();
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    if (!project) {
      setNames([]);
      return;
    }
    client.call('list_connections', {}).then(
      (all) => live && setNames(all.filter((c) => c.kind === 'mlflow').map((c) => c.name)),
      () => live && setNames([]),
    );
    return () => {
      live = false;
    };
  }, [client, project]);
  return names;
}

/**
 * Which tracking data a panel shows: the project's own (`null`) or a remote MLflow server's,
 * one of the project's `mlflow` connections. Shows nothing when there are none.
 */
export function TrackingSourcePicker({ value, onChange }: { value: string | null; onChange: (source: string | null) => void }) {
  const names = useMlflowConnections();
  if (names.length === 0 && value === null) return null;
  return (
    <label className="inline-field small-text source-picker">
      Source
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value || null)} data-testid="tracking-source">
        <option value="">This project</option>
        {names.map((n) => (
          <option key={n} value={n}>
            MLflow: {n}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A panel's body while it shows a remote MLflow server: its experiments, runs and models, with import. */
export function RemoteTrackingPanel({
  connection,
  tab,
  onSource,
}: {
  connection: string;
  tab: 'runs' | 'models';
  onSource: (source: string | null) => void;
}) {
  return (
    <div className="panel datasets-panel experiments-panel" data-testid="remote-tracking-panel">
      <aside className="ds-side">
        <div className="ds-side-head">
          <span className="section-title">{tab === 'runs' ? 'Experiments' : 'Models'}</span>
        </div>
        <TrackingSourcePicker value={connection} onChange={onSource} />
        <p className="muted small-text side-hint">
          Browsing the MLflow server of connection <span className="mono">{connection}</span>. Tick runs or versions and import them to work on
          them here.
        </p>
      </aside>
      <section className="ds-main exp-main">
        <div className="exp-scroll">
          <MlflowRemoteView key={`${connection}-${tab}`} connection={connection} initialTab={tab} />
        </div>
      </section>
    </div>
  );
}
