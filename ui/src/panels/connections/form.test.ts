import { describe, expect, it } from 'vitest';
import type { ConnectionDetails } from '../../api/types.gen';
import { errorField, initialForm, secretFieldsFor, secretStatusText, settingsFor, toRequest, validateForm, type FormState } from './form';

const lake: ConnectionDetails = {
  name: 'lake',
  kind: 's3',
  url: 's3://bucket/raw',
  endpoint: 'http://127.0.0.1:9000',
  region: 'us-east-1',
  path_style: true,
  account: null,
  username: null,
  secret_fields: ['access_key_id', 'secret_access_key', 'session_token'],
  secrets: [
    { field: 'access_key_id', place: 'keychain' },
    { field: 'secret_access_key', place: 'file' },
  ],
  secrets_file: '/home/ada/.config/assay/secrets.toml',
};

function form(patch: Partial<FormState>): FormState {
  return { ...initialForm(), ...patch };
}

describe('fields per kind', () => {
  it('lists the settings each kind uses', () => {
    expect(settingsFor('s3')).toEqual(['endpoint', 'region', 'path_style']);
    expect(settingsFor('gcs')).toEqual(['endpoint']);
    expect(settingsFor('azure')).toEqual(['account', 'endpoint']);
    expect(settingsFor('http')).toEqual([]);
    expect(settingsFor('mlflow')).toEqual(['username']);
    expect(settingsFor('assay')).toEqual([]);
  });
  it('lists the secrets each kind takes, as the backend does', () => {
    expect(secretFieldsFor('s3')).toEqual(['access_key_id', 'secret_access_key', 'session_token']);
    expect(secretFieldsFor('gcs')).toEqual(['service_account_key']);
    expect(secretFieldsFor('azure')).toEqual(['access_key', 'sas_token']);
    expect(secretFieldsFor('http')).toEqual([]);
    expect(secretFieldsFor('mlflow')).toEqual(['token', 'password']);
    expect(secretFieldsFor('assay')).toEqual(['token']);
  });
  it('sends only the settings of the chosen kind', () => {
    const f = form({ name: 'c', kind: 'gcs', url: 'gs://b', endpoint: ' http://e ', region: 'eu', path_style: true, account: 'acct', username: 'u' });
    expect(toRequest(f)).toEqual({ name: 'c', kind: 'gcs', url: 'gs://b', endpoint: 'http://e', secrets: {} });
    const s3 = toRequest({ ...f, kind: 's3', url: 's3://b' });
    expect(s3).toEqual({ name: 'c', kind: 's3', url: 's3://b', endpoint: 'http://e', region: 'eu', path_style: true, secrets: {} });
  });
  it('starts an edit from the stored settings, with no secret typed', () => {
    const f = initialForm(lake);
    expect(f).toMatchObject({ name: 'lake', kind: 's3', url: 's3://bucket/raw', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', path_style: true, account: '', secrets: {} });
    expect(toRequest(f).secrets).toEqual({});
  });
});

describe('secrets sent', () => {
  it('sends only the secrets typed or forgotten', () => {
    const f = form({
      name: 'lake',
      url: 's3://bucket',
      secrets: {
        access_key_id: { value: 'AKIA', forget: false },
        secret_access_key: { value: '', forget: false },
        session_token: { value: '', forget: true },
      },
    });
    expect(toRequest(f).secrets).toEqual({ access_key_id: 'AKIA', session_token: '' });
  });
  it('prefers a newly typed value over forgetting', () => {
    const f = form({ name: 'x', url: 's3://b', secrets: { secret_access_key: { value: 'new', forget: true } } });
    expect(toRequest(f).secrets).toEqual({ secret_access_key: 'new' });
  });
  it('drops secrets the chosen kind does not take', () => {
    const f = form({ name: 'x', kind: 'gcs', url: 'gs://b', secrets: { access_key_id: { value: 'AKIA', forget: false }, service_account_key: { value: '{"k":1}\n', forget: false } } });
    expect(toRequest(f).secrets).toEqual({ service_account_key: '{"k":1}' });
  });
  it('describes where a secret is stored', () => {
    expect(secretStatusText(lake, 'access_key_id')).toBe('stored in the keychain');
    expect(secretStatusText(lake, 'secret_access_key')).toBe('stored in file /home/ada/.config/assay/secrets.toml');
    expect(secretStatusText(lake, 'session_token')).toBe('not set');
    expect(secretStatusText(undefined, 'session_token')).toBe('not set');
  });
});

describe('validation', () => {
  it('accepts a complete form', () => {
    expect(validateForm(form({ name: 'lake', url: 's3://bucket/raw', endpoint: 'http://127.0.0.1:9000' }))).toEqual({});
    expect(validateForm(form({ name: 'blobs', kind: 'azure', url: 'az://c', account: 'acct' }))).toEqual({});
  });
  it('names the field that is wrong', () => {
    expect(Object.keys(validateForm(form({})))).toEqual(['name', 'url']);
    expect(validateForm(form({ name: 'a/b', url: 's3://b' })).name).toMatch(/cannot contain/);
    expect(validateForm(form({ name: 'x', url: 'gs://b' })).url).toBe('S3 URLs start with s3:// or s3a://');
    expect(validateForm(form({ name: 'x', url: 's3://b', endpoint: '127.0.0.1:9000' })).endpoint).toMatch(/http:\/\//);
    expect(validateForm(form({ name: 'x', kind: 'azure', url: 'az://c' })).account).toMatch(/storage account/);
  });
  it('ignores settings the kind does not use', () => {
    expect(validateForm(form({ name: 'x', kind: 'http', url: 'https://h/p', endpoint: 'nonsense' }))).toEqual({});
  });
  it('reads the field an API error names', () => {
    expect(errorField({ code: 'invalid_input', message: 'm', details: { field: 'token' } })).toBe('token');
    expect(errorField({ code: 'invalid_input', message: 'm', details: { connection: 'x' } })).toBeNull();
    expect(errorField({ code: 'invalid_input', message: 'm' })).toBeNull();
  });
});
