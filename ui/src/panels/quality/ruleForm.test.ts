import { describe, expect, it } from 'vitest';
import type { Rule } from '../../api/types.gen';
import { RULE_KINDS, describeCheck, emptyForm, formFromRule, kindOf, parsePeriod, parseValues, periodText, ruleFromForm } from './ruleForm';

const rule = (check: Rule['check'], extra: Partial<Rule> = {}): Rule => ({ id: 'x', line: 3, severity: 'error', check, ...extra });

describe('rule form', () => {
  it('builds a range rule with exclusive bounds and mostly', () => {
    const r = ruleFromForm({ ...emptyForm('between', 'dep_delay'), min: '-60', max: '1500', maxExclusive: true, mostly: '0.99', severity: 'warn' }, true);
    expect(r.check).toEqual({ between: { column: 'dep_delay', range: { min: -60, max: 1500, min_exclusive: false, max_exclusive: true } } });
    expect(r.mostly).toBe(0.99);
    expect(r.severity).toBe('warn');
  });

  it('keeps numbers numeric in numeric columns only', () => {
    expect(parseValues('1, 2, x', true)).toEqual([1, 2, 'x']);
    expect(parseValues('01, 2', false)).toEqual(['01', '2']);
    expect(() => parseValues(' , ', false)).toThrow(/at least one/);
  });

  it('refuses what the engine would refuse, with a message', () => {
    expect(() => ruleFromForm(emptyForm('between', 'x'), true)).toThrow(/minimum, a maximum/);
    expect(() => ruleFromForm({ ...emptyForm('between', 'x'), min: '5', max: '1' }, true)).toThrow(/above max/);
    expect(() => ruleFromForm({ ...emptyForm('not_null', 'x'), mostly: '1.5' }, true)).toThrow(/mostly/);
    expect(() => ruleFromForm({ ...emptyForm('freshness', 'x'), maxAge: 'soon' }, true)).toThrow(/36h/);
    expect(() => ruleFromForm(emptyForm('not_null'), true)).toThrow(/column/);
  });

  it('round-trips every kind through the form', () => {
    const filled = {
      min: '1',
      max: '9',
      values: 'a, b',
      pattern: '^N',
      sql: 'a < b',
      refDataset: 'airports',
      refColumn: 'faa',
      right: 'b',
      columns: ['a', 'b'],
    };
    for (const { kind } of RULE_KINDS) {
      const r = ruleFromForm({ ...emptyForm(kind, 'a'), ...filled }, false);
      const again = ruleFromForm(formFromRule(r), false);
      expect(again.check, kind).toEqual(r.check);
      expect(kindOf(r.check), kind).toBe(kind);
    }
  });

  it('periods read and write like the suite files', () => {
    expect(parsePeriod('36h')).toBe(129600);
    expect(periodText(129600)).toBe('36h');
    expect(periodText(86400 * 14)).toBe('2w');
    expect(parsePeriod('1 day')).toBeNull();
  });

  it('describes checks in one line', () => {
    expect(describeCheck(rule({ between: { column: 'month', range: { min: 1, max: 12 } } }).check)).toBe('month in [1, 12]');
    expect(describeCheck(rule({ row_count: { range: { min: 100 } } }).check)).toBe('row count in [100, ∞)');
    expect(describeCheck({ stat: { stat: { quantile: 0.95 }, column: 'air_time', range: { max: 400 } } })).toBe('q0.95(air_time) in (-∞, 400]');
    expect(describeCheck({ references: { column: 'dest', dataset: 'airports', ref_column: 'faa' } })).toBe('dest exists in airports.faa');
  });
});
