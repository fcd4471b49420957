import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { AssayServerDialog } from './AssayServerDialog';
import { MlflowRemoteView } from './MlflowRemoteView';
import { useClient } from '../../api/client';
import { toApiError } from '../../api/errors';
import type { ConnectionDetails, ConnectionTest } from '../../api/types.gen';
import { NoProject } from '../../components/NoProject';
import { PlusIcon } from '../../components/icons';
import { useApp } from '../../state/app';
import { ConnectionForm } from './ConnectionForm';
import { secretStatusText } from './form';
import { kindSpec, secretLabel } from './kinds';
import { secretsBadge } from './paths';
import { StoreBrowser } from './StoreBrowser';

/** The selection survives switching panels (the panel unmounts). */
const memory: { selected: string | null } = { selected: null };

type Editing = { kind: 'new' } | { kind: 'edit'; details: ConnectionDetails } | null;

function KindBadge({ details }: { details: ConnectionDetails }) {
  return <span className={`conn-kind conn-kind-${details.kind}`}>{kindSpec(details.kind).label}</span>;
}

function SecretsBadge({ details }: { details: ConnectionDetails }) {
  if (details.secret_fields.length === 0) return <span className="conn-secrets-badge muted">no secrets</span>;
  const where = secretsBadge(details);
  return (
    <span
      className={`conn-secrets-badge ${where === 'none' ? 'muted' : 'stored'}`}
      title={where.includes('file') ? `fallback file: ${details.secrets_file}` : undefined}
      data-testid={`conn-secrets-${details.name}`}
    >
      secrets: {where}
    </span>
  );
}

