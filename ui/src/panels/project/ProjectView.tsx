import { useClient } from '../../api/client';
import type { ProjectInfo } from '../../api/types.gen';
import { HashIcon, PlusIcon } from '../../components/icons';
import { useApp } from '../../state/app';
import { DatasetsTable } from './DatasetsTable';
import { useDragDrop } from './useDragDrop';

export function ProjectView({ project }: { project: ProjectInfo }) {
  const client = useClient();
  const { actions, jobs, busy } = useApp();
  const dragging = useDragDrop(client.kind === 'tauri', (paths) => void actions.addDatasetPaths(paths));
  const fingerprinting = jobs.some((j) => j.kind === 'fingerprint' && j.state.state === 'running');

  return (
    <div className={`panel project ${dragging ? 'dragging' : ''}`} data-testid="project-view">
      <header className="panel-header">
        <h1 className="panel-title">{project.name}</h1>
        {project.description && <p className="description">{project.description}</p>}
        <dl className="meta">
          <dt>Path</dt>
          <dd className="mono" data-testid="project-path">
            {project.path}
          </dd>
          <dt>Store schema</dt>
          <dd>v{project.store_schema}</dd>
        </dl>
      </header>

      <section className="section" aria-labelledby="datasets-title">
        <div className="section-bar">
          <h2 id="datasets-title" className="section-title">
            Data sets <span className="count">{project.datasets.length}</span>
          </h2>
          <div className="toolbar">
            <button type="button" disabled={busy} onClick={() => void actions.addDataset()}>
              <PlusIcon /> Add data set…
            </button>
            <button
              type="button"
              disabled={busy || fingerprinting}
              title={fingerprinting ? 'Already computing' : 'Hash every local data file'}
              onClick={() => void actions.computeFingerprints()}
            >
              <HashIcon /> Compute fingerprints
            </button>
          </div>
        </div>
        <DatasetsTable datasets={project.datasets} onRemove={(name) => void actions.removeDataset(name)} />
      </section>

      {project.connections.length > 0 && (
        <section className="section" aria-labelledby="connections-title">
          <h2 id="connections-title" className="section-title">
            Connections <span className="count">{project.connections.length}</span>
          </h2>
          <table className="table" aria-label="Connections">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>URL</th>
              </tr>
            </thead>
            <tbody>
              {project.connections.map((c) => (
                <tr key={c.name} data-testid={`connection-row-${c.name}`}>
                  <td>{c.name}</td>
                  <td>{c.kind}</td>
                  <td className="mono">{c.url}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop data files to add them to {project.name}
        </div>
      )}
    </div>
  );
}
