import { describe, expect, it } from 'vitest';
import { chipLabel, chipToFilter, chipsToFilters, parseFilterValue, type FilterChip } from './filters';

const columns = [
  { name: 'carat', kind: 'numeric' as const },
  { name: 'cut', kind: 'text' as const },
  { name: 'flag', kind: 'boolean' as const },
  { name: 'day', kind: 'temporal' as const },
];

describe('filter chips', () => {
  it('turns numeric values into numbers', () => {
    expect(chipToFilter({ column: 'carat', op: 'ge', value: ' 1,500.5 ' }, columns)).toEqual({ column: 'carat', op: 'ge', value: 1500.5 });
    expect(chipToFilter({ column: 'carat', op: 'eq', value: 'abc' }, columns)).toBeNull();
  });
  it('keeps text as typed and trims contains', () => {
    expect(chipToFilter({ column: 'cut', op: 'eq', value: 'Ideal' }, columns)).toEqual({ column: 'cut', op: 'eq', value: 'Ideal' });
    expect(chipToFilter({ column: 'carat', op: 'contains', value: ' 12 ' }, columns)).toEqual({ column: 'carat', op: 'contains', value: '12' });
  });
  it('parses booleans and rejects junk', () => {
    expect(chipToFilter({ column: 'flag', op: 'eq', value: 'TRUE' }, columns)?.value).toBe(true);
    expect(chipToFilter({ column: 'flag', op: 'ne', value: 'no' }, columns)?.value).toBe(false);
    expect(parseFilterValue('maybe', 'boolean', 'eq')).toEqual({ error: 'Enter true or false' });
  });
  it('sends no value for null tests', () => {
    const f = chipToFilter({ column: 'day', op: 'is_null', value: 'ignored' }, columns);
    expect(f).toEqual({ column: 'day', op: 'is_null' });
    expect(f && 'value' in f).toBe(false);
  });
  it('requires a value for comparisons', () => {
    expect(parseFilterValue('  ', 'text', 'eq')).toEqual({ error: 'Enter a value' });
  });
  it('drops invalid chips when converting a list', () => {
    const chips: FilterChip[] = [
      { column: 'carat', op: 'lt', value: 'x' },
      { column: 'cut', op: 'is_not_null', value: '' },
    ];
    expect(chipsToFilters(chips, columns)).toEqual([{ column: 'cut', op: 'is_not_null' }]);
  });
  it('labels chips', () => {
    expect(chipLabel({ column: 'carat', op: 'ge', value: '1.5' })).toBe('carat ≥ 1.5');
    expect(chipLabel({ column: 'cut', op: 'is_null', value: '' })).toBe('cut is null');
    expect(chipLabel({ column: 'cut', op: 'contains', value: 'id' })).toBe('cut contains “id”');
  });
});
