import type { CsvEncodingChoice, CsvOptions, CsvOverrides } from '../../api/types.gen';

/** The form's fields: what the user sees and edits. */
export interface ReadOptionsForm {
  delimiter: string;
  quote: string;
  hasHeader: boolean;
  nullValues: string;
  encoding: CsvEncodingChoice;
}

/** The encodings a file can be read as, with what each one means. */
export const ENCODINGS: { value: CsvEncodingChoice; label: string }[] = [
  { value: 'utf8', label: 'UTF-8 (stop at invalid bytes)' },
  { value: 'utf8_lossy', label: 'UTF-8, replacing invalid bytes' },
  { value: 'latin1', label: 'Latin-1 / Windows-1252' },
  { value: 'utf16', label: 'UTF-16 (byte-order mark)' },
];

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
    encoding: csv.encoding,
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
    encoding: form.encoding,
  };
}
