import { useId, useState, type ReactNode } from 'react';
import { useClient } from '../../api/client';
import { toApiError } from '../../api/errors';
import type { ConnectionDetails, ConnectionKindDto } from '../../api/types.gen';
import { Modal } from '../../components/Dialogs';
import { errorField, initialForm, secretStatusText, storedPlace, toRequest, validateForm, type FormErrors, type FormState } from './form';
import { KINDS, kindSpec, type SettingField } from './kinds';

export interface ConnectionFormProps {
  /** The connection to edit; a new one when absent. */
  details?: ConnectionDetails;
  onSaved(details: ConnectionDetails): void;
  onRemoved(name: string): void;
  onClose(): void;
}

function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string; children: ReactNode }) {
  return (
    <div className="conn-field" data-testid={`conn-field-${id}`}>
      <label htmlFor={`conn-${id}`} className="field-label">
        {label}
      </label>
      <div className="conn-field-input">
        {children}
        {error && (
          <span className="error-text small-text" role="alert" data-testid={`conn-error-${id}`}>
            {error}
          </span>
        )}
        {hint && !error && <span className="field-help">{hint}</span>}
      </div>
    </div>
  );
}

/** Add or edit a connection: kind, settings per kind, secrets (set, keep or forget), remove. */
export function ConnectionForm({ details, onSaved, onRemoved, onClose }: ConnectionFormProps) {
  const client = useClient();
  const uid = useId();
  const editing = details !== undefined;
  const [form, setForm] = useState<FormState>(() => initialForm(details));
  const [errors, setErrors] = useState<FormErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const spec = kindSpec(form.kind);

  const update = (patch: Partial<FormState>) => {
    const next = { ...form, ...patch };
    setForm(next);
    setFormError(null);
    setErrors(tried ? validateForm(next) : {});
  };
  const setSecret = (field: string, patch: Partial<{ value: string; forget: boolean }>) => {
    const prev = form.secrets[field] ?? { value: '', forget: false };
    update({ secrets: { ...form.secrets, [field]: { ...prev, ...patch } } });
  };

  const save = async () => {
    setTried(true);
    const problems = validateForm(form);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setSaving(true);
    setFormError(null);
    try {
      onSaved(await client.call('save_connection', toRequest(form)));
    } catch (e) {
      const error = toApiError(e);
      const field = errorField(error);
      if (field) setErrors({ [field]: error.message });
      else setFormError(error.message);
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!details) return;
    setSaving(true);
    setFormError(null);
    try {
      await client.call('remove_connection', { name: details.name });
      onRemoved(details.name);
    } catch (e) {
      setFormError(toApiError(e).message);
      setConfirmRemove(false);
    } finally {
      setSaving(false);
    }
  };

  const setting = (field: SettingField) => {
    const s = spec.settings.find((x) => x.field === field);
    if (!s) return null;
    if (field === 'path_style') {
      return (
        <div key={field} className="conn-field conn-check" data-testid="conn-field-path_style">
          <span />
          <div className="conn-field-input">
            <label className="check-label">
              <input type="checkbox" checked={form.path_style} onChange={(e) => update({ path_style: e.target.checked })} data-testid="conn-path_style" />
              {s.label}
            </label>
            <span className="field-help">{s.hint}</span>
          </div>
        </div>
      );
    }
    return (
      <Field key={field} id={field} label={s.required ? `${s.label} *` : s.label} hint={s.hint} error={errors[field]}>
        <input
          id={`conn-${field}`}
          className={`text-input mono ${errors[field] ? 'invalid' : ''}`}
          value={form[field]}
          placeholder={s.placeholder}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={errors[field] !== undefined}
          onChange={(e) => update({ [field]: e.target.value })}
          data-testid={`conn-${field}`}
        />
      </Field>
    );
  };

  return (
    <Modal
      title={editing ? `Edit connection “${details.name}”` : 'Add connection'}
      className="conn-form"
      onClose={onClose}
      onSubmit={() => void save()}
      footer={
        confirmRemove ? (
          <>
            <span className="conn-confirm small-text" data-testid="conn-remove-confirm">
              Remove “{details?.name}” and forget its secrets?
            </span>
            <button type="button" onClick={() => setConfirmRemove(false)}>
              Keep it
            </button>
            <button type="button" className="primary danger" disabled={saving} onClick={() => void remove()} data-testid="conn-remove-yes">
              Remove
            </button>
          </>
        ) : (
          <>
            {editing && (
              <button type="button" className="danger conn-remove" disabled={saving} onClick={() => setConfirmRemove(true)} data-testid="conn-remove">
                Remove…
              </button>
            )}
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={saving} data-testid="conn-save">
              {saving ? 'Saving…' : 'Save'}
            </button>
          </>
        )
      }
    >
      <div className="conn-grid">
        <Field id="kind" label="Kind">
          <select
            id="conn-kind"
            value={form.kind}
            onChange={(e) => update({ kind: e.target.value as ConnectionKindDto })}
            data-testid="conn-kind"
            data-autofocus
          >
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.title}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id="name"
          label="Name *"
          hint={editing ? 'The name identifies the connection: to rename it, add a new one.' : 'How data sets and the app refer to it.'}
          error={errors.name}
        >
          <input
            id="conn-name"
            className={`text-input ${errors.name ? 'invalid' : ''}`}
            value={form.name}
            disabled={editing}
            placeholder="lake"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={errors.name !== undefined}
            onChange={(e) => update({ name: e.target.value })}
            data-testid="conn-name"
          />
        </Field>
        <Field id="url" label="URL *" hint={spec.urlHint} error={errors.url}>
          <input
            id="conn-url"
            className={`text-input mono ${errors.url ? 'invalid' : ''}`}
            value={form.url}
            placeholder={spec.urlPlaceholder}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={errors.url !== undefined}
            onChange={(e) => update({ url: e.target.value })}
            data-testid="conn-url"
          />
        </Field>
        {spec.settings.map((s) => setting(s.field))}
      </div>
      {spec.secrets.length > 0 && (
        <fieldset className="conn-secrets" data-testid="conn-secrets">
          <legend className="section-title">Secrets</legend>
          <p className="field-help">
            Kept in the OS keychain (or, when none runs, in a private file), never in assay.toml or the logs. Leave a field
            empty to keep what is stored.
          </p>
          {spec.secrets.map((s) => {
            const edit = form.secrets[s.field] ?? { value: '', forget: false };
            const place = storedPlace(details, s.field);
            const status = edit.forget
              ? 'will be forgotten when you save'
              : edit.value
                ? place
                  ? 'will replace the stored value'
                  : 'will be stored when you save'
                : secretStatusText(details, s.field);
            return (
              <Field key={s.field} id={s.field} label={s.label} error={errors[s.field]}>
                <input
                  id={`conn-${s.field}`}
                  type="password"
                  className={`text-input mono ${errors[s.field] ? 'invalid' : ''}`}
                  value={edit.value}
                  placeholder={place ? '••••••••  (stored)' : ''}
                  autoComplete="new-password"
                  spellCheck={false}
                  aria-describedby={`${uid}-${s.field}`}
                  onChange={(e) => setSecret(s.field, { value: e.target.value })}
                  data-testid={`conn-secret-${s.field}`}
                />
                <span id={`${uid}-${s.field}`} className="conn-secret-status small-text" data-testid={`conn-secret-status-${s.field}`}>
                  <span className={place && !edit.forget ? 'ok-text' : 'muted'}>{status}</span>
                  {place && !edit.forget && (
                    <button type="button" className="small link-button" onClick={() => setSecret(s.field, { forget: true, value: '' })} data-testid={`conn-forget-${s.field}`}>
                      forget
                    </button>
                  )}
                  {edit.forget && (
                    <button type="button" className="small link-button" onClick={() => setSecret(s.field, { forget: false })}>
                      keep
                    </button>
                  )}
                </span>
                {s.hint && <span className="field-help">{s.hint}</span>}
              </Field>
            );
          })}
        </fieldset>
      )}
      {formError && (
        <div className="inline-error" role="alert" data-testid="conn-form-error">
          {formError}
        </div>
      )}
    </Modal>
  );
}