function ConnectionList({ connections, selected, onSelect }: { connections: ConnectionDetails[]; selected: string | null; onSelect(name: string): void }) {
  return (
    <ul className="ds-list conn-list" aria-label="Connections">
      {connections.map((c) => (
        <li key={c.name}>
          <button
            type="button"
            className={`ds-item ${c.name === selected ? 'active' : ''}`}
            aria-current={c.name === selected ? 'true' : undefined}
            onClick={() => onSelect(c.name)}
            title={c.url}
            data-testid={`conn-item-${c.name}`}
          >
            <span className="conn-item-head">
              <KindBadge details={c} />
              <span className="ds-name ellipsis">{c.name}</span>
            </span>
            <span className="conn-item-url mono muted ellipsis">{c.url}</span>
            <SecretsBadge details={c} />
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * What a server connection (MLflow, another Assay) shows. The one mount point for the views
 * of remote servers: each kind is one line here.
 */
export function renderServerConnection(details: ConnectionDetails): ReactNode {
  switch (details.kind) {
    case 'mlflow':
      return <MlflowRemoteView connection={details.name} />;
    case 'assay':
      return <AssayServerView details={details} />;
    default:
      return null;
  }
}

/** A saved Assay server: where it is, and a way to switch this window to it. */
function AssayServerView({ details }: { details: ConnectionDetails }) {
  const [opening, setOpening] = useState(false);
  return (
    <div className="conn-server" data-testid="conn-server">
      <p>
        Another Assay at <span className="mono">{details.url}</span>
      </p>
      <p className="muted small-text">Token: {secretStatusText(details, 'token')}</p>
      <p className="muted small-text">
        Opening it switches this window to that server&apos;s projects; its token is asked for once and kept for this session only.
      </p>
      <button type="button" className="primary" onClick={() => setOpening(true)} data-testid="conn-open-server">
        Open in this window…
      </button>
      {opening && <AssayServerDialog initialUrl={details.url} onClose={() => setOpening(false)} />}
    </div>
  );
}

function Facts({ details }: { details: ConnectionDetails }) {
  const rows: [string, ReactNode][] = [['URL', <span className="mono">{details.url}</span>]];
  if (details.endpoint) rows.push(['Endpoint', <span className="mono">{details.endpoint}</span>]);
  if (details.region) rows.push(['Region', details.region]);
  if (details.kind === 's3') rows.push(['Requests', details.path_style ? 'path style' : 'virtual-hosted style']);
  if (details.account) rows.push(['Account', details.account]);
  if (details.username) rows.push(['User', details.username]);
  if (details.secret_fields.length > 0) {
    rows.push([
      'Secrets',
      details.secrets.length === 0
        ? 'none stored'
        : details.secrets.map((s) => `${secretLabel(details.kind, s.field)} (${s.place === 'keychain' ? 'keychain' : 'file'})`).join(', '),
    ]);
  }
  return (
    <dl className="facts conn-facts">
      {rows.map(([k, v]) => (
        <div key={k} className="conn-fact">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function TestResult({ result }: { result: ConnectionTest | { error: string } }) {
  if ('error' in result) {
    return (
      <div className="inline-error conn-test" role="alert" data-testid="conn-test-result" data-ok="false">
        {result.error}
      </div>
    );
  }
  return (
    <div className={result.ok ? 'notice conn-test ok-text' : 'inline-error conn-test'} role={result.ok ? 'status' : 'alert'} data-testid="conn-test-result" data-ok={String(result.ok)}>
      {result.ok ? '✓ ' : ''}
      {result.message}
    </div>
  );
}

/** Connections: object stores to browse, preview and add data sets from, upload to; servers. */
export function ConnectionsPanel() {
  const client = useClient();
  const { project } = useApp();
  const [connections, setConnections] = useState<ConnectionDetails[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(memory.selected);
  const [editing, setEditing] = useState<Editing>(null);
  /** Bumped by every save: the browser lists again with the new settings and secrets. */
  const [revision, setRevision] = useState(0);
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<{ name: string; result: ConnectionTest | { error: string } } | null>(null);
  const projectPath = project?.path ?? null;
  const projectConnections = JSON.stringify(project?.connections ?? []);

  const load = useCallback(async () => {
    try {
      setConnections(await client.call('list_connections', {}));
      setLoadError(null);
    } catch (e) {
      setLoadError(toApiError(e).message);
    }
  }, [client]);

  useEffect(() => {
    if (projectPath === null) {
      setConnections(null);
      return;
    }
    void load();
  }, [load, projectPath, projectConnections]);

  const names = (connections ?? []).map((c) => c.name);
  const current = selected && names.includes(selected) ? selected : (names[0] ?? null);
  const details = connections?.find((c) => c.name === current);

  useEffect(() => {
    memory.selected = current;
  }, [current]);

  if (!project) return <NoProject title="Connections" testId="connections-panel" />;

  const runTest = async (name: string) => {
    setTesting(true);
    setTest(null);
    try {
      setTest({ name, result: await client.call('test_connection', { name }) });
    } catch (e) {
      setTest({ name, result: { error: toApiError(e).message } });
    } finally {
      setTesting(false);
    }
  };

  const spec = details ? kindSpec(details.kind) : null;

  return (
    <div className="panel datasets-panel connections-panel" data-testid="connections-panel">
      <aside className="ds-side">
        <div className="ds-side-head">
          <span className="section-title">Connections</span>
          <span className="count">{names.length}</span>
          <span className="topbar-spacer" />
          <button type="button" className="small" onClick={() => setEditing({ kind: 'new' })} data-testid="conn-add" title="Add a connection">
            <PlusIcon /> Add
          </button>
        </div>
        {loadError && (
          <div className="inline-error small-text" role="alert">
            {loadError}
          </div>
        )}
        {connections && connections.length === 0 && (
          <p className="empty small-text side-hint" data-testid="conn-none">
            No connections yet. Add an S3, GCS or Azure bucket, an HTTP location, or an MLflow server.
          </p>
        )}
        {connections && connections.length > 0 && (
          <ConnectionList
            connections={connections}
            selected={current}
            onSelect={(n) => {
              setSelected(n);
              setTest(null);
            }}
          />
        )}
      </aside>
      <section className="ds-main conn-main">
        {details && spec ? (
          <>
            <header className="conn-head" data-testid="conn-head">
              <div className="conn-title-row">
                <KindBadge details={details} />
                <h1 className="panel-title small ellipsis" data-testid="conn-title">
                  {details.name}
                </h1>
                <span className="muted small-text">{spec.title}</span>
                <span className="topbar-spacer" />
                {spec.objectStore && (
                  <button type="button" className="small" disabled={testing} onClick={() => void runTest(details.name)} data-testid="conn-test">
                    {testing ? 'Testing…' : 'Test connection'}
                  </button>
                )}
                <button type="button" className="small" onClick={() => setEditing({ kind: 'edit', details })} data-testid="conn-edit">
                  Edit…
                </button>
              </div>
              <Facts details={details} />
              {test && test.name === details.name && <TestResult result={test.result} />}
            </header>
            {spec.objectStore ? <StoreBrowser key={`${details.name}\u0000${revision}`} details={details} /> : renderServerConnection(details)}
          </>
        ) : (
          connections && (
            <div className="conn-empty">
              <p className="empty">
                Connections let the project read data sets from object stores, upload reports and artifacts, and reach
                remote tracking servers. Secrets stay in the OS keychain, never in <span className="mono">assay.toml</span>.
              </p>
              <button type="button" className="primary" onClick={() => setEditing({ kind: 'new' })}>
                Add a connection
              </button>
            </div>
          )
        )}
      </section>
      {editing && (
        <ConnectionForm
          details={editing.kind === 'edit' ? editing.details : undefined}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setSelected(saved.name);
            setTest(null);
            setRevision((n) => n + 1);
            setConnections((prev) => {
              const list = prev ?? [];
              return list.some((c) => c.name === saved.name) ? list.map((c) => (c.name === saved.name ? saved : c)) : [...list, saved];
            });
            void load();
          }}
          onRemoved={(name) => {
            setEditing(null);
            setTest(null);
            setConnections((prev) => (prev ?? []).filter((c) => c.name !== name));
            void load();
          }}
        />
      )}
    </div>
  );
}
