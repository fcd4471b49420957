import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactElement } from 'react';
import { MlflowRemoteView } from './MlflowRemoteView';
import { describe, expect, it } from 'vitest';
import { AssayClient, ClientContext } from '../../api/client';
import type { ConnectionDetails } from '../../api/types.gen';
import { ConnectionForm } from './ConnectionForm';
import { renderServerConnection } from './ConnectionsPanel';

const client = new AssayClient({ kind: 'http', call: () => Promise.reject(new Error('offline')), subscribe: () => () => undefined });

function render(details?: ConnectionDetails): string {
  return renderToStaticMarkup(
    <ClientContext.Provider value={client}>
      <ConnectionForm details={details} onSaved={() => undefined} onRemoved={() => undefined} onClose={() => undefined} />
    </ClientContext.Provider>,
  );
}

const lake: ConnectionDetails = {
  name: 'lake',
  kind: 's3',
  url: 's3://bucket/raw',
  endpoint: 'http://127.0.0.1:9000',
  region: null,
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

describe('ConnectionForm', () => {
  it('offers a new S3 connection with its fields, hints and empty secrets', () => {
    const html = render();
    expect(html).toContain('Add connection');
    for (const id of ['conn-name', 'conn-url', 'conn-endpoint', 'conn-region', 'conn-path_style', 'conn-secret-access_key_id', 'conn-secret-secret_access_key', 'conn-secret-session_token']) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    expect(html).not.toContain('data-testid="conn-account"');
    expect(html).toContain('For MinIO, Cloudflare R2, Ceph or an emulator');
    expect(html).toContain('needed by MinIO');
    expect(html.match(/>not set</g)).toHaveLength(3);
    expect(html).not.toContain('data-testid="conn-remove"');
  });
  it('edits a stored connection: name fixed, secret places shown, forget and remove offered', () => {
    const html = render(lake);
    expect(html).toContain('Edit connection “lake”');
    expect(html).toMatch(/<input[^>]*disabled=""[^>]*data-testid="conn-name"/);
    expect(html).toContain('value="http://127.0.0.1:9000"');
    expect(html).toContain('stored in the keychain');
    expect(html).toContain('stored in file /home/ada/.config/assay/secrets.toml');
    expect(html).toContain('data-testid="conn-forget-access_key_id"');
    expect(html).toContain('data-testid="conn-forget-secret_access_key"');
    expect(html).not.toContain('data-testid="conn-forget-session_token"');
    expect(html).toContain('data-testid="conn-remove"');
    // Secret values never come back: the inputs are empty password fields.
    expect(html).toMatch(/<input[^>]*type="password"[^>]*data-testid="conn-secret-access_key_id" value=""\/>/);
  });
  it('shows the fields of the kind being edited', () => {
    const html = render({ ...lake, name: 'blobs', kind: 'azure', url: 'az://c', account: 'acct', secret_fields: ['access_key', 'sas_token'], secrets: [] });
    expect(html).toContain('data-testid="conn-account"');
    expect(html).toContain('data-testid="conn-secret-sas_token"');
    expect(html).not.toContain('data-testid="conn-region"');
    expect(html).not.toContain('data-testid="conn-path_style"');
  });
});

describe('server connections', () => {
  it('shows the URL and the token status; object stores have no server view', () => {
    const mlflow = renderServerConnection({ ...lake, kind: 'mlflow', url: 'https://mlflow.example.org', secrets: [] }) as ReactElement<{ connection: string }>;
    expect(mlflow.type).toBe(MlflowRemoteView);
    expect(mlflow.props.connection).toBe(lake.name);
    const assay = renderToStaticMarkup(<>{renderServerConnection({ ...lake, kind: 'assay', url: 'http://h:7878', secrets: [{ field: 'token', place: 'keychain' }] })}</>);
    expect(assay).toContain('Token: stored in the keychain');
    expect(renderServerConnection(lake)).toBeNull();
  });
});
