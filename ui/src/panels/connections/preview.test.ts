import { describe, expect, it } from 'vitest';
import type { Page } from '../../api/types.gen';
import { previewPage, sortPreview } from './preview';

const page: Page = {
  columns: [
    { name: 'species', dtype: 'String', kind: 'text' },
    { name: 'mass', dtype: 'Int64', kind: 'numeric' },
  ],
  rows: [
    ['Adelie', 3750],
    ['Gentoo', null],
    ['Chinstrap', 3500],
    ['Adelie', 4200],
  ],
  offset: 0,
  total_rows: 344,
};

describe('preview paging', () => {
  it('keeps the file order without a sort', () => {
    expect(sortPreview(page, [])).toBe(page.rows);
  });
  it('sorts numbers and puts missing values last both ways', () => {
    expect(sortPreview(page, [{ column: 'mass', descending: false }]).map((r) => r[1])).toEqual([3500, 3750, 4200, null]);
    expect(sortPreview(page, [{ column: 'mass', descending: true }]).map((r) => r[1])).toEqual([4200, 3750, 3500, null]);
  });
  it('sorts by several keys, ties in file order', () => {
    const rows = sortPreview(page, [
      { column: 'species', descending: false },
      { column: 'mass', descending: true },
    ]);
    expect(rows).toEqual([
      ['Adelie', 4200],
      ['Adelie', 3750],
      ['Chinstrap', 3500],
      ['Gentoo', null],
    ]);
  });
  it('pages through the preview rows only', () => {
    const p = previewPage(page, 2, 10, []);
    expect(p.total_rows).toBe(4);
    expect(p.offset).toBe(2);
    expect(p.rows).toEqual([
      ['Chinstrap', 3500],
      ['Adelie', 4200],
    ]);
  });
});
