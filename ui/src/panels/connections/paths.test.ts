import { describe, expect, it } from 'vitest';
import type { ConnectionDetails, RemoteEntryInfo } from '../../api/types.gen';
import { basePath, breadcrumb, entryName, fileStem, normalizePrefix, parentPrefix, pathUnder, secretsBadge, sortEntries, storeRoot } from './paths';

describe('store URLs', () => {
  it('splits a URL into the store root and the path inside it', () => {
    expect(storeRoot('s3://bucket/raw/')).toBe('s3://bucket');
    expect(storeRoot('s3://bucket')).toBe('s3://bucket');
    expect(storeRoot('https://host:8080/a/b')).toBe('https://host:8080');
    expect(basePath('s3://bucket/raw/2024/')).toBe('raw/2024');
    expect(basePath('gs://bucket')).toBe('');
    expect(normalizePrefix('/a//b/')).toBe('a/b');
    expect(pathUnder('s3://bucket/raw', 'sub/x.csv')).toBe('raw/sub/x.csv');
    expect(pathUnder('s3://bucket', '/x.csv')).toBe('x.csv');
  });
});

describe('breadcrumb', () => {
  it('starts at the connection URL', () => {
    expect(breadcrumb('s3://bucket/raw/', null)).toEqual([{ label: 's3://bucket/raw', prefix: null }]);
  });
  it('adds one crumb per folder below the connection URL', () => {
    expect(breadcrumb('s3://bucket/raw', 'raw/2024/01')).toEqual([
      { label: 's3://bucket/raw', prefix: null },
      { label: '2024', prefix: 'raw/2024' },
      { label: '01', prefix: 'raw/2024/01' },
    ]);
    expect(breadcrumb('s3://bucket', 'a/')).toEqual([
      { label: 's3://bucket', prefix: null },
      { label: 'a', prefix: 'a' },
    ]);
  });
  it('treats the base prefix itself as the root', () => {
    expect(breadcrumb('s3://bucket/raw', 'raw')).toEqual([{ label: 's3://bucket/raw', prefix: null }]);
  });
  it('starts from the store root for a prefix outside the URL', () => {
    expect(breadcrumb('s3://bucket/raw', 'other/x')).toEqual([
      { label: 's3://bucket', prefix: '' },
      { label: 'other', prefix: 'other' },
      { label: 'x', prefix: 'other/x' },
    ]);
    expect(breadcrumb('s3://bucket/raw', 'rawer')[0]).toEqual({ label: 's3://bucket', prefix: '' });
  });
  it('goes up one folder, never above the URL', () => {
    expect(parentPrefix('s3://bucket/raw', 'raw/2024/01')).toBe('raw/2024');
    expect(parentPrefix('s3://bucket/raw', 'raw/2024')).toBeNull();
    expect(parentPrefix('s3://bucket/raw', null)).toBeNull();
  });
});

describe('names', () => {
  it('takes a listed path’s own name', () => {
    expect(entryName('raw/2024/')).toBe('2024');
    expect(entryName('raw/x.parquet')).toBe('x.parquet');
    expect(entryName('x.csv')).toBe('x.csv');
  });
  it('derives a data set name like the engine', () => {
    expect(fileStem('raw/flights_2013_01.parquet')).toBe('flights_2013_01');
    expect(fileStem('s3://b/penguins.csv.gz')).toBe('penguins');
    expect(fileStem('https://h/d/data.csv?x=1')).toBe('data');
    expect(fileStem('.hidden')).toBe('.hidden');
  });
  it('lists folders first, then files, by name', () => {
    const e = (path: string, is_dir: boolean): RemoteEntryInfo => ({ path, url: `s3://b/${path}`, is_dir, bytes: 0, modified: null, format: null });
    expect(sortEntries([e('b.csv', false), e('z/', true), e('a.csv', false), e('c/', true)]).map((x) => x.path)).toEqual(['c/', 'z/', 'a.csv', 'b.csv']);
  });
});

describe('secrets badge', () => {
  const base: ConnectionDetails = { name: 'x', kind: 's3', url: 's3://b', endpoint: null, region: null, path_style: false, account: null, username: null, secret_fields: [], secrets: [], secrets_file: '/s' };
  it('says where the secrets are', () => {
    expect(secretsBadge(base)).toBe('none');
    expect(secretsBadge({ ...base, secrets: [{ field: 'a', place: 'file' }] })).toBe('file');
    expect(secretsBadge({ ...base, secrets: [{ field: 'a', place: 'keychain' }] })).toBe('keychain');
    expect(secretsBadge({ ...base, secrets: [{ field: 'a', place: 'keychain' }, { field: 'b', place: 'file' }] })).toBe('keychain + file');
  });
});
