import { describe, expect, it } from 'vitest';
import type { ColumnProfile, CorrelationMatrix, Correlations } from '../../../api/types.gen';
import { correlationCells, correlationMethods, correlationRange, findMatrix, missingBars, missingMatrixCells } from './chartData';
import { sparkBars, sparklineSource } from './sparkline';

describe('sparkline scaling', () => {
  it('scales heights to the largest count', () => {
    const bars = sparkBars([1, 2, 4], 30, 20, 0);
    expect(bars.map((b) => b.height)).toEqual([5, 10, 20]);
    expect(bars.map((b) => b.y)).toEqual([15, 10, 0]);
    expect(bars.map((b) => b.x)).toEqual([0, 10, 20]);
    expect(bars.every((b) => b.width === 10)).toBe(true);
  });
  it('keeps rare non-zero counts visible and zero counts flat', () => {
    const bars = sparkBars([1000, 1, 0], 30, 20, 1, 2);
    expect(bars[1].height).toBe(2);
    expect(bars[2].height).toBe(0);
    expect(bars[0].width).toBe(9);
  });
  it('draws nothing for nothing', () => {
    expect(sparkBars([], 30, 20)).toEqual([]);
    expect(sparkBars([0, 0], 30, 20).every((b) => b.height === 0)).toBe(true);
  });
});

function column(partial: Partial<ColumnProfile>): ColumnProfile {
  return {
    name: 'c',
    dtype: 'f64',
    kind: 'numeric',
    hints: [],
    count: 10,
    missing: 0,
    missing_fraction: 0,
    distinct: 3,
    distinct_approximate: false,
    distinct_fraction: 0.3,
    unique: 1,
    memory_bytes: 80,
    top_values: [],
    numeric: null,
    text: null,
    temporal: null,
    ...partial,
  };
}

describe('sparkline source', () => {
  it('prefers the numeric histogram', () => {
    const c = column({
      top_values: [{ value: 'x', count: 3 }],
      numeric: {
        min: 0, max: 2, range: 2, mean: 1, std: 1, variance: 1, sum: 10, p05: 0, p25: 0, p50: 1, p75: 2, p95: 2, iqr: 2, mad: 1, cv: 1,
        skewness: 0, kurtosis: 0, zeros: 1, negatives: 0, infinite: 0, monotonicity: 'none',
        histogram: { edges: [0, 1, 2], counts: [4, 6] },
      },
    });
    expect(sparklineSource(c)?.counts).toEqual([4, 6]);
    expect(sparklineSource(c)?.labels).toEqual(['0 – 1', '1 – 2']);
  });
  it('uses top values for categorical text and lengths for free text', () => {
    const text = { min_length: 1, max_length: 5, mean_length: 3, median_length: 3, length_histogram: { edges: [1, 3, 5], counts: [2, 8] }, char_classes: {}, empty: 0 };
    const cat = column({ kind: 'text', text, top_values: [{ value: 'a', count: 7 }, { value: 'b', count: 3 }] });
    expect(sparklineSource(cat)?.source).toBe('top values');
    const free = column({ kind: 'text', text, distinct_fraction: 0.99, top_values: [{ value: 'a', count: 1 }] });
    expect(sparklineSource(free)?.counts).toEqual([2, 8]);
    expect(sparklineSource(column({}))).toBeNull();
  });
});

const matrix: CorrelationMatrix = {
  method: 'pearson',
  columns: ['a', 'b', 'c'],
  values: [
    [1, 0.5, null],
    [0.5, 1, -0.25],
    [null, -0.25, 1],
  ],
};

describe('correlation heat map', () => {
  it('puts the first row on top and blanks undefined cells', () => {
    const cells = correlationCells(matrix);
    expect(cells).toHaveLength(9);
    expect(cells).toContainEqual([0, 2, 1]); // a×a, top row
    expect(cells).toContainEqual([1, 2, 0.5]); // a×b
    expect(cells).toContainEqual([2, 2, '-']); // a×c undefined
    expect(cells).toContainEqual([2, 1, -0.25]); // b×c
    expect(cells).toContainEqual([2, 0, 1]); // c×c, bottom row
  });
  it('lists methods and finds matrices', () => {
    const c: Correlations = { sample_rows: 10, numeric: [matrix, { ...matrix, method: 'spearman' }], categorical: { method: 'cramers_v', columns: ['x'], values: [[1]] } };
    expect(correlationMethods(c)).toEqual(['pearson', 'spearman', 'cramers_v']);
    expect(findMatrix(c, 'cramers_v')?.columns).toEqual(['x']);
    expect(findMatrix(c, 'kendall')).toBeNull();
    expect(correlationRange('cramers_v')).toEqual([0, 1]);
    expect(correlationRange('kendall')).toEqual([-1, 1]);
  });
});

describe('missing values', () => {
  it('turns the matrix into cells, first sample row on top', () => {
    expect(missingMatrixCells([
      [true, false],
      [false, false],
    ])).toEqual([
      [0, 1, 1],
      [1, 1, 0],
      [0, 0, 0],
      [1, 0, 0],
    ]);
  });
  it('computes shares per column', () => {
    const bars = missingBars({ per_column: [{ value: 'a', count: 5 }, { value: 'b', count: 0 }], matrix: [], matrix_rows: [] }, 20);
    expect(bars.fractions).toEqual([0.25, 0]);
    expect(bars.names).toEqual(['a', 'b']);
  });
});
