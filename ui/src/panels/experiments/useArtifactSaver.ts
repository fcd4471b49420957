import { useState } from 'react';
import { useClient } from '../../api/client';
import type { SavedArtifacts } from '../../api/types.gen';
import { useDialogs } from '../../components/Dialogs';
import { pickFolder } from '../../desktop/picker';
import { humanBytes } from '../../lib/format';
import { useTrackedJob } from '../../state/useTrackedJob';

/** What a save ended in, for one line under the artifact tree. */
export function savedMessage(saved: SavedArtifacts): string {
  const files = saved.files === 1 ? '1 file' : `${saved.files} files`;
  return `Saved ${files} (${humanBytes(saved.bytes)}) to ${saved.target}`;
}

/**
 * Saves a run's artifact file or folder into a folder the user picks (the desktop app's answer
 * to a browser's download link), as a job with progress.
 */
export function useArtifactSaver(runId: string) {
  const client = useClient();
  const dialogs = useDialogs();
  const [done, setDone] = useState<string | null>(null);
  const tracked = useTrackedJob((result) => setDone(savedMessage(result as unknown as SavedArtifacts)));

  const save = async (path: string) => {
    const dest = await pickFolder(client.kind, dialogs, `Save ${path || 'the artifacts'} to a folder`);
    if (!dest) return;
    setDone(null);
    await tracked.start(() => client.call('start_save_artifacts', { run_id: runId, path, dest }));
  };

  const status = tracked.running ? 'Saving…' : (tracked.error ?? done);
  return { save, status, failed: tracked.error !== null, running: tracked.running };
}
