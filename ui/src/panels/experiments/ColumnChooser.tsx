import { useEffect, useRef, useState } from 'react';
import type { RunColumns } from '../../api/types.gen';
import { columnId, defaultColumns, type RunColumn } from './query';

const MAX_LISTED = 300;

/** Which metric, parameter and tag columns the runs table shows, with a search. */
export function ColumnChooser({ columns, chosen, onChange }: { columns: RunColumns; chosen: RunColumn[]; onChange(c: RunColumn[]): void }) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const ids = new Set(chosen.map(columnId));
  const q = search.trim().toLowerCase();
  const toggle = (c: RunColumn, on: boolean) => onChange(on ? [...chosen, c] : chosen.filter((x) => columnId(x) !== columnId(c)));
  const section = (kind: 'metric' | 'param' | 'tag', title: string, keys: string[]) => {
    const matching = keys.filter((k) => !q || k.toLowerCase().includes(q));
    if (matching.length === 0) return null;
    const all = matching.map((key) => ({ kind, key }));
    return (
      <fieldset className="colchooser-section">
        <legend>
          {title} <span className="count">{matching.length}</span>
          <button type="button" className="link-button small" onClick={() => onChange([...chosen.filter((c) => c.kind !== kind || !matching.includes(c.key)), ...all.slice(0, MAX_LISTED)])}>
            all
          </button>
          <button type="button" className="link-button small" onClick={() => onChange(chosen.filter((c) => c.kind !== kind || !matching.includes(c.key)))}>
            none
          </button>
        </legend>
        {matching.slice(0, MAX_LISTED).map((key) => {
          const c = { kind, key };
          return (
            <label key={key} className="check-label" title={key}>
              <input type="checkbox" checked={ids.has(columnId(c))} onChange={(e) => toggle(c, e.target.checked)} data-testid={`col-${kind}-${key}`} />
              <span className="ellipsis">{key}</span>
            </label>
          );
        })}
        {matching.length > MAX_LISTED && <p className="muted small-text">{matching.length - MAX_LISTED} more: refine the search.</p>}
      </fieldset>
    );
  };

  return (
    <div className="colchooser" ref={box}>
      <button type="button" className="small" onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="column-chooser">
        Columns <span className="count">{chosen.length}</span>
      </button>
      {open && (
        <div className="colchooser-pop menu" data-testid="column-chooser-pop">
          <div className="toolbar">
            <input className="text-input" autoFocus placeholder="Search keys" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search columns" />
            <button type="button" className="small" onClick={() => onChange(defaultColumns(columns))}>
              Default
            </button>
          </div>
          <div className="colchooser-body">
            {section('metric', 'Metrics', columns.metrics)}
            {section('param', 'Parameters', columns.params)}
            {section('tag', 'Tags', columns.tags)}
            {columns.metrics.length + columns.params.length + columns.tags.length === 0 && <p className="empty small-text">No keys logged yet.</p>}
          </div>
        </div>
      )}
    </div>
  );
}
