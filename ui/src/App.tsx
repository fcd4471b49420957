import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useClient } from './api/client';
import { toApiError } from './api/errors';
import { listenSync } from './api/tauri';
import type { ApiError, AppEvent, JobInfo, ProjectInfo, RecentProject } from './api/types.gen';
import { AboutDialog } from './components/AboutDialog';
import { useDialogs } from './components/Dialogs';
import { ErrorBanner, type ErrorItem } from './components/ErrorBanner';
import { JobsDock } from './components/JobsDock';
import { Sidebar } from './components/Sidebar';
import { TopBar } from './components/TopBar';
import { pickDataFile, pickFolder } from './desktop/picker';
import { isMenuCommand, shortcutCommand, type Command } from './desktop/shortcuts';
import { findPanel } from './panels/registry';
import { AppContext, type AppContextValue, type ProjectActions } from './state/app';
import { initialJobs, isRunning, jobsReducer } from './state/jobs';
import { applyTheme, browserInitialTheme, saveTheme, type Theme } from './state/theme';

const MENU_EVENT = 'assay://menu';
const JOB_POLL_MS = 2000;
const MAX_ERRORS = 4;

export function App() {
  const client = useClient();
  const dialogs = useDialogs();

  const [project, setProject] = useState<ProjectInfo | null>(null);
  const [projectLoaded, setProjectLoaded] = useState(false);
  const [recent, setRecent] = useState<RecentProject[]>([]);
  const [jobsState, dispatchJobs] = useReducer(jobsReducer, initialJobs);
  const [errors, setErrors] = useState<ErrorItem[]>([]);
  const [theme, setTheme] = useState<Theme>(() => browserInitialTheme());
  const [activePanel, setActivePanel] = useState('project');
  const [jobsOpen, setJobsOpen] = useState(false);
  const [aboutOpen, setAboutOpen] = useState(false);
  const [busyCount, setBusyCount] = useState(0);
  const nextErrorId = useRef(1);
  /** Fingerprint jobs whose success already triggered a project refresh. */
  const refreshedJobs = useRef(new Set<string>());

  // ----- errors ------------------------------------------------------------------------
  const reportError = useCallback((e: unknown) => {
    const error: ApiError = toApiError(e);
    if (error.code === 'cancelled') return;
    setErrors((prev) => {
      const same = prev.find((p) => p.error.message === error.message);
      if (same) return prev.map((p) => (p === same ? { ...p, count: p.count + 1 } : p));
      return [...prev, { id: nextErrorId.current++, error, count: 1 }].slice(-MAX_ERRORS);
    });
  }, []);
  const dismissError = useCallback((id: number) => setErrors((prev) => prev.filter((p) => p.id !== id)), []);

  /** Runs a user-started call with a busy indicator; errors go to the banner. */
  const run = useCallback(
    async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
      setBusyCount((n) => n + 1);
      try {
        return await work();
      } catch (e) {
        reportError(e);
        return undefined;
      } finally {
        setBusyCount((n) => n - 1);
      }
    },
    [reportError],
  );

  // ----- theme -------------------------------------------------------------------------
  useEffect(() => applyTheme(theme), [theme]);
  const toggleTheme = useCallback(() => {
    setTheme((t) => {
      const next = t === 'dark' ? 'light' : 'dark';
      saveTheme(window.localStorage, next);
      return next;
    });
  }, []);

  // ----- project -----------------------------------------------------------------------
  const refreshProject = useCallback(async () => {
    try {
      setProject(await client.call('current_project', {}));
    } catch (e) {
      reportError(e);
    } finally {
      setProjectLoaded(true);
    }
  }, [client, reportError]);

  const refreshRecent = useCallback(async () => {
    try {
      setRecent(await client.call('recent_projects', {}));
    } catch (e) {
      reportError(e);
    }
  }, [client, reportError]);

  // ----- jobs --------------------------------------------------------------------------
  const onJob = useCallback(
    (job: JobInfo) => {
      dispatchJobs({ type: 'upsert', job });
      if (job.kind === 'fingerprint' && job.state.state === 'succeeded' && !refreshedJobs.current.has(job.id)) {
        refreshedJobs.current.add(job.id);
        void refreshProject();
      }
    },
    [refreshProject],
  );

  // ----- events and first load -----------------------------------------------------------
  useEffect(() => {
    const stop = client.subscribe((e: AppEvent) => {
      switch (e.type) {
        case 'job':
          onJob(e.job);
          break;
        case 'project':
          setProject(e.project);
          setProjectLoaded(true);
          break;
        case 'log':
          break; // the log view listens itself
      }
    });
    return stop;
  }, [client, onJob]);

  useEffect(() => {
    void refreshProject();
    void refreshRecent();
    client
      .call('list_jobs', {})
      .then((jobs) => {
        for (const j of jobs) if (!isRunning(j)) refreshedJobs.current.add(j.id);
        dispatchJobs({ type: 'loaded', jobs });
      })
      .catch(reportError);
  }, [client, refreshProject, refreshRecent, reportError]);

  // Events can be missed (a server-sent events reconnect): poll running jobs as a backstop.
  const runningIds = jobsState.jobs.filter(isRunning).map((j) => j.id).join(',');
  useEffect(() => {
    if (!runningIds) return;
    const timer = window.setInterval(() => {
      for (const id of runningIds.split(',')) {
        client.call('get_job', { id }).then(onJob, () => undefined);
      }
    }, JOB_POLL_MS);
    return () => window.clearInterval(timer);
  }, [client, runningIds, onJob]);

  // ----- actions -----------------------------------------------------------------------
  const opened = useCallback(
    (p: ProjectInfo | undefined) => {
      if (!p) return;
      setProject(p);
      setProjectLoaded(true);
      setActivePanel('project');
      void refreshRecent();
    },
    [refreshRecent],
  );

  const actions = useMemo<ProjectActions>(
    () => ({
      openProject: async () => {
        const path = await pickFolder(client.kind, dialogs, 'Open project folder').catch((e: unknown) => {
          reportError(e);
          return null;
        });
        if (path) opened(await run(() => client.call('open_project', { path })));
      },
      openRecent: async (path) => opened(await run(() => client.call('open_project', { path }))),
      newProject: async () => {
        const path = await pickFolder(client.kind, dialogs, 'New project: choose a folder').catch((e: unknown) => {
          reportError(e);
          return null;
        });
        if (path) opened(await run(() => client.call('create_project', { path })));
      },
      openDemo: async () => opened(await run(() => client.call('open_demo_project', {}))),
      closeProject: async () => {
        await run(async () => {
          setProject(await client.call('close_project', {}));
          setActivePanel('project');
          void refreshRecent();
        });
      },
      refreshProject,
      refreshRecent,
      addDataset: async () => {
        const path = await pickDataFile(client.kind, dialogs).catch((e: unknown) => {
          reportError(e);
          return null;
        });
        if (!path) return;
        const p = await run(() => client.call('add_dataset', { path }));
        if (p) setProject(p);
      },
      addDatasetPaths: async (paths) => {
        for (const path of paths) {
          const p = await run(() => client.call('add_dataset', { path }));
          if (p) setProject(p);
        }
      },
      removeDataset: async (name) => {
        const ok = await dialogs.confirm({
          title: 'Remove data set',
          message: `Remove “${name}” from the project? Its file is kept on disk.`,
          confirmLabel: 'Remove',
          danger: true,
        });
        if (!ok) return;
        const p = await run(() => client.call('remove_dataset', { name }));
        if (p) setProject(p);
      },
      computeFingerprints: async () => {
        const ref = await run(() => client.call('start_fingerprint', {}));
        if (!ref) return;
        setJobsOpen(true);
        try {
          onJob(await client.call('get_job', ref));
        } catch {
          // the job event will tell
        }
      },
      trackJob: async (ref) => {
        try {
          onJob(await client.call('get_job', ref));
        } catch {
          // the job event will tell
        }
      },
      cancelJob: async (id) => {
        const job = await run(() => client.call('cancel_job', { id }));
        if (job) onJob(job);
      },
      showAbout: () => setAboutOpen(true),
    }),
    [client, dialogs, opened, onJob, refreshProject, refreshRecent, reportError, run],
  );

  // ----- menu and shortcuts --------------------------------------------------------------
  const onCommand = useCallback(
    (command: Command) => {
      switch (command) {
        case 'new_project':
          void actions.newProject();
          break;
        case 'open_project':
          void actions.openProject();
          break;
        case 'open_demo':
          void actions.openDemo();
          break;
        case 'toggle_theme':
          toggleTheme();
          break;
        case 'show_logs':
          setActivePanel('logs');
          break;
        case 'show_jobs': // the menu item shares the toggle's accelerator
        case 'toggle_jobs':
          setJobsOpen((o) => !o);
          break;
        case 'about':
          setAboutOpen(true);
          break;
      }
    },
    [actions, toggleTheme],
  );
  const commandRef = useRef(onCommand);
  commandRef.current = onCommand;

  useEffect(() => {
    if (client.kind !== 'tauri') return;
    return listenSync<unknown>(MENU_EVENT, (payload) => {
      if (isMenuCommand(payload)) commandRef.current(payload);
    });
  }, [client]);

  useEffect(() => {
    if (client.kind !== 'http') return;
    const onKey = (e: KeyboardEvent) => {
      const command = shortcutCommand(e);
      if (!command) return;
      e.preventDefault();
      commandRef.current(command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [client]);

  // ----- render ------------------------------------------------------------------------
  const value: AppContextValue = {
    project,
    projectLoaded,
    recent,
    jobs: jobsState.jobs,
    theme,
    busy: busyCount > 0,
    reportError,
    toggleTheme,
    showPanel: setActivePanel,
    setJobsOpen,
    actions,
  };
  const Panel = findPanel(activePanel).component;

  return (
    <AppContext.Provider value={value}>
      <div className={`app ${jobsOpen ? 'jobs-open' : ''}`}>
        <TopBar />
        <Sidebar active={activePanel} onSelect={setActivePanel} />
        <main className="main" aria-label={findPanel(activePanel).title}>
          <Panel />
        </main>
        <JobsDock open={jobsOpen} onToggle={() => setJobsOpen((o) => !o)} />
        <ErrorBanner errors={errors} onDismiss={dismissError} />
        {aboutOpen && <AboutDialog onClose={() => setAboutOpen(false)} />}
      </div>
    </AppContext.Provider>
  );
}
