import { describe, expect, it } from 'vitest';
import type { ColumnDrift } from '../../../api/types.gen';
import { asDriftReport, binLabel, distributionShares, driftSummary, formatMetric, formatPValue, psiLevel, sortDrift } from './drift';

function drift(column: string, drifted: boolean, js: number | null): ColumnDrift {
  return {
    column,
    kind: 'numeric',
    test: 'ks',
    statistic: 0.1,
    p_value: 0.5,
    wasserstein: 1,
    jensen_shannon: js,
    psi: 0.01,
    drifted,
    reference: [],
    current: [],
    missing_fraction: [0, 0],
  };
}

describe('drift formatting', () => {
  it('summarises', () => {
    expect(driftSummary({ drifted: 3, columns: [drift('a', true, 0.2), drift('b', false, 0), drift('c', false, 0)] })).toBe('3 of 3 columns drifted');
    expect(driftSummary({ drifted: 0, columns: [drift('a', false, 0)] })).toBe('0 of 1 column drifted');
  });
  it('formats p-values and metrics', () => {
    expect(formatPValue(0.0000123)).toBe('< 0.001');
    expect(formatPValue(0.04567)).toBe('0.0457');
    expect(formatPValue(1)).toBe('1');
    expect(formatPValue(null)).toBe('—');
    expect(formatMetric(0.123456)).toBe('0.123');
    expect(formatMetric(1234.5)).toBe('1,235');
    expect(formatMetric(null)).toBe('—');
  });
  it('bands PSI', () => {
    expect(psiLevel(0.05)).toBe('stable');
    expect(psiLevel(0.1)).toBe('moderate');
    expect(psiLevel(0.3)).toBe('major');
    expect(psiLevel(null)).toBe('none');
  });
  it('sorts drifted columns first, then by distance', () => {
    const sorted = sortDrift([drift('a', false, 0.05), drift('b', true, 0.2), drift('c', false, 0.09), drift('d', true, 0.5)]);
    expect(sorted.map((c) => c.column)).toEqual(['d', 'b', 'c', 'a']);
  });
  it('aligns distributions on shared bins as shares', () => {
    const d = distributionShares(
      [{ value: 'x', count: 3 }, { value: 'y', count: 1 }],
      [{ value: 'y', count: 5 }, { value: 'z', count: 5 }],
    );
    expect(d.labels).toEqual(['x', 'y', 'z']);
    expect(d.reference).toEqual([0.75, 0.25, 0]);
    expect(d.current).toEqual([0, 0.5, 0.5]);
  });
  it('shortens numeric bin labels and keeps categories', () => {
    expect(binLabel('2700.0000')).toBe('2,700');
    expect(binLabel('0.12345')).toBe('0.1235');
    expect(binLabel('-3.5e2')).toBe('-350');
    expect(binLabel('Adelie')).toBe('Adelie');
    expect(binLabel('2013-01-01')).toBe('2013-01-01');
  });
  it('recognises a drift report result', () => {
    expect(asDriftReport({ columns: [], drifted: 0, reference_rows: 1, current_rows: 1, only_in_reference: [], only_in_current: [] })).not.toBeNull();
    expect(asDriftReport([])).toBeNull();
    expect(asDriftReport({ dataset: 'x' })).toBeNull();
  });
});
