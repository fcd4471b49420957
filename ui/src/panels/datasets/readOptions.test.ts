import { describe, expect, it } from 'vitest';
import { ENCODINGS, formOf, overridesOf, problems } from './readOptions';

describe('read options', () => {
  it('round-trips detected options, tabs shown as \\t', () => {
    const form = formOf({ delimiter: '\t', quote: null, has_header: true, null_values: ['NA', ''], encoding: 'utf8' });
    expect(form.delimiter).toBe('\\t');
    expect(form.quote).toBe('');
    expect(overridesOf(form)).toEqual({ delimiter: '\t', quote: '', has_header: true, null_values: ['NA'], encoding: 'utf8' });
  });

  it('names the fields that cannot be applied', () => {
    const form = formOf({ delimiter: ',', quote: '"', has_header: false, null_values: [], encoding: 'utf8_lossy' });
    expect(problems(form)).toEqual({});
    expect(problems({ ...form, delimiter: ';;' }).delimiter).toMatch(/One ASCII/);
    expect(problems({ ...form, delimiter: '' }).delimiter).toBeDefined();
    expect(problems({ ...form, quote: 'é' }).quote).toMatch(/empty for none/);
    expect(overridesOf({ ...form, nullValues: 'NA, -,  ' }).null_values).toEqual(['NA', '-']);
  });

  it('keeps a detected Latin-1 encoding and offers every encoding', () => {
    const form = formOf({ delimiter: ';', quote: '"', has_header: true, null_values: [], encoding: 'latin1' });
    expect(overridesOf(form).encoding).toBe('latin1');
    expect(ENCODINGS.map((e) => e.value)).toEqual(['utf8', 'utf8_lossy', 'latin1', 'utf16']);
  });
});
