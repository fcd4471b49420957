import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Alert, Profile } from '../../../api/types.gen';
import { AlertList, alertSeverity, Overview } from './Overview';

const profile = {
  table: {
    rows: 336776,
    columns: 19,
    missing_cells: 46595,
    missing_cells_fraction: 0.00728,
    duplicate_rows: 0,
    duplicate_rows_fraction: 0,
    memory_bytes: 40 * 1024 * 1024,
    kinds: { numeric: 14, text: 4, temporal: 1, boolean: 0 },
  },
  run: { elapsed_ms: 2400, engine: '0.1.0' },
} as unknown as Profile;

describe('Overview', () => {
  const html = renderToStaticMarkup(<Overview profile={profile} />);
  it('shows the table facts with separators and shares', () => {
    expect(html).toContain('data-testid="profile-overview"');
    expect(html).toContain('336,776');
    expect(html).toContain('46,595');
    expect(html).toContain('0.7%');
    expect(html).toContain('40.0 MiB');
    expect(html).toContain('2.4 s');
  });
  it('lists only the kinds present', () => {
    expect(html).toContain('numeric <b>14</b>');
    expect(html).not.toContain('boolean <b>');
  });
});

describe('AlertList', () => {
  const alerts: Alert[] = [
    { kind: 'missing', column: 'dep_time', message: 'dep_time has 2.5% missing values', value: 0.025 },
    { kind: 'duplicates', column: null, message: 'The table has 3 duplicate rows', value: 3 },
  ];
  it('renders clickable alerts for columns only', () => {
    const html = renderToStaticMarkup(<AlertList alerts={alerts} onColumn={() => {}} />);
    expect(html).toContain('data-testid="alert-list"');
    expect(html.match(/<button/g)).toHaveLength(1);
    expect(html).toContain('Show column dep_time');
    expect(html).toContain('>Missing<');
  });
  it('says when there are none', () => {
    expect(renderToStaticMarkup(<AlertList alerts={[]} onColumn={() => {}} />)).toContain('No alerts.');
  });
  it('ranks data problems above information', () => {
    expect(alertSeverity('missing')).toBe('warning');
    expect(alertSeverity('unique')).toBe('info');
  });
});
