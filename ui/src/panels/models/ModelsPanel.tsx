import { useCallback, useEffect, useState } from 'react';
import { RemoteTrackingPanel, TrackingSourcePicker } from '../connections/TrackingSource';
import { useClient } from '../../api/client';
import type { ModelDetail, ModelVersion, RegisteredModel } from '../../api/types.gen';
import { useDialogs } from '../../components/Dialogs';
import { NoProject } from '../../components/NoProject';
import { shortDateTime } from '../../lib/format';
import { useDebounced } from '../../lib/useDebounced';
import { useApp } from '../../state/app';
import { ArtifactTree } from '../experiments/Artifacts';
import { artifactUriPath, folderInRun } from '../experiments/artifactPaths';
import { Copyable } from '../experiments/Copyable';
import { requestRun } from '../experiments/navigation';
import { Lineage } from './Lineage';
import { aliasProblem, latestVersion, modelFilter, parseTag, sortedAliases } from './models';

const memory: { model: string | null; version: string | null; search: string; source: string | null } = {
  model: null,
  version: null,
  search: '',
  source: null,
};

const iso = (ms: number) => new Date(ms).toISOString();

/** The model registry: models, versions, aliases, tags, descriptions, lineage and files. */
export function ModelsPanel() {
  const client = useClient();
  const { project, reportError } = useApp();
  const [search, setSearch] = useState(memory.search);
  const [source, setSource] = useState(memory.source);
  const chooseSource = (next: string | null) => {
    memory.source = next;
    setSource(next);
  };
  const settled = useDebounced(search, 300);
  const [models, setModels] = useState<RegisteredModel[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [detail, setDetail] = useState<ModelDetail | null>(null);
  const [version, setVersion] = useState<string | null>(memory.version);

  const loadModels = useCallback(async () => {
    try {
      setModels(await client.call('list_models', { filter: modelFilter(settled) }));
      setListError(null);
    } catch (e) {
      setListError((e as { message?: string }).message ?? String(e));
      setModels([]);
    }
  }, [client, settled]);

  useEffect(() => {
    memory.search = search;
  }, [search]);
  useEffect(() => {
    if (project && !source) void loadModels();
  }, [project, loadModels, source]);

  const open = useCallback(
    async (name: string, keepVersion = false) => {
      try {
        const d = await client.call('get_model', { name });
        setDetail(d);
        memory.model = name;
        setVersion((v) => {
          const next = keepVersion && v && d.versions.some((x) => x.version === v) ? v : (d.versions[0]?.version ?? null);
          memory.version = next;
          return next;
        });
      } catch (e) {
        reportError(e);
      }
    },
    [client, reportError],
  );

  useEffect(() => {
    if (!models || detail) return;
    const pick = models.find((m) => m.name === memory.model) ?? models[0];
    if (pick) void open(pick.name, pick.name === memory.model);
  }, [models, detail, open]);

  /** After an edit: the new detail, and the list (aliases, latest version) refreshed. */
  const changed = useCallback(
    (d: ModelDetail) => {
      setDetail(d);
      void loadModels();
    },
    [loadModels],
  );

  if (!project) return <NoProject title="Models" testId="models-panel" />;
  if (source) return <RemoteTrackingPanel connection={source} tab="models" onSource={chooseSource} />;

  return (
    <div className="panel datasets-panel models-panel" data-testid="models-panel">
      <aside className="ds-side">
        <div className="ds-side-head">
          <span className="section-title">Registered models</span>
          <span className="count">{models?.length ?? ''}</span>
        </div>
        <TrackingSourcePicker value={null} onChange={chooseSource} />
        <input className="text-input side-search" placeholder="Search names" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search models" data-testid="model-search" />
        {listError && <p className="error-text small-text">{listError}</p>}
        <ul className="ds-list" aria-label="Registered models" data-testid="model-list">
          {(models ?? []).map((m) => {
            const latest = latestVersion(m);
            return (
              <li key={m.name}>
                <button type="button" className={`ds-item ${detail?.model.name === m.name ? 'active' : ''}`} onClick={() => void open(m.name)} data-testid="model-item">
                  <span className="ds-name ellipsis">{m.name}</span>
                  <span className="ds-meta muted">
                    <span>{latest ? `latest v${latest}` : 'no versions'}</span>
                    <span>{shortDateTime(iso(m.last_updated_timestamp))}</span>
                  </span>
                  {m.aliases.length > 0 && (
                    <span className="alias-chips">
                      {sortedAliases(m.aliases).map((a) => (
                        <span key={a.alias} className="alias-chip small">
                          @{a.alias}→v{a.version}
                        </span>
                      ))}
                    </span>
                  )}
                </button>
              </li>
            );
          })}
          {models?.length === 0 && !listError && <li className="empty small-text">{settled ? 'No model matches.' : 'No registered models.'}</li>}
        </ul>
      </aside>
      <section className="ds-main exp-main">
        <div className="exp-scroll">
          {detail ? (
            <ModelView
              key={detail.model.name}
              detail={detail}
              version={version}
              onVersion={(v) => {
                setVersion(v);
                memory.version = v;
              }}
              onChanged={changed}
            />
          ) : models?.length === 0 && !settled ? (
            <RegistryHowTo />
          ) : (
            <p className="empty">Choose a model.</p>
          )}
        </div>
      </section>
    </div>
  );
}

function RegistryHowTo() {
  const client = useClient();
  const uri = client.kind === 'http' ? window.location.origin : 'http://127.0.0.1:<port>';
  return (
    <div className="howto" data-testid="models-empty">
      <h3 className="section-title">No registered models yet</h3>
      <p>Register models with MLflow against this project (started with <span className="mono">assay serve</span>):</p>
      <pre className="howto-code">{`export MLFLOW_TRACKING_URI=${uri}
python - <<'EOF'
import mlflow
with mlflow.start_run() as run:
    mlflow.sklearn.log_model(model, name="model",
                             registered_model_name="churn-classifier")
EOF`}</pre>
      <p className="muted small-text">or register a logged run's model folder: mlflow.register_model("runs:/&lt;run_id&gt;/model", "churn-classifier").</p>
    </div>
  );
}

function ModelView({ detail, version, onVersion, onChanged }: { detail: ModelDetail; version: string | null; onVersion(v: string): void; onChanged(d: ModelDetail): void }) {
  const client = useClient();
  const { reportError, showPanel } = useApp();
  const dialogs = useDialogs();
  const m = detail.model;
  const [editing, setEditing] = useState<string | null>(null);
  const [tagText, setTagText] = useState('');
  const [aliasName, setAliasName] = useState('');
  const [aliasVersion, setAliasVersion] = useState(detail.versions[0]?.version ?? '');
  const chosen = detail.versions.find((v) => v.version === version) ?? detail.versions[0];

  const act = async (work: () => Promise<ModelDetail>) => {
    try {
      onChanged(await work());
      return true;
    } catch (e) {
      reportError(e);
      return false;
    }
  };
  const saveDescription = async () => {
    if (editing === null) return;
    if (await act(() => client.call('describe_model', { name: m.name, description: editing }))) setEditing(null);
  };
  const addTag = async () => {
    const t = parseTag(tagText);
    if (!t) return;
    if (await act(() => client.call('set_model_tag', { name: m.name, key: t.key, value: t.value }))) setTagText('');
  };
  const problem = aliasName ? aliasProblem(aliasName) : null;
  const addAlias = async () => {
    if (aliasProblem(aliasName) || !aliasVersion) return;
    if (await act(() => client.call('set_model_alias', { name: m.name, alias: aliasName.trim(), version: aliasVersion }))) setAliasName('');
  };
  const removeAlias = async (alias: string) => {
    const ok = await dialogs.confirm({ title: 'Remove alias', message: `Remove @${alias} from ${m.name}?`, confirmLabel: 'Remove', danger: true });
    if (ok) await act(() => client.call('set_model_alias', { name: m.name, alias }));
  };
  const openRun = (v: ModelVersion) => {
    requestRun({ runId: v.run_id });
    showPanel('experiments');
  };

  return (
    <div className="model-view" data-testid="model-view">
      <div className="run-head">
        <h2 className="panel-title" data-testid="model-title">
          {m.name}
        </h2>
        <span className="muted small-text">
          {detail.versions.length} version{detail.versions.length === 1 ? '' : 's'} · created {shortDateTime(iso(m.creation_timestamp))} · updated {shortDateTime(iso(m.last_updated_timestamp))}
        </span>
      </div>

      <div className="run-tables model-meta">
        <section className="card">
          <div className="toolbar">
            <h4 className="section-title">Description</h4>
            <span className="topbar-spacer" />
            {editing === null && (
              <button type="button" className="small" onClick={() => setEditing(m.description)} data-testid="model-describe">
                Edit
              </button>
            )}
          </div>
          {editing === null ? (
            <p className={`model-description ${m.description ? '' : 'muted'}`} data-testid="model-description">
              {m.description || 'No description.'}
            </p>
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void saveDescription();
              }}
            >
              <textarea className="text-input description-input" value={editing} onChange={(e) => setEditing(e.target.value)} rows={4} autoFocus aria-label="Description" data-testid="model-description-input" />
              <div className="toolbar">
                <button type="submit" className="small primary" data-testid="model-description-save">
                  Save
                </button>
                <button type="button" className="small" onClick={() => setEditing(null)}>
                  Cancel
                </button>
              </div>
            </form>
          )}
          <h4 className="section-title section">Tags</h4>
          <TagEditor
            tags={m.tags}
            onRemove={(key) => void act(() => client.call('set_model_tag', { name: m.name, key }))}
            text={tagText}
            onText={setTagText}
            onAdd={() => void addTag()}
            testId="model-tags"
          />
        </section>
        <section className="card" data-testid="model-aliases">
          <h4 className="section-title">Aliases</h4>
          {m.aliases.length === 0 && <p className="muted small-text">No aliases. An alias (e.g. champion) names a version for loading: models:/{m.name}@champion</p>}
          <table className="table compact">
            <tbody>
              {sortedAliases(m.aliases).map((a) => (
                <tr key={a.alias} data-testid="alias-row">
                  <td>
                    <span className="alias-chip">@{a.alias}</span>
                  </td>
                  <td>
                    <select
                      value={a.version}
                      onChange={(e) => void act(() => client.call('set_model_alias', { name: m.name, alias: a.alias, version: e.target.value }))}
                      aria-label={`Version of @${a.alias}`}
                      data-testid={`alias-move-${a.alias}`}
                    >
                      {detail.versions.map((v) => (
                        <option key={v.version} value={v.version}>
                          v{v.version}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="actions-col">
                    <button type="button" className="link-button small" onClick={() => void removeAlias(a.alias)} data-testid={`alias-remove-${a.alias}`}>
                      remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form
            className="toolbar alias-form"
            onSubmit={(e) => {
              e.preventDefault();
              void addAlias();
            }}
          >
            <input className={`text-input ${problem ? 'invalid' : ''}`} placeholder="alias, e.g. champion" value={aliasName} onChange={(e) => setAliasName(e.target.value)} aria-label="New alias" data-testid="alias-name" />
            <select value={aliasVersion} onChange={(e) => setAliasVersion(e.target.value)} aria-label="Version for the alias" data-testid="alias-version">
              {detail.versions.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                </option>
              ))}
            </select>
            <button type="submit" className="small" disabled={!aliasName || problem !== null || !aliasVersion} data-testid="alias-add">
              Set alias
            </button>
          </form>
          {problem && <p className="error-text small-text">{problem}</p>}
        </section>
      </div>

      <section className="section">
        <h3 className="section-title">Versions</h3>
        <div className="table-scroll">
          <table className="table compact" data-testid="model-versions">
            <thead>
              <tr>
                <th>Version</th>
                <th>Registered</th>
                <th>Run</th>
                <th>Source</th>
                <th>Aliases</th>
                <th>Stage</th>
                <th>Tags</th>
              </tr>
            </thead>
            <tbody>
              {detail.versions.map((v) => (
                <tr key={v.version} className={`clickable ${chosen?.version === v.version ? 'row-selected' : ''}`} onClick={() => onVersion(v.version)} data-testid="version-row">
                  <td className="mono">v{v.version}</td>
                  <td>{shortDateTime(iso(v.creation_timestamp))}</td>
                  <td>
                    {v.run_id ? (
                      <button
                        type="button"
                        className="link-button small mono"
                        onClick={(e) => {
                          e.stopPropagation();
                          openRun(v);
                        }}
                        title="Open the run in Experiments"
                      >
                        {v.run_id.slice(0, 8)}
                      </button>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className="mono small-text version-source" title={v.source}>
                    {v.source}
                  </td>
                  <td>
                    <span className="alias-chips">
                      {v.aliases.map((a) => (
                        <span key={a} className="alias-chip">
                          @{a}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td>{v.current_stage === 'None' ? <span className="muted">—</span> : v.current_stage}</td>
                  <td className="small-text">
                    {v.tags.map((t) => (
                      <span key={t.key} className="tag-chip">
                        {t.key}
                        {t.value ? `=${t.value}` : ''}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {chosen && <VersionView key={`${m.name}@${chosen.version}`} version={chosen} onChanged={onChanged} />}
    </div>
  );
}

function TagEditor({ tags, onRemove, text, onText, onAdd, testId }: { tags: { key: string; value: string }[]; onRemove(key: string): void; text: string; onText(t: string): void; onAdd(): void; testId: string }) {
  return (
    <div data-testid={testId}>
      <div className="tag-list">
        {tags.map((t) => (
          <span key={t.key} className="chip tag-chip-edit">
            <span className="mono">
              {t.key}
              {t.value ? `=${t.value}` : ''}
            </span>
            <button type="button" className="icon-button small" aria-label={`Remove tag ${t.key}`} onClick={() => onRemove(t.key)}>
              ×
            </button>
          </span>
        ))}
        {tags.length === 0 && <span className="muted small-text">No tags.</span>}
      </div>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          onAdd();
        }}
      >
        <input className="text-input mono" placeholder="key=value" value={text} onChange={(e) => onText(e.target.value)} aria-label="New tag (key=value)" data-testid={`${testId}-input`} />
        <button type="submit" className="small" disabled={!parseTag(text)}>
          Add tag
        </button>
      </form>
    </div>
  );
}

/** One version: its tags and description, lineage, and files. */
function VersionView({ version: v, onChanged }: { version: ModelVersion; onChanged(d: ModelDetail): void }) {
  const client = useClient();
  const { reportError } = useApp();
  const [tagText, setTagText] = useState('');
  const [runRoot, setRunRoot] = useState<string | null>(null);

  useEffect(() => {
    if (!v.run_id) return;
    let live = true;
    client.call('run_artifacts', { run_id: v.run_id, path: '' }).then(
      (r) => live && setRunRoot(r.root_uri),
      () => live && setRunRoot(null),
    );
    return () => {
      live = false;
    };
  }, [client, v.run_id]);

  const act = async (work: () => Promise<ModelDetail>) => {
    try {
      onChanged(await work());
      return true;
    } catch (e) {
      reportError(e);
      return false;
    }
  };
  const folder = runRoot !== null ? folderInRun(v.source, runRoot) : null;
  const served = artifactUriPath(v.source) !== null;

  return (
    <div className="version-view" data-testid="version-view">
      <section className="section">
        <h3 className="section-title">
          Lineage of v{v.version} <span className="muted small-text">version → run → data sets → quality checks</span>
        </h3>
        <Lineage name={v.name} version={v.version} aliases={v.aliases} />
      </section>
      <div className="run-tables model-meta section">
        <section className="card">
          <h4 className="section-title">Version tags</h4>
          <TagEditor
            tags={v.tags}
            onRemove={(key) => void act(() => client.call('set_model_tag', { name: v.name, version: v.version, key }))}
            text={tagText}
            onText={setTagText}
            onAdd={() => {
              const t = parseTag(tagText);
              if (t) void act(() => client.call('set_model_tag', { name: v.name, version: v.version, key: t.key, value: t.value })).then((ok) => ok && setTagText(''));
            }}
            testId="version-tags"
          />
          {v.description && (
            <>
              <h4 className="section-title section">Description</h4>
              <p>{v.description}</p>
            </>
          )}
        </section>
        <section className="card" data-testid="version-files">
          <h4 className="section-title">Files</h4>
          <div className="small-text source-line">
            <span className="muted">Source</span> <Copyable text={v.source} testId="version-source" />
          </div>
          {folder !== null && v.run_id ? (
            <ArtifactTree runId={v.run_id} root={folder} preview={false} testId="version-artifacts" />
          ) : (
            <p className="muted small-text">{served ? 'The files are not in a run of this project.' : 'The files live outside this project: load them with mlflow.pyfunc.load_model on the source above.'}</p>
          )}
        </section>
      </div>
    </div>
  );
}
