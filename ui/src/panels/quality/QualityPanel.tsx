import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useClient } from '../../api/client';
import type { JsonValue, NotConverted, QualityRun, RuleResult, Suite, SuiteDocument, SuiteFormat, SuiteInfo } from '../../api/types.gen';
import { downloadText } from '../../lib/download';
import { humanAmount, progressFraction, shortDateTime } from '../../lib/format';
import { useDebounced } from '../../lib/useDebounced';
import { DatasetSelect } from '../../components/DatasetSelect';
import { useApp } from '../../state/app';
import { useTrackedJob } from '../../state/useTrackedJob';
import { HistoryView } from './HistoryView';
import { ResultsView } from './ResultsView';
import { RuleBuilder, useDatasetFacts } from './RuleBuilder';
import { StatusPill } from './StatusPill';
import { YamlView } from './YamlView';
import { NoProject } from '../../components/NoProject';

type Tab = 'rules' | 'yaml' | 'results' | 'history';
const TABS: [Tab, string][] = [
  ['rules', 'Rules'],
  ['yaml', 'YAML'],
  ['results', 'Results'],
  ['history', 'History'],
];

/** The suite being edited: its text, what the engine made of it, and the text on disk. */
interface Draft {
  file: string;
  text: string;
  /** The file's text on disk; null until first saved. */
  saved: string | null;
  doc: SuiteDocument;
  /** Why it was opened this way (suggested, imported), and what an import left out. */
  note?: string;
  notConverted?: NotConverted[];
}

/** Selection survives switching panels (the panel unmounts). */
const memory: { file: string | null; tab: Tab } = { file: null, tab: 'rules' };

function asObject<T>(v: JsonValue, key: string): T | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && key in v ? (v as unknown as T) : null;
}

