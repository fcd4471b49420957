import { useEffect, useState } from 'react';
import { useClient } from '../api/client';
import { toApiError } from '../api/errors';
import type { AppInfo } from '../api/types.gen';
import { Modal } from './Dialogs';

export function AboutDialog({ onClose }: { onClose: () => void }) {
  const client = useClient();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.call('app_info', {}).then(setInfo, (e: unknown) => setError(toApiError(e).message));
  }, [client]);
  return (
    <Modal
      title="About Assay"
      onClose={onClose}
      onSubmit={onClose}
      footer={
        <button type="submit" className="primary">
          Close
        </button>
      }
    >
      <p>A local-first workbench for data scientists.</p>
      {error && <p className="error-text">{error}</p>}
      {info && (
        <dl className="facts">
          <dt>Version</dt>
          <dd>{info.version}</dd>
          <dt>Connected via</dt>
          <dd>{client.kind === 'tauri' ? 'desktop app' : 'HTTP server'}</dd>
          <dt>Configuration</dt>
          <dd className="mono">{info.config_dir}</dd>
          <dt>Data</dt>
          <dd className="mono">{info.data_dir}</dd>
          <dt>Log file</dt>
          <dd className="mono">{info.log_file ?? '—'}</dd>
        </dl>
      )}
    </Modal>
  );
}
