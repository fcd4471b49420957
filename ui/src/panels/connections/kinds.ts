import type { ConnectionKindDto } from '../../api/types.gen';

/** A plain (non-secret) setting of a connection, as the form shows it. */
export type SettingField = 'endpoint' | 'region' | 'path_style' | 'account' | 'username';

export interface SettingSpec {
  field: SettingField;
  label: string;
  hint: string;
  placeholder?: string;
  required?: boolean;
}

export interface SecretSpec {
  field: string;
  label: string;
  hint?: string;
}

export interface KindSpec {
  kind: ConnectionKindDto;
  /** Short label for lists and badges. */
  label: string;
  /** What it is, in the kind selector. */
  title: string;
  urlPlaceholder: string;
  urlHint: string;
  /** URL schemes the backend accepts for this kind. */
  schemes: string[];
  settings: SettingSpec[];
  secrets: SecretSpec[];
  /** Browsable, holds data sets. */
  objectStore: boolean;
}

const ENDPOINT_S3: SettingSpec = {
  field: 'endpoint',
  label: 'Endpoint',
  hint: 'Leave empty for Amazon S3. For MinIO, Cloudflare R2, Ceph or an emulator: its http(s):// address.',
  placeholder: 'http://127.0.0.1:9000',
};

/** Every kind of connection, in the order the kind selector lists them. */
export const KINDS: KindSpec[] = [
  {
    kind: 's3',
    label: 'S3',
    title: 'Amazon S3 or S3-compatible (MinIO, R2, Ceph)',
    urlPlaceholder: 's3://bucket/prefix',
    urlHint: 'The bucket, optionally with a prefix to start browsing from.',
    schemes: ['s3', 's3a'],
    settings: [
      ENDPOINT_S3,
      { field: 'region', label: 'Region', hint: 'For example us-east-1. S3-compatible stores usually accept any.', placeholder: 'us-east-1' },
      {
        field: 'path_style',
        label: 'Path-style requests',
        hint: 'Address buckets as endpoint/bucket/key instead of bucket.endpoint/key: needed by MinIO and most emulators.',
      },
    ],
    secrets: [
      { field: 'access_key_id', label: 'Access key ID' },
      { field: 'secret_access_key', label: 'Secret access key' },
      { field: 'session_token', label: 'Session token', hint: 'Only for temporary credentials (STS).' },
    ],
    objectStore: true,
  },
  {
    kind: 'gcs',
    label: 'GCS',
    title: 'Google Cloud Storage',
    urlPlaceholder: 'gs://bucket/prefix',
    urlHint: 'The bucket, optionally with a prefix.',
    schemes: ['gs', 'gcs'],
    settings: [
      {
        field: 'endpoint',
        label: 'Endpoint',
        hint: 'Only for an emulator (fake-gcs-server) or a private endpoint; without a key, requests are unsigned.',
        placeholder: 'http://127.0.0.1:4443',
      },
    ],
    secrets: [
      {
        field: 'service_account_key',
        label: 'Service account key',
        hint: 'Paste the JSON key file’s content.',
      },
    ],
    objectStore: true,
  },
  {
    kind: 'azure',
    label: 'Azure',
    title: 'Azure Blob Storage',
    urlPlaceholder: 'az://container/prefix',
    urlHint: 'The container, optionally with a prefix.',
    schemes: ['az', 'azure', 'abfs', 'abfss'],
    settings: [
      { field: 'account', label: 'Storage account', hint: 'The storage account’s name.', placeholder: 'mystorageaccount', required: true },
      {
        field: 'endpoint',
        label: 'Endpoint',
        hint: 'Only for Azurite or a private endpoint.',
        placeholder: 'http://127.0.0.1:10000/devstoreaccount1',
      },
    ],
    secrets: [
      { field: 'access_key', label: 'Account key' },
      { field: 'sas_token', label: 'SAS token', hint: 'Instead of the account key.' },
    ],
    objectStore: true,
  },
  {
    kind: 'http',
    label: 'HTTP',
    title: 'Files over HTTP(S)',
    urlPlaceholder: 'https://example.org/data',
    urlHint: 'A base address. Plain HTTP servers cannot list folders: open files by their path.',
    schemes: ['http', 'https'],
    settings: [],
    secrets: [],
    objectStore: true,
  },
  {
    kind: 'mlflow',
    label: 'MLflow',
    title: 'MLflow tracking server',
    urlPlaceholder: 'https://mlflow.example.org',
    urlHint: 'The tracking server’s address (what MLFLOW_TRACKING_URI would be).',
    schemes: ['http', 'https'],
    settings: [{ field: 'username', label: 'User name', hint: 'For basic authentication, with the password below.' }],
    secrets: [
      { field: 'token', label: 'Token', hint: 'A bearer token (instead of user name and password).' },
      { field: 'password', label: 'Password' },
    ],
    objectStore: false,
  },
  {
    kind: 'assay',
    label: 'Assay',
    title: 'Another Assay (assay serve)',
    urlPlaceholder: 'http://127.0.0.1:7878',
    urlHint: 'The address of an assay serve.',
    schemes: ['http', 'https'],
    settings: [],
    secrets: [{ field: 'token', label: 'Token' }],
    objectStore: false,
  },
];

export function kindSpec(kind: ConnectionKindDto): KindSpec {
  return KINDS.find((k) => k.kind === kind) ?? KINDS[0];
}

export function secretLabel(kind: ConnectionKindDto, field: string): string {
  return kindSpec(kind).secrets.find((s) => s.field === field)?.label ?? field;
}