/** Quality rules: suites in rules/, built by point and click or as YAML, run, and tracked. */
export function QualityPanel() {
  const client = useClient();
  const { project, reportError } = useApp();
  const [suites, setSuites] = useState<SuiteInfo[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [run, setRun] = useState<QualityRun | null>(null);
  const [tab, setTab] = useState<Tab>(memory.tab);
  const [historyVersion, setHistoryVersion] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const datasets = useMemo(() => project?.datasets.map((d) => d.name) ?? [], [project]);

  const reload = useCallback(async () => {
    try {
      setSuites(await client.call('list_suites', {}));
    } catch (e) {
      reportError(e);
      setSuites([]);
    }
  }, [client, reportError]);

  useEffect(() => {
    if (project) void reload();
  }, [project, reload]);

  const openRun = useCallback(
    async (id: string) => {
      try {
        setRun(await client.call('get_quality_run', { id }));
      } catch (e) {
        reportError(e);
      }
    },
    [client, reportError],
  );

  const open = useCallback(
    async (info: SuiteInfo) => {
      try {
        const doc = await client.call('get_suite', { file: info.file });
        setDraft({ file: info.file, text: doc.text, saved: doc.text, doc });
        memory.file = info.file;
        setMessage(null);
        setRun(null);
        if (info.last_run) await openRun(info.last_run.id);
      } catch (e) {
        reportError(e);
      }
    },
    [client, openRun, reportError],
  );

  // Open the remembered (or first) suite once the list is there.
  useEffect(() => {
    if (!suites || draft) return;
    const pick = suites.find((s) => s.file === memory.file) ?? suites[0];
    if (pick) void open(pick);
  }, [suites, draft, open]);

  useEffect(() => {
    memory.tab = tab;
  }, [tab]);

  // Re-parse the YAML shortly after typing stops.
  const settled = useDebounced(draft?.text ?? '', 300);
  const draftFile = draft?.file;
  const parsedText = draft?.doc.text;
  useEffect(() => {
    if (!draftFile || settled === parsedText) return;
    let live = true;
    client.call('check_suite_text', { file: draftFile, text: settled }).then(
      (doc) => live && setDraft((d) => (d && d.file === draftFile && d.text === settled ? { ...d, doc } : d)),
      reportError,
    );
    return () => {
      live = false;
    };
  }, [client, settled, draftFile, parsedText, reportError]);

  const runJob = useTrackedJob((result) => {
    const r = asObject<QualityRun>(result, 'summary');
    if (!r) return;
    setRun(r);
    setTab('results');
    setHistoryVersion((v) => v + 1);
    void reload();
  });
  const suggestJob = useTrackedJob((result) => {
    const s = asObject<{ document: SuiteDocument; suggestions: unknown[] }>(result, 'document');
    if (!s) return;
    setDraft({ file: s.document.file, text: s.document.text, saved: null, doc: s.document, note: `${s.suggestions.length} rules suggested from the profile: review them, then save.` });
    setRun(null);
    setTab('rules');
  });

  const save = async (): Promise<boolean> => {
    if (!draft) return false;
    try {
      const doc = await client.call('save_suite', { file: draft.file, text: draft.text });
      setDraft({ ...draft, saved: draft.text, doc, note: undefined });
      memory.file = draft.file;
      setMessage(`Saved ${draft.file}`);
      await reload();
      return true;
    } catch (e) {
      reportError(e);
      return false;
    }
  };

  const runSuite = async () => {
    if (!draft) return;
    if (draft.text !== draft.saved && !(await save())) return;
    await runJob.start(() => client.call('start_quality_run', { file: draft.file }));
  };

  const editSuite = async (suite: Suite) => {
    if (!draft) return;
    try {
      const doc = await client.call('render_suite', { file: draft.file, suite });
      setDraft({ ...draft, text: doc.text, doc });
    } catch (e) {
      reportError(e);
    }
  };

  const exportAs = async (format: SuiteFormat) => {
    if (!draft) return;
    try {
      const out = await client.call('export_suite', { file: draft.file, format });
      downloadText(out.file_name, out.text, format === 'gx' ? 'application/json' : 'text/yaml');
      setMessage(`Exported ${out.file_name}` + (out.not_converted.length ? ` (${out.not_converted.length} rules have no ${format === 'gx' ? 'GX' : 'SodaCL'} form: ${out.not_converted.map((n) => n.at).join(', ')})` : ''));
    } catch (e) {
      reportError(e);
    }
  };

  const exportReport = async () => {
    if (!run) return;
    try {
      const out = await client.call('export_quality_report', { id: run.summary.id });
      setMessage(`Wrote ${out.relative_path}`);
    } catch (e) {
      reportError(e);
    }
  };

  if (!project) return <NoProject title="Quality rules" testId="quality-panel" />;

  const dirty = draft !== null && draft.text !== draft.saved;
  const usable = draft?.doc.suite && draft.doc.diagnostics.length === 0 ? draft.doc.suite : null;
  const running = runJob.running;
  return (
    <div className="panel datasets-panel" data-testid="quality-panel">
      <aside className="ds-side">
        <div className="ds-side-head">
          <span className="section-title">Rule suites</span>
          <span className="count">{suites?.length ?? 0}</span>
        </div>
        <SuiteList suites={suites ?? []} current={draft?.file ?? null} onOpen={(s) => void open(s)} />
        <NewSuite
          datasets={datasets}
          suites={suites ?? []}
          busy={suggestJob.running}
          error={suggestJob.error}
          onSuggest={(d) => void suggestJob.start(() => client.call('start_suggest_suite', { name: d }))}
          onEmpty={(d, file) => {
            const text = `dataset: ${d}\nrules: []\n`;
            setDraft({ file, text, saved: null, doc: { file, text, suite: null, diagnostics: [] }, note: 'A new, empty suite: add rules, then save.' });
            setRun(null);
            setTab('rules');
          }}
          onImported={(doc, notConverted, source) => {
            setDraft({ file: doc.file, text: doc.text, saved: null, doc, note: `Imported from ${source}: review, then save.`, notConverted });
            setRun(null);
            setTab('rules');
          }}
        />
      </aside>
      <section className="ds-main">
        {draft ? (
          <>
            <div className="quality-bar">
              <span className="tabs-dataset mono" data-testid="suite-file">
                {draft.file}
                {dirty && <span title="Unsaved changes"> •</span>}
              </span>
              {draft.doc.suite && <span className="muted small-text">checks {draft.doc.suite.dataset}</span>}
              <span className="topbar-spacer" />
              <button type="button" onClick={() => void save()} disabled={!dirty} data-testid="suite-save">
                Save
              </button>
              <button type="button" className="primary" onClick={() => void runSuite()} disabled={running || !draft.doc.suite} data-testid="suite-run" title={dirty ? 'Save, then run' : 'Run every rule in one pass'}>
                {dirty ? 'Save & run' : 'Run'}
              </button>
              <button type="button" onClick={() => void exportAs('gx')} disabled={dirty || draft.saved === null} title="Download as a Great Expectations suite">
                GX
              </button>
              <button type="button" onClick={() => void exportAs('soda')} disabled={dirty || draft.saved === null} title="Download as SodaCL checks">
                Soda
              </button>
            </div>
            {running && runJob.job && <RunProgress done={runJob.job.state.state === 'running' ? runJob.job.state.progress.done : 0} onCancel={runJob.cancel} />}
            {runJob.error && (
              <div className="inline-error" role="alert" data-testid="run-error">
                The run failed: {runJob.error}
              </div>
            )}
            {draft.note && (
              <div className="notice" role="status" data-testid="suite-note">
                {draft.note}
                {draft.notConverted && draft.notConverted.length > 0 && (
                  <ul className="small-text">
                    {draft.notConverted.map((n, i) => (
                      <li key={i}>
                        not converted: {n.at} <span className="mono">{n.what}</span> — {n.reason}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            {message && (
              <p className="muted small-text quality-message" role="status" data-testid="quality-message">
                {message}
              </p>
            )}
            <div className="tabs" role="tablist" aria-label="Suite views">
              {TABS.map(([id, label]) => (
                <button key={id} type="button" role="tab" className={`tab ${tab === id ? 'active' : ''}`} aria-selected={tab === id} data-testid={`quality-tab-${id}`} onClick={() => setTab(id)}>
                  {label}
                  {id === 'yaml' && draft.doc.diagnostics.length > 0 && <span className="count error-text">{draft.doc.diagnostics.length}</span>}
                </button>
              ))}
            </div>
            <div className="tab-body quality-body" role="tabpanel">
              {tab === 'rules' && <BuilderTab draft={draft} usable={usable} datasets={datasets} run={run} onChange={(s) => void editSuite(s)} onYaml={() => setTab('yaml')} />}
              {tab === 'yaml' && <YamlView text={draft.text} diagnostics={draft.doc.diagnostics} onChange={(text) => setDraft({ ...draft, text })} />}
              {tab === 'results' &&
                (run ? (
                  <>
                    <div className="toolbar">
                      <button type="button" onClick={() => void exportReport()} data-testid="quality-export-html">
                        Export HTML report
                      </button>
                    </div>
                    <ResultsView key={run.summary.id} run={run} />
                  </>
                ) : (
                  <p className="empty">No run yet: press Run.</p>
                ))}
              {tab === 'history' && draft.saved !== null && (
                <HistoryView
                  file={draft.file}
                  version={historyVersion}
                  onOpenRun={(id) => {
                    void openRun(id).then(() => setTab('results'));
                  }}
                />
              )}
            </div>
          </>
        ) : (
          <p className="empty">{suites && suites.length === 0 ? 'No rule suites yet: suggest one from a data set, start an empty one, or import one.' : 'Loading…'}</p>
        )}
      </section>
    </div>
  );
}

function BuilderTab({ draft, usable, datasets, run, onChange, onYaml }: { draft: Draft; usable: Suite | null; datasets: string[]; run: QualityRun | null; onChange(s: Suite): void; onYaml(): void }) {
  const dataset = draft.doc.suite?.dataset ?? /^dataset:\s*(\S+)/m.exec(draft.text)?.[1] ?? null;
  const facts = useDatasetFacts(dataset && datasets.includes(dataset) ? dataset : null);
  const outcomes = useMemo(() => new Map<string, RuleResult>((run?.result.rules ?? []).map((r) => [r.id, r])), [run]);
  const empty: Suite | null = !draft.doc.suite && dataset && draft.doc.diagnostics.length === 0 ? { file: draft.file, dataset, rules: [], invalid: [] } : null;
  const suite = usable ?? empty;
  if (!suite) {
    return (
      <div className="notice notice-warning" role="status" data-testid="builder-blocked">
        The YAML has {draft.doc.diagnostics.length} problem{draft.doc.diagnostics.length === 1 ? '' : 's'}; fix {draft.doc.diagnostics.length === 1 ? 'it' : 'them'} in the{' '}
        <button type="button" className="link-button" onClick={onYaml}>
          YAML view
        </button>{' '}
        to use the builder (it would drop the rules it cannot read).
      </div>
    );
  }
  return (
    <>
      {/#/.test(draft.text) && <p className="muted small-text">Editing here rewrites the YAML: its comments are not kept.</p>}
      <RuleBuilder suite={suite} facts={facts} datasets={datasets} outcomes={outcomes} onChange={onChange} />
    </>
  );
}

function RunProgress({ done, onCancel }: { done: number; onCancel(): void }) {
  const fraction = progressFraction(done, 1);
  return (
    <div className="job-inline" data-testid="quality-progress">
      <div className="progress" role="progressbar" aria-label="Run progress" aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}>
        <div className="progress-fill" style={{ width: `${(fraction ?? 0) * 100}%` }} />
      </div>
      <span className="muted small-text">checking rules · {humanAmount(done * 100, '%')}</span>
      <button type="button" className="small" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

function SuiteList({ suites, current, onOpen }: { suites: SuiteInfo[]; current: string | null; onOpen(s: SuiteInfo): void }) {
  return (
    <ul className="ds-list" aria-label="Rule suites">
      {suites.map((s) => (
        <li key={s.file}>
          <button type="button" className={`ds-item ${s.file === current ? 'active' : ''}`} aria-current={s.file === current ? 'true' : undefined} onClick={() => onOpen(s)} data-testid={`suite-item-${s.file}`} title={s.description ?? s.file}>
            <span className="ds-name ellipsis">{s.file.replace(/^rules\//, '')}</span>
            <span className="ds-meta muted">
              <span>
                {s.rules} rules{s.dataset ? ` · ${s.dataset}` : ''}
                {s.problems > 0 && <span className="error-text"> · {s.problems} problems</span>}
              </span>
              {s.last_run && (
                <span title={`last run ${shortDateTime(s.last_run.started_at)}`}>
                  <StatusPill status={s.last_run.totals.failed > 0 || s.last_run.totals.errors > 0 ? 'failed' : s.last_run.totals.warned > 0 ? 'warned' : 'passed'} />
                </span>
              )}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** `rules/<dataset>.yaml`, or the first free `rules/<dataset>-N.yaml`. */
export function freeFile(stem: string, taken: string[]): string {
  for (let n = 1; ; n++) {
    const file = n === 1 ? `rules/${stem}.yaml` : `rules/${stem}-${n}.yaml`;
    if (!taken.includes(file)) return file;
  }
}

function NewSuite({
  datasets,
  suites,
  busy,
  error,
  onSuggest,
  onEmpty,
  onImported,
}: {
  datasets: string[];
  suites: SuiteInfo[];
  busy: boolean;
  error: string | null;
  onSuggest(dataset: string): void;
  onEmpty(dataset: string, file: string): void;
  onImported(doc: SuiteDocument, notConverted: NotConverted[], source: string): void;
}) {
  const client = useClient();
  const { reportError } = useApp();
  const [dataset, setDataset] = useState(datasets[0] ?? '');
  const input = useRef<HTMLInputElement>(null);
  const chosen = datasets.includes(dataset) ? dataset : (datasets[0] ?? '');

  const importFile = async (file: File) => {
    try {
      const text = await file.text();
      const format: SuiteFormat = /\.json$/i.test(file.name) ? 'gx' : 'soda';
      const out = await client.call('import_suite', { format, text, source_name: file.name, ...(chosen ? { dataset: chosen } : {}) });
      onImported(out.document, out.not_converted, file.name);
    } catch (e) {
      reportError(e);
    }
  };

  return (
    <div className="new-suite" data-testid="new-suite">
      <span className="section-title">New suite</span>
      <label className="small-text">
        for data set
        <DatasetSelect datasets={datasets} value={chosen} onChange={setDataset} label="Data set of the new suite" testId="new-suite-dataset" />
      </label>
      <div className="toolbar">
        <button type="button" className="small" disabled={!chosen || busy} onClick={() => onSuggest(chosen)} data-testid="suggest-suite" title="Profile the data set (or reuse its profile) and suggest rules">
          {busy ? 'Suggesting…' : 'Suggest from profile'}
        </button>
        <button type="button" className="small" disabled={!chosen} onClick={() => onEmpty(chosen, freeFile(chosen, suites.map((s) => s.file)))}>
          Empty
        </button>
        <button type="button" className="small" onClick={() => input.current?.click()} title="Import a Great Expectations suite (.json) or SodaCL checks (.yaml)">
          Import…
        </button>
        <input
          ref={input}
          type="file"
          accept=".json,.yaml,.yml"
          hidden
          data-testid="import-suite-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void importFile(f);
          }}
        />
      </div>
      {error && <p className="error-text small-text">{error}</p>}
    </div>
  );
}
