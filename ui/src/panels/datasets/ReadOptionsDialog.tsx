import { useId, useState } from 'react';
import { useClient } from '../../api/client';
import { toApiError } from '../../api/errors';
import type { ApiError, CsvOptions, DatasetSchema } from '../../api/types.gen';
import { Modal } from '../../components/Dialogs';
import { ENCODINGS, formOf, overridesOf, problems, type ReadOptionsForm } from './readOptions';

/** How a CSV/TSV data set is read: the detected dialect, editable; applied only if the file reads with it. */
export function ReadOptionsDialog({
  dataset,
  csv,
  onClose,
  onApplied,
}: {
  dataset: string;
  csv: CsvOptions;
  onClose: () => void;
  onApplied: (schema: DatasetSchema) => void;
}) {
  const client = useClient();
  const id = useId();
  const [form, setForm] = useState<ReadOptionsForm>(() => formOf(csv));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const wrong = problems(form);
  const set = <K extends keyof ReadOptionsForm>(key: K, value: ReadOptionsForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const apply = async (detect: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const schema = await client.call('set_dataset_options', detect ? { name: dataset } : { name: dataset, csv: overridesOf(form) });
      onApplied(schema);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={`Read options of ${dataset}`}
      className="conn-form"
      onClose={onClose}
      onSubmit={() => Object.keys(wrong).length === 0 && void apply(false)}
      footer={
        <>
          <button type="button" disabled={busy} onClick={() => void apply(true)} data-testid="read-options-detect">
            Detect again
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || Object.keys(wrong).length > 0} data-testid="read-options-apply">
            Apply
          </button>
        </>
      }
    >
      <label htmlFor={`${id}-delimiter`} className="field-label">
        Delimiter
      </label>
      <input
        id={`${id}-delimiter`}
        className="text-input mono"
        value={form.delimiter}
        onChange={(e) => set('delimiter', e.target.value)}
        data-testid="read-options-delimiter"
      />
      {wrong.delimiter && <p className="error-text small-text" role="alert">{wrong.delimiter}</p>}
      <label htmlFor={`${id}-quote`} className="field-label">
        Quote
      </label>
      <input
        id={`${id}-quote`}
        className="text-input mono"
        value={form.quote}
        placeholder="none"
        onChange={(e) => set('quote', e.target.value)}
        data-testid="read-options-quote"
      />
      {wrong.quote && <p className="error-text small-text" role="alert">{wrong.quote}</p>}
      <label className="check-label">
        <input type="checkbox" checked={form.hasHeader} onChange={(e) => set('hasHeader', e.target.checked)} data-testid="read-options-header" />
        The first line holds column names
      </label>
      <label htmlFor={`${id}-nulls`} className="field-label">
        Missing-value markers
      </label>
      <input
        id={`${id}-nulls`}
        className="text-input mono"
        value={form.nullValues}
        placeholder="NA, NULL, -"
        onChange={(e) => set('nullValues', e.target.value)}
        data-testid="read-options-nulls"
      />
      <p className="field-help">Comma-separated; an empty cell is always missing.</p>
      <label htmlFor={`${id}-encoding`} className="field-label">
        Encoding
      </label>
      <select
        id={`${id}-encoding`}
        className="text-input"
        value={form.encoding}
        onChange={(e) => set('encoding', e.target.value as ReadOptionsForm['encoding'])}
        data-testid="read-options-encoding"
      >
        {ENCODINGS.map((e) => (
          <option key={e.value} value={e.value}>
            {e.label}
          </option>
        ))}
      </select>
      <p className="field-help">
        Saved in <span className="mono">assay.toml</span> under <span className="mono">[datasets.csv]</span>, after checking that the file reads
        with them.
      </p>
      {error && (
        <div className="inline-error" role="alert" data-testid="read-options-error">
          {error.message}
        </div>
      )}
    </Modal>
  );
}
