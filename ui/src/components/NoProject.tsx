import { useApp } from '../state/app';

/** What a panel shows while the project loads or when none is open. */
export function NoProject({ title, testId }: { title: string; testId: string }) {
  const { projectLoaded, showPanel } = useApp();
  if (!projectLoaded) return <div className="panel loading">Loading…</div>;
  return (
    <div className="panel" data-testid={testId}>
      <h1 className="panel-title">{title}</h1>
      <p className="empty">
        No project is open.{' '}
        <button type="button" className="small" onClick={() => showPanel('project')}>
          Open a project
        </button>
      </p>
    </div>
  );
}
