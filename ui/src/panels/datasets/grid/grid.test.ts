import { describe, expect, it } from 'vitest';
import { cellText } from '../../../lib/format';
import { columnWidth, gutterWidth } from './cells';
import { pageOf, planPages, scrollScale, wantedPages } from './pageWindow';
import { nextSort, sortState } from './sort';

describe('page window', () => {
  it('maps rows to page offsets', () => {
    expect(pageOf(0)).toBe(0);
    expect(pageOf(199)).toBe(0);
    expect(pageOf(200)).toBe(200);
    expect(pageOf(1234, 100)).toBe(1200);
  });
  it('wants the visible pages and one ahead', () => {
    expect(wantedPages(0, 30, 10_000)).toEqual([0, 200]);
    expect(wantedPages(190, 230, 10_000)).toEqual([0, 200, 400]);
    expect(wantedPages(5000, 5040, 10_000)).toEqual([5000, 5200]);
  });
  it('stays inside the table', () => {
    expect(wantedPages(9950, 9999, 10_000)).toEqual([9800]);
    expect(wantedPages(0, 30, 150)).toEqual([0]);
    expect(wantedPages(0, 30, 0)).toEqual([]);
    expect(wantedPages(0, -1, 500)).toEqual([]);
  });
  it('asks for the first page while the total is unknown', () => {
    expect(wantedPages(0, 30, null)).toEqual([0]);
  });
  it('fetches only what is neither cached nor loading', () => {
    const plan = planPages({ first: 190, last: 230, total: 10_000, cached: [0], loading: [200] });
    expect(plan.fetch).toEqual([400]);
  });
  it('drops pages far from the view', () => {
    const plan = planPages({ first: 5000, last: 5040, total: 100_000, cached: [0, 200, 4200, 4400, 5000, 6000, 6200, 90_000], loading: [], keep: 4 });
    // kept: 5000 - 800 = 4200 .. 5200 + 800 = 6000
    expect(plan.drop).toEqual([0, 200, 6200, 90_000]);
    expect(plan.fetch).toEqual([5200]);
  });
});

describe('scroll scale', () => {
  it('is 1 when the content fits the height cap', () => {
    expect(scrollScale(300_000 * 24, 600)).toBe(1);
  });
  it('maps the capped range onto the full one', () => {
    const content = 10_000_000 * 24;
    const s = scrollScale(content, 600, 8_000_000);
    // the real scroll end must reach the virtual end
    expect((8_000_000 - 600) * s).toBeCloseTo(content - 600, 3);
    expect(s).toBeGreaterThan(29);
  });
});

describe('sort cycling', () => {
  it('cycles a single column asc → desc → none', () => {
    let s = nextSort([], 'a', false);
    expect(s).toEqual([{ column: 'a', descending: false }]);
    s = nextSort(s, 'a', false);
    expect(s).toEqual([{ column: 'a', descending: true }]);
    expect(nextSort(s, 'a', false)).toEqual([]);
  });
  it('replaces the sort on a plain click of another column', () => {
    expect(nextSort([{ column: 'a', descending: true }], 'b', false)).toEqual([{ column: 'b', descending: false }]);
  });
  it('adds, flips and removes keys with shift', () => {
    let s = nextSort([{ column: 'a', descending: false }], 'b', true);
    expect(s).toEqual([
      { column: 'a', descending: false },
      { column: 'b', descending: false },
    ]);
    s = nextSort(s, 'b', true);
    expect(s[1]).toEqual({ column: 'b', descending: true });
    s = nextSort(s, 'b', true);
    expect(s).toEqual([{ column: 'a', descending: false }]);
  });
  it('reports rank and direction', () => {
    const s = [
      { column: 'a', descending: false },
      { column: 'b', descending: true },
    ];
    expect(sortState(s, 'b')).toEqual({ descending: true, rank: 2 });
    expect(sortState(s, 'c')).toBeNull();
  });
});

describe('cells', () => {
  it('renders values and marks nulls', () => {
    expect(cellText(null)).toBeNull();
    expect(cellText(undefined)).toBeNull();
    expect(cellText(3.5)).toBe('3.5');
    expect(cellText(false)).toBe('false');
    expect(cellText([1, 2])).toBe('[1,2]');
  });
  it('sizes the row-number gutter for the largest number', () => {
    expect(gutterWidth(0)).toBe(44);
    expect(gutterWidth(2_000_000)).toBe(9 * 7 + 18);
    expect(gutterWidth(2_000_000)).toBeGreaterThan(gutterWidth(336_776));
  });
  it('sizes columns by kind and name, within bounds', () => {
    expect(columnWidth({ name: 'x', kind: 'numeric' })).toBe(96);
    expect(columnWidth({ name: 'x', kind: 'text' })).toBe(160);
    expect(columnWidth({ name: 'a'.repeat(100), kind: 'numeric' })).toBe(320);
  });
});
