import { useApp } from '../../state/app';
import { ProjectView } from './ProjectView';
import { Welcome } from './Welcome';

/** The Project panel: the welcome screen, or the open project. */
export function ProjectPanel() {
  const { project, projectLoaded } = useApp();
  if (!projectLoaded) return <div className="panel loading">Loading…</div>;
  return project ? <ProjectView project={project} /> : <Welcome />;
}
