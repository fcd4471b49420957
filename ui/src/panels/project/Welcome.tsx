import { useState } from 'react';
import { dateTime } from '../../lib/format';
import { useApp } from '../../state/app';
import { AssayServerDialog } from '../connections/AssayServerDialog';

export function Welcome() {
  const { recent, actions, busy } = useApp();
  const [connecting, setConnecting] = useState(false);
  return (
    <div className="panel welcome" data-testid="welcome">
      <div className="welcome-inner">
        <h1 className="welcome-title">Assay</h1>
        <p className="muted">Open a project folder to start, or explore the demo project.</p>
        <div className="welcome-actions">
          <button type="button" className="primary" disabled={busy} onClick={() => void actions.openProject()}>
            Open project…
          </button>
          <button type="button" disabled={busy} onClick={() => void actions.newProject()}>
            New project…
          </button>
          <button type="button" disabled={busy} onClick={() => void actions.openDemo()}>
            Open demo project
          </button>
          <button type="button" onClick={() => setConnecting(true)}>
            Connect to an Assay server…
          </button>
        </div>
        {connecting && <AssayServerDialog onClose={() => setConnecting(false)} />}
        <h2 className="section-title">Recent projects</h2>
        {recent.length === 0 ? (
          <p className="empty">No recent projects.</p>
        ) : (
          <ul className="recent-list" aria-label="Recent projects">
            {recent.map((r) => (
              <li key={r.path}>
                <button
                  type="button"
                  className="recent-item"
                  aria-label={`Open ${r.name}`}
                  title={r.path}
                  disabled={busy}
                  onClick={() => void actions.openRecent(r.path)}
                >
                  <span className="recent-name">{r.name}</span>
                  <span className="recent-path mono">{r.path}</span>
                  <span className="recent-time muted">{dateTime(r.opened_at)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
