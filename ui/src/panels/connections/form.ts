import type { ApiError, ConnectionDetails, ConnectionKindDto, SaveConnectionRequest, SecretPlace } from '../../api/types.gen';
import { kindSpec, type SettingField } from './kinds';

/** A secret input: what was typed (empty = leave as it is) and whether to forget the stored one. */
export interface SecretEdit {
  value: string;
  forget: boolean;
}

export interface FormState {
  name: string;
  kind: ConnectionKindDto;
  url: string;
  endpoint: string;
  region: string;
  path_style: boolean;
  account: string;
  username: string;
  /** By secret field; fields not here are untouched. */
  secrets: Record<string, SecretEdit>;
}

/** Field name -> message, for the messages shown next to a field; `form` for the rest. */
export type FormErrors = Partial<Record<string, string>>;

const NAME_FORBIDDEN = /[/\\:*?"<>|\p{Cc}]/u;

/** The form for a new connection, or for editing `details`. */
export function initialForm(details?: ConnectionDetails): FormState {
  if (!details) {
    return { name: '', kind: 's3', url: '', endpoint: '', region: '', path_style: false, account: '', username: '', secrets: {} };
  }
  return {
    name: details.name,
    kind: details.kind,
    url: details.url,
    endpoint: details.endpoint ?? '',
    region: details.region ?? '',
    path_style: details.path_style,
    account: details.account ?? '',
    username: details.username ?? '',
    secrets: {},
  };
}

/** The settings the form shows for a kind. */
export function settingsFor(kind: ConnectionKindDto): SettingField[] {
  return kindSpec(kind).settings.map((s) => s.field);
}

/** The secret fields a kind takes (the same list as the backend's). */
export function secretFieldsFor(kind: ConnectionKindDto): string[] {
  return kindSpec(kind).secrets.map((s) => s.field);
}

/** Where a secret is stored now, or null when it is not. */
export function storedPlace(details: ConnectionDetails | undefined, field: string): SecretPlace | null {
  return details?.secrets.find((s) => s.field === field)?.place ?? null;
}

/** How the form describes a secret's stored state. */
export function secretStatusText(details: ConnectionDetails | undefined, field: string): string {
  const place = storedPlace(details, field);
  if (place === 'keychain') return 'stored in the keychain';
  if (place === 'file') return `stored in file ${details?.secrets_file ?? ''}`.trimEnd();
  return 'not set';
}

/**
 * The request that saves the form: only the settings its kind uses, and only the secrets that
 * change (a typed value sets one, "forget" sends an empty value, untouched ones are left out
 * so the stored values stay).
 */
export function toRequest(form: FormState): SaveConnectionRequest {
  const req: SaveConnectionRequest = { name: form.name.trim(), kind: form.kind, url: form.url.trim(), secrets: {} };
  for (const field of settingsFor(form.kind)) {
    if (field === 'path_style') req.path_style = form.path_style;
    else req[field] = form[field].trim();
  }
  for (const field of secretFieldsFor(form.kind)) {
    const edit = form.secrets[field];
    if (!edit) continue;
    const value = edit.value.trim();
    if (value !== '') req.secrets[field] = value;
    else if (edit.forget) req.secrets[field] = '';
  }
  return req;
}

function schemeOf(url: string): string | null {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url.trim());
  return m ? m[1].toLowerCase() : null;
}

/** Problems the form can see before asking the engine, by field. */
export function validateForm(form: FormState): FormErrors {
  const errors: FormErrors = {};
  const name = form.name.trim();
  if (!name) errors.name = 'Give the connection a name.';
  else if (name.length > 128) errors.name = 'At most 128 characters.';
  else if (NAME_FORBIDDEN.test(name)) errors.name = 'A name cannot contain / \\ : * ? " < > |';

  const spec = kindSpec(form.kind);
  const url = form.url.trim();
  const scheme = schemeOf(url);
  if (!url) errors.url = `Give the URL, e.g. ${spec.urlPlaceholder}`;
  else if (!scheme || !spec.schemes.includes(scheme)) {
    errors.url = `${spec.label} URLs start with ${spec.schemes.map((s) => `${s}://`).join(' or ')}`;
  }
  const settings = settingsFor(form.kind);
  const endpoint = form.endpoint.trim();
  if (settings.includes('endpoint') && endpoint && !/^https?:\/\//i.test(endpoint)) {
    errors.endpoint = 'The endpoint starts with http:// or https://';
  }
  if (spec.settings.some((s) => s.field === 'account' && s.required) && !form.account.trim()) {
    errors.account = 'An Azure connection needs the storage account.';
  }
  return errors;
}

/** The form field an API error is about (`details.field`), if it names one. */
export function errorField(error: ApiError): string | null {
  const details = error.details;
  if (details && typeof details === 'object' && !Array.isArray(details)) {
    const field = (details as Record<string, unknown>).field;
    if (typeof field === 'string' && field) return field;
  }
  return null;
}

/** Whether saving would change any secret. */
export function changesSecrets(form: FormState): boolean {
  return Object.keys(toRequest(form).secrets).length > 0;
}
