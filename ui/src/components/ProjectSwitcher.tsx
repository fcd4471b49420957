import { useEffect, useRef, useState } from 'react';
import { useApp } from '../state/app';
import { ChevronDownIcon } from './icons';

export function ProjectSwitcher() {
  const { project, recent, actions } = useApp();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    void actions.refreshRecent();
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const choose = (f: () => Promise<void>) => () => {
    setOpen(false);
    void f();
  };
  const others = recent.filter((r) => r.path !== project?.path);

  return (
    <div className="switcher" ref={root}>
      <button
        type="button"
        className="switcher-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Switch project (current: ${project?.name ?? 'none'})`}
        title={project?.path ?? 'No project open'}
        onClick={() => setOpen((o) => !o)}
      >
        <span data-testid="project-name" className={project ? '' : 'muted'}>
          {project?.name ?? 'No project'}
        </span>
        <ChevronDownIcon />
      </button>
      {open && (
        <div className="menu" role="menu" aria-label="Projects">
          {others.length > 0 && <div className="menu-heading">Recent</div>}
          {others.slice(0, 10).map((r) => (
            <button
              key={r.path}
              type="button"
              role="menuitem"
              className="menu-item"
              title={r.path}
              onClick={choose(() => actions.openRecent(r.path))}
            >
              <span className="menu-item-title">{r.name}</span>
              <span className="menu-item-sub mono">{r.path}</span>
            </button>
          ))}
          {others.length > 0 && <div className="menu-sep" role="separator" />}
          <button type="button" role="menuitem" className="menu-item" onClick={choose(actions.openProject)}>
            Open folder…
          </button>
          <button type="button" role="menuitem" className="menu-item" onClick={choose(actions.newProject)}>
            New project…
          </button>
          <button type="button" role="menuitem" className="menu-item" onClick={choose(actions.openDemo)}>
            Open demo project
          </button>
          {project && (
            <>
              <div className="menu-sep" role="separator" />
              <button type="button" role="menuitem" className="menu-item" onClick={choose(actions.closeProject)}>
                Close project
              </button>
            </>
          )}
        </div>
      )}
    </div>
  );
}
