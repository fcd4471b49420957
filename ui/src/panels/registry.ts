import type { ComponentType } from 'react';
import { AnomalyIcon, CheckListIcon, CloudIcon, ExperimentIcon, FolderIcon, LogsIcon, ModelIcon, TableIcon } from '../components/icons';
import { AnomalyPanel } from './anomaly/AnomalyPanel';
import { ConnectionsPanel } from './connections/ConnectionsPanel';
import { DatasetsPanel } from './datasets/DatasetsPanel';
import { ExperimentsPanel } from './experiments/ExperimentsPanel';
import { LogsPanel } from './logs/LogsPanel';
import { ModelsPanel } from './models/ModelsPanel';
import { ProjectPanel } from './project/ProjectPanel';
import { QualityPanel } from './quality/QualityPanel';

/** A sidebar entry and the view it shows. Add a panel by appending one entry. */
export interface PanelDef {
  /** Stable id: `nav-${id}` is the nav button's test id. */
  id: string;
  title: string;
  icon?: ComponentType;
  component: ComponentType;
}

export const panels: PanelDef[] = [
  { id: 'datasets', title: 'Datasets & Profiling', icon: TableIcon, component: DatasetsPanel },
  { id: 'quality', title: 'Quality rules', icon: CheckListIcon, component: QualityPanel },
  { id: 'anomaly', title: 'Anomalies', icon: AnomalyIcon, component: AnomalyPanel },
  { id: 'experiments', title: 'Experiments', icon: ExperimentIcon, component: ExperimentsPanel },
  { id: 'models', title: 'Models', icon: ModelIcon, component: ModelsPanel },
  { id: 'connections', title: 'Connections', icon: CloudIcon, component: ConnectionsPanel },
  { id: 'project', title: 'Project', icon: FolderIcon, component: ProjectPanel },
  { id: 'logs', title: 'Logs', icon: LogsIcon, component: LogsPanel },
];

export function findPanel(id: string): PanelDef {
  return panels.find((p) => p.id === id) ?? panels[0];
}
