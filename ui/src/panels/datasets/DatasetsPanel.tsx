import { useEffect, useState } from 'react';
import type { DatasetInfo } from '../../api/types.gen';
import { humanBytes } from '../../lib/format';
import { useApp } from '../../state/app';
import { BrowseTab } from './BrowseTab';
import { CompareTab } from './compare/CompareTab';
import { ProfileTab } from './profile/ProfileTab';
import { SqlTab, type SqlState } from './SqlTab';
import { NoProject } from '../../components/NoProject';

type Tab = 'browse' | 'profile' | 'compare' | 'sql';

const DATASET_TABS: [Tab, string][] = [
  ['browse', 'Browse'],
  ['profile', 'Profile'],
  ['compare', 'Compare'],
];

/** Selection and SQL text survive switching panels (the panel unmounts). */
const memory: { selected: string | null; tab: Tab; sql: SqlState | null } = { selected: null, tab: 'browse', sql: null };

/** Opens the panel on `name` (another panel, e.g. Connections, just added it). */
export function requestDataset(name: string): void {
  memory.selected = name;
  memory.tab = 'browse';
}

function DatasetList({ datasets, selected, onSelect }: { datasets: DatasetInfo[]; selected: string | null; onSelect: (name: string) => void }) {
  return (
    <ul className="ds-list" aria-label="Data sets">
      {datasets.map((d) => (
        <li key={d.name}>
          <button
            type="button"
            className={`ds-item ${d.name === selected ? 'active' : ''}`}
            aria-current={d.name === selected ? 'true' : undefined}
            data-testid={`dataset-item-${d.name}`}
            onClick={() => onSelect(d.name)}
            title={d.description ?? d.path}
          >
            <span className="ds-name ellipsis">{d.name}</span>
            <span className="ds-meta muted">
              <span>{d.format ?? '?'}</span>
              <span>{d.location.kind === 'local' ? humanBytes(d.location.bytes) : d.location.kind}</span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Datasets & Profiling: browse, profile and compare the project's data sets; SQL over all. */
export function DatasetsPanel() {
  const { project, showPanel } = useApp();
  const datasets = project?.datasets ?? [];
  const [selected, setSelected] = useState<string | null>(memory.selected);
  const [tab, setTab] = useState<Tab>(memory.tab);
  const [sql, setSql] = useState<SqlState>(
    () => memory.sql ?? { text: datasets[0] ? `SELECT *\nFROM ${datasets[0].name}\nLIMIT 1000` : '', run: null },
  );

  const names = datasets.map((d) => d.name);
  const current = selected && names.includes(selected) ? selected : (names[0] ?? null);

  useEffect(() => {
    memory.selected = current;
    memory.tab = tab;
    memory.sql = sql;
  }, [current, tab, sql]);

  if (!project) return <NoProject title="Datasets & Profiling" testId="datasets-panel" />;

  const activeTab: Tab = current === null && tab !== 'sql' ? 'sql' : tab;

  return (
    <div className="panel datasets-panel" data-testid="datasets-panel">
      <aside className="ds-side">
        <div className="ds-side-head">
          <span className="section-title">Data sets</span>
          <span className="count">{datasets.length}</span>
        </div>
        {datasets.length === 0 ? (
          <p className="empty small-text">
            No data sets yet.{' '}
            <button type="button" className="small link-button" onClick={() => showPanel('project')}>
              Add one
            </button>
          </p>
        ) : (
          <DatasetList datasets={datasets} selected={current} onSelect={(n) => {
            setSelected(n);
            if (tab === 'sql') setTab('browse');
          }} />
        )}
      </aside>
      <section className="ds-main">
        <div className="tabs" role="tablist" aria-label="Views">
          {current && <span className="tabs-dataset">{current}</span>}
          {DATASET_TABS.map(([id, label]) => (
            <button
              key={id}
              type="button"
              role="tab"
              className={`tab ${activeTab === id ? 'active' : ''}`}
              aria-selected={activeTab === id}
              disabled={current === null}
              data-testid={`tab-${id}`}
              onClick={() => setTab(id)}
            >
              {label}
            </button>
          ))}
          <span className="tabs-sep" />
          <button
            type="button"
            role="tab"
            className={`tab ${activeTab === 'sql' ? 'active' : ''}`}
            aria-selected={activeTab === 'sql'}
            data-testid="tab-sql"
            title="A SQL query over all data sets"
            onClick={() => setTab('sql')}
          >
            SQL
          </button>
        </div>
        <div className="tab-body" role="tabpanel">
          {activeTab === 'browse' && current && <BrowseTab key={current} dataset={current} />}
          {activeTab === 'profile' && current && <ProfileTab key={current} dataset={current} />}
          {activeTab === 'compare' && current && <CompareTab key={current} dataset={current} datasets={names} />}
          {activeTab === 'sql' && <SqlTab state={sql} onChange={setSql} tables={names} />}
        </div>
      </section>
    </div>
  );
}
