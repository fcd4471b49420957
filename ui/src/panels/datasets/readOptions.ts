import type { CsvOptions, CsvOverrides } from '../../api/types.gen';

/** The form's fields: what the user sees and edits. */
export interface ReadOptionsForm {
  delimiter: string;
  quote: string;
  hasHeader: boolean;
  nullValues: string;
  lossy: boolean;
}

/** Shows a tab as `\t`, so it can be typed and read. */
export function showChar(c: string | null): string {
  if (c === null) return '';
  return c === '\t' ? '\\t' : c;
}

function readChar(text: string): string {
  return text === '\\t' ? '\t' : text;
}

/** The form, filled from the options the file was read with. */
export function formOf(csv: CsvOptions): ReadOptionsForm {
  return {
    delimiter: showChar(csv.delimiter),
    quote: showChar(csv.quote),
    hasHeader: csv.has_header,
    nullValues: csv.null_values.join(', '),
    lossy: csv.encoding === 'utf8_lossy',
  };
}

/** What is wrong with the form, field by field (empty when it can be applied). */
export function problems(form: ReadOptionsForm): Partial<Record<'delimiter' | 'quote', string>> {
  const out: Partial<Record<'delimiter' | 'quote', string>> = {};
  const one = (s: string) => [...readChar(s)].length === 1 && /^[\x20-\x7e\t]$/.test(readChar(s));
  if (!one(form.delimiter)) out.delimiter = 'One ASCII character (\\t for a tab).';
  if (form.quote !== '' && !one(form.quote)) out.quote = 'One ASCII character, or empty for none.';
  return out;
}

/** The overrides to save: every field, so the file is read exactly as shown. */
export function overridesOf(form: ReadOptionsForm): CsvOverrides {
  return {
    delimiter: readChar(form.delimiter),
    quote: readChar(form.quote),
    has_header: form.hasHeader,
    null_values: form.nullValues
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    encoding: form.lossy ? 'utf8_lossy' : 'utf8',
  };
}
