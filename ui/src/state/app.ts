import { createContext, useContext } from 'react';
import type { JobInfo, JobRef, ProjectInfo, RecentProject } from '../api/types.gen';
import type { Theme } from './theme';

/** What the panels need from the app frame. */
export interface AppContextValue {
  /** The open project; null when none is. */
  project: ProjectInfo | null;
  /** Whether the first current_project answer came. */
  projectLoaded: boolean;
  recent: RecentProject[];
  jobs: JobInfo[];
  theme: Theme;
  /** Whether some call the user started is in flight. */
  busy: boolean;
  /** Shows an error's message in the error banner. */
  reportError(e: unknown): void;
  toggleTheme(): void;
  showPanel(id: string): void;
  setJobsOpen(open: boolean | ((open: boolean) => boolean)): void;
  actions: ProjectActions;
}

export interface ProjectActions {
  openProject(): Promise<void>;
  openRecent(path: string): Promise<void>;
  newProject(): Promise<void>;
  openDemo(): Promise<void>;
  closeProject(): Promise<void>;
  refreshProject(): Promise<void>;
  refreshRecent(): Promise<void>;
  addDataset(): Promise<void>;
  addDatasetPaths(paths: string[]): Promise<void>;
  removeDataset(name: string): Promise<void>;
  computeFingerprints(): Promise<void>;
  cancelJob(id: string): Promise<void>;
  /** Puts a job just started into the jobs list now (not at its first event). */
  trackJob(ref: JobRef): Promise<void>;
  showAbout(): void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const v = useContext(AppContext);
  if (!v) throw new Error('useApp must be used inside the app frame');
  return v;
}
