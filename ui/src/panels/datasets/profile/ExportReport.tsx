import { useState } from 'react';
import { useClient } from '../../../api/client';
import type { ExportedReport, JsonValue, ReportFormat } from '../../../api/types.gen';
import { humanBytes } from '../../../lib/format';
import { useApp } from '../../../state/app';

/** The result of an export job, when it is one. */
export function asExportedReport(v: JsonValue): ExportedReport | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, JsonValue>;
  return typeof o.relative_path === 'string' && typeof o.path === 'string' ? (v as unknown as ExportedReport) : null;
}

/**
 * Export buttons: the profile (and, with `compare`, its drift) as a standalone HTML report or
 * a JSON document, written into the project's reports/ folder by a job.
 */
export function ExportReport({ dataset, compare }: { dataset: string; compare?: string }) {
  const client = useClient();
  const { jobs, actions, reportError } = useApp();
  const [jobId, setJobId] = useState<string | null>(null);
  const job = jobId ? jobs.find((j) => j.id === jobId) : undefined;
  const running = job?.state.state === 'running' || (jobId !== null && !job);
  const done = job?.state.state === 'succeeded' ? asExportedReport(job.state.result) : null;
  const failed = job?.state.state === 'failed' ? job.state.error.message : null;

  const start = async (format: ReportFormat) => {
    try {
      const ref = await client.call('start_export_report', compare ? { dataset, compare, format } : { dataset, format });
      setJobId(ref.id);
      await actions.trackJob(ref);
    } catch (e) {
      reportError(e);
    }
  };

  return (
    <span className="export-report" data-testid="export-report">
      <button type="button" onClick={() => void start('html')} disabled={running} data-testid="export-html" title="Write a standalone HTML report into reports/">
        Export HTML
      </button>
      <button type="button" onClick={() => void start('json')} disabled={running} data-testid="export-json" title="Write the JSON document into reports/">
        JSON
      </button>
      {running && <span className="muted small-text">exporting…</span>}
      {done && (
        <span className="muted small-text" data-testid="export-done" title={done.path}>
          wrote <span className="mono">{done.relative_path}</span> ({humanBytes(done.bytes)})
        </span>
      )}
      {failed && (
        <span className="error-text small-text" role="alert">
          {failed}
        </span>
      )}
    </span>
  );
}
