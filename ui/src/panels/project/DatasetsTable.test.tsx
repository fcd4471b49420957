import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../api/types.gen';
import { DatasetsTable } from './DatasetsTable';

const datasets: DatasetInfo[] = [
  {
    name: 'penguins',
    path: 'data/penguins.csv',
    format: 'csv',
    description: null,
    location: { kind: 'local', bytes: 13_478 },
    fingerprint: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  },
  { name: 'flights', path: 'data/flights.parquet', format: 'parquet', description: null, location: { kind: 'missing' }, fingerprint: null },
  { name: 'remote_set', path: 's3://bucket/x.parquet', format: null, description: null, location: { kind: 'remote' }, fingerprint: null },
];

function rows(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<tr[^>]*data-testid="dataset-row-([^"]+)"[^>]*>(.*?)<\/tr>/g)) out.set(m[1], m[2]);
  return out;
}

describe('DatasetsTable', () => {
  const html = renderToStaticMarkup(<DatasetsTable datasets={datasets} onRemove={() => {}} />);
  const byName = rows(html);

  it('renders one test-id row per data set', () => {
    expect([...byName.keys()]).toEqual(['penguins', 'flights', 'remote_set']);
  });
  it('shows size, format and short fingerprint of a local file', () => {
    const row = byName.get('penguins')!;
    expect(row).toContain('13.2 KiB');
    expect(row).toContain('>csv<');
    expect(row).toContain('>a1b2c3d4e5f6<');
    expect(row).toContain('>local<');
  });
  it('flags a missing file as a warning and dashes what is unknown', () => {
    expect(html).toMatch(/<tr[^>]*class="row-warning"[^>]*data-testid="dataset-row-flights"|data-testid="dataset-row-flights"[^>]*class="row-warning"/);
    expect(byName.get('flights')).toContain('loc-missing');
    expect(byName.get('flights')).toContain('—');
    expect(byName.get('remote_set')).toContain('>remote<');
  });
  it('labels the remove buttons', () => {
    expect(html).toContain('aria-label="Remove data set flights"');
  });
  it('says so when there are no data sets', () => {
    expect(renderToStaticMarkup(<DatasetsTable datasets={[]} onRemove={() => {}} />)).toContain('No data sets yet');
  });
});
