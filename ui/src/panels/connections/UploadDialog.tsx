import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useClient } from '../../api/client';
import { toApiError } from '../../api/errors';
import type { JsonValue, UploadResult } from '../../api/types.gen';
import { Modal } from '../../components/Dialogs';
import { humanAmount, humanBytes, progressFraction } from '../../lib/format';
import { useApp } from '../../state/app';
import { asExportedReport } from '../datasets/profile/ExportReport';
import { normalizePrefix } from './paths';

function asUploadResult(v: JsonValue): UploadResult | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, JsonValue>;
  return Array.isArray(o.urls) && typeof o.bytes === 'number' ? (v as unknown as UploadResult) : null;
}

/** Project files this session wrote (exported reports), newest first, for the path's suggestions. */
export function reportSuggestions(results: JsonValue[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    const report = asExportedReport(r);
    if (report && !out.includes(report.relative_path)) out.push(report.relative_path);
  }
  return out;
}

/**
 * Upload a project file or folder (a report from reports/, a run's artifacts under
 * .assay/artifacts/) into a folder of the store, as a job with progress and cancel.
 */
export function UploadDialog({
  connection,
  destination,
  destinationUrl,
  onUploaded,
  onClose,
}: {
  connection: string;
  /** The folder shown in the browser (a prefix as listed). */
  destination: string;
  /** Its URL, for the hint. */
  destinationUrl: string;
  onUploaded(result: UploadResult): void;
  onClose(): void;
}) {
  const client = useClient();
  const { jobs, actions } = useApp();
  const listId = useId();
  const [path, setPath] = useState('');
  const [prefix, setPrefix] = useState(destination);
  const [jobId, setJobId] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const job = jobId ? jobs.find((j) => j.id === jobId) : undefined;
  const running = job?.state.state === 'running' || (jobId !== null && !job);
  const result = job?.state.state === 'succeeded' ? asUploadResult(job.state.result) : null;
  const failed = job?.state.state === 'failed' ? job.state.error.message : startError;
  const uploaded = useRef(onUploaded);
  uploaded.current = onUploaded;
  useEffect(() => {
    if (result) uploaded.current(result);
  }, [result]);

  const suggestions = useMemo(
    () =>
      reportSuggestions(
        [...jobs]
          .reverse()
          .flatMap((j) => (j.state.state === 'succeeded' ? [j.state.result] : [])),
      ),
    [jobs],
  );

  const start = async () => {
    const p = path.trim();
    if (!p || running) return;
    setStartError(null);
    setJobId(null);
    const dest = normalizePrefix(prefix);
    try {
      const ref = await client.call('start_upload', dest ? { connection, path: p, prefix: dest } : { connection, path: p });
      setJobId(ref.id);
      await actions.trackJob(ref);
    } catch (e) {
      setStartError(toApiError(e).message);
    }
  };

  const progress = job?.state.state === 'running' ? job.state.progress : null;
  const fraction = progress ? progressFraction(progress.done, progress.total) : null;

  return (
    <Modal
      title="Upload to the store"
      className="conn-form"
      onClose={onClose}
      onSubmit={() => void start()}
      footer={
        <>
          {running && (
            <button type="button" onClick={() => job && void actions.cancelJob(job.id)} data-testid="upload-cancel">
              Cancel upload
            </button>
          )}
          <button type="button" onClick={onClose} data-testid="upload-close">
            {result ? 'Done' : 'Close'}
          </button>
          <button type="submit" className="primary" disabled={running || !path.trim()} data-testid="upload-start">
            Upload
          </button>
        </>
      }
    >
      <label htmlFor={`${listId}-path`} className="field-label">
        Project file or folder
      </label>
      <input
        id={`${listId}-path`}
        className="text-input mono"
        list={`${listId}-reports`}
        value={path}
        placeholder="reports/flights.html"
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => setPath(e.target.value)}
        data-testid="upload-path"
      />
      <datalist id={`${listId}-reports`}>
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <p className="field-help">
        Relative to the project folder: a report such as <span className="mono">reports/x.html</span>, or a run’s
        artifacts <span className="mono">.assay/artifacts/&lt;experiment&gt;/&lt;run&gt;</span> (a folder goes with its files).
      </p>
      <label htmlFor={`${listId}-prefix`} className="field-label">
        Destination folder
      </label>
      <input
        id={`${listId}-prefix`}
        className="text-input mono"
        value={prefix}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => setPrefix(e.target.value)}
        data-testid="upload-prefix"
      />
      <p className="field-help">
        Inside the bucket or container; the folder shown now is <span className="mono">{destinationUrl}</span>.
      </p>
      {progress && (
        <div className="job-inline" data-testid="upload-progress">
          <div
            className={`progress ${fraction === null ? 'indeterminate' : ''}`}
            role="progressbar"
            aria-label="Upload progress"
            aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
          >
            <div className="progress-fill" style={fraction === null ? undefined : { width: `${fraction * 100}%` }} />
          </div>
          <span className="muted small-text">
            {progress.message || 'uploading'}
            {progress.total !== null && ` · ${humanAmount(progress.done, progress.unit)} / ${humanAmount(progress.total, progress.unit)}`}
          </span>
        </div>
      )}
      {running && !progress && <p className="muted small-text">Starting…</p>}
      {failed && (
        <div className="inline-error" role="alert" data-testid="upload-error">
          {failed}
        </div>
      )}
      {job?.state.state === 'cancelled' && (
        <p className="warn-text small-text" data-testid="upload-cancelled">
          Upload cancelled: nothing was left in the store.
        </p>
      )}
      {result && (
        <div className="notice small-text" data-testid="upload-done">
          <span className="ok-text">Uploaded {humanBytes(result.bytes)}</span> to
          <ul className="upload-urls">
            {result.urls.map((u) => (
              <li key={u} className="mono">
                {u}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Modal>
  );
}
