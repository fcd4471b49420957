import type { Check, CmpOp, Literal, Range, Rule, Severity, Stat, TypeName } from '../../api/types.gen';

/** Every rule kind the builder offers, in menu order, with what it needs. */
export const RULE_KINDS = [
  { kind: 'not_null', label: 'not null', needs: 'column' },
  { kind: 'unique', label: 'unique (one or more columns)', needs: 'columns' },
  { kind: 'between', label: 'values between', needs: 'range' },
  { kind: 'in_set', label: 'in set', needs: 'values' },
  { kind: 'not_in_set', label: 'not in set', needs: 'values' },
  { kind: 'regex', label: 'matches regex', needs: 'pattern' },
  { kind: 'length', label: 'text length between', needs: 'range' },
  { kind: 'type', label: 'has type', needs: 'type' },
  { kind: 'row_count', label: 'row count between', needs: 'table' },
  { kind: 'mean', label: 'mean between', needs: 'range' },
  { kind: 'min', label: 'minimum between', needs: 'range' },
  { kind: 'max', label: 'maximum between', needs: 'range' },
  { kind: 'median', label: 'median between', needs: 'range' },
  { kind: 'stddev', label: 'std. deviation between', needs: 'range' },
  { kind: 'sum', label: 'sum between', needs: 'range' },
  { kind: 'quantile', label: 'quantile between', needs: 'range' },
  { kind: 'missing_fraction', label: 'missing share between', needs: 'range' },
  { kind: 'unique_fraction', label: 'unique share between', needs: 'range' },
  { kind: 'freshness', label: 'fresh (latest within)', needs: 'period' },
  { kind: 'references', label: 'values exist in another data set', needs: 'reference' },
  { kind: 'pair', label: 'column pair (A op B)', needs: 'pair' },
  { kind: 'expression', label: 'SQL predicate', needs: 'sql' },
  { kind: 'change', label: 'metric change vs. past runs', needs: 'change' },
] as const;

export type RuleKind = (typeof RULE_KINDS)[number]['kind'];
export type Needs = (typeof RULE_KINDS)[number]['needs'];

const STATS = ['mean', 'min', 'max', 'median', 'stddev', 'sum'] as const;
export const TYPE_NAMES = ['integer', 'float', 'numeric', 'string', 'boolean', 'date', 'datetime'] as const;
export const CMP_OPS: CmpOp[] = ['>', '>=', '<', '<=', '=', '!='];

/** The builder's form: every field as the user typed it. */
export interface RuleForm {
  kind: RuleKind;
  name: string;
  severity: Severity;
  /** Share of rows that must pass (row-level rules), empty for all. */
  mostly: string;
  column: string;
  columns: string[];
  min: string;
  max: string;
  minExclusive: boolean;
  maxExclusive: boolean;
  /** Comma-separated set members. */
  values: string;
  pattern: string;
  typeName: string;
  q: string;
  maxAge: string;
  refDataset: string;
  refColumn: string;
  op: CmpOp;
  right: string;
  sql: string;
  of: string;
  maxPercent: string;
  runs: string;
}

export function needsOf(kind: RuleKind): Needs {
  return RULE_KINDS.find((k) => k.kind === kind)?.needs ?? 'column';
}

/** Whether the kind checks rows one by one (and so takes `mostly`). */
export function isRowLevel(kind: RuleKind): boolean {
  return ['not_null', 'unique', 'between', 'in_set', 'not_in_set', 'regex', 'length', 'references', 'pair', 'expression'].includes(kind);
}

/** Whether the kind reads one column chosen in the column picker. */
export function usesColumn(kind: RuleKind): boolean {
  return !['unique', 'row_count', 'pair', 'expression', 'change'].includes(kind);
}

export function emptyForm(kind: RuleKind = 'not_null', column = ''): RuleForm {
  return {
    kind,
    name: '',
    severity: 'error',
    mostly: '',
    column,
    columns: column ? [column] : [],
    min: '',
    max: '',
    minExclusive: false,
    maxExclusive: false,
    values: '',
    pattern: '',
    typeName: 'numeric',
    q: '0.95',
    maxAge: '1d',
    refDataset: '',
    refColumn: '',
    op: '>',
    right: '',
    sql: '',
    of: 'row_count',
    maxPercent: '10',
    runs: '5',
  };
}

const text = (x: number | undefined | null) => (x === undefined || x === null ? '' : String(x));

function withRange(form: RuleForm, range: Range): RuleForm {
  return {
    ...form,
    min: text(range.min),
    max: text(range.max),
    minExclusive: Boolean(range.min_exclusive),
    maxExclusive: Boolean(range.max_exclusive),
  };
}

function literalText(v: Literal): string {
  return String(v);
}

function typeLabel(t: TypeName): string {
  return typeof t === 'string' ? t : t.exact;
}

/** The form that edits `rule`. */
export function formFromRule(rule: Rule): RuleForm {
  const base = { ...emptyForm(), name: rule.name ?? '', severity: rule.severity, mostly: text(rule.mostly) };
  const c = rule.check;
  if ('not_null' in c) return { ...base, kind: 'not_null', column: c.not_null.column };
  if ('unique' in c) return { ...base, kind: 'unique', columns: c.unique.columns, column: c.unique.columns[0] ?? '' };
  if ('between' in c) return withRange({ ...base, kind: 'between', column: c.between.column }, c.between.range);
  if ('in_set' in c) return { ...base, kind: 'in_set', column: c.in_set.column, values: c.in_set.values.map(literalText).join(', ') };
  if ('not_in_set' in c) return { ...base, kind: 'not_in_set', column: c.not_in_set.column, values: c.not_in_set.values.map(literalText).join(', ') };
  if ('regex' in c) return { ...base, kind: 'regex', column: c.regex.column, pattern: c.regex.pattern };
  if ('length' in c) return withRange({ ...base, kind: 'length', column: c.length.column }, c.length.range);
  if ('type' in c) return { ...base, kind: 'type', column: c.type.column, typeName: typeLabel(c.type.is) };
  if ('row_count' in c) return withRange({ ...base, kind: 'row_count' }, c.row_count.range);
  if ('stat' in c) {
    const s = c.stat.stat;
    const form = withRange({ ...base, column: c.stat.column, kind: typeof s === 'string' ? s : 'quantile' }, c.stat.range);
    return typeof s === 'string' ? form : { ...form, q: String(s.quantile) };
  }
  if ('missing_fraction' in c) return withRange({ ...base, kind: 'missing_fraction', column: c.missing_fraction.column }, c.missing_fraction.range);
  if ('unique_fraction' in c) return withRange({ ...base, kind: 'unique_fraction', column: c.unique_fraction.column }, c.unique_fraction.range);
  if ('freshness' in c) return { ...base, kind: 'freshness', column: c.freshness.column, maxAge: periodText(c.freshness.max_age.seconds) };
  if ('references' in c) {
    const r = c.references;
    return { ...base, kind: 'references', column: r.column, refDataset: r.dataset, refColumn: r.ref_column };
  }
  if ('pair' in c) return { ...base, kind: 'pair', column: c.pair.left, op: c.pair.op, right: c.pair.right };
  if ('expression' in c) return { ...base, kind: 'expression', sql: c.expression.sql };
  return { ...base, kind: 'change', of: c.change.of, maxPercent: String(c.change.max_percent), runs: String(c.change.runs) };
}

/** `86400` -> `1d`: the shortest exact form, as suites write periods. */
export function periodText(seconds: number): string {
  for (const [unit, size] of [['w', 604800], ['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (seconds > 0 && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** `90m` -> 5400 seconds; null when it is not `<n><s|m|h|d|w>`. */
export function parsePeriod(s: string): number | null {
  const m = /^\s*(\d+)\s*([smhdw])\s*$/.exec(s);
  if (!m) return null;
  const scale = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'];
  return Number(m[1]) * scale;
}

function num(s: string, field: string): number | null {
  if (s.trim() === '') return null;
  const x = Number(s);
  if (!Number.isFinite(x)) throw new Error(`${field} must be a number, not "${s}"`);
  return x;
}

function rangeOf(form: RuleForm): Range {
  const min = num(form.min, 'min');
  const max = num(form.max, 'max');
  if (min === null && max === null) throw new Error('give a minimum, a maximum or both');
  if (min !== null && max !== null && min > max) throw new Error(`min ${min} is above max ${max}`);
  return {
    ...(min === null ? {} : { min }),
    ...(max === null ? {} : { max }),
    min_exclusive: form.minExclusive && min !== null,
    max_exclusive: form.maxExclusive && max !== null,
  };
}

/** Set members typed as `a, b, c`: numbers stay numbers in a numeric column. */
export function parseValues(s: string, numeric: boolean): Literal[] {
  const parts = s
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new Error('give at least one value');
  return parts.map((p) => {
    if (numeric && Number.isFinite(Number(p))) return Number(p);
    if (p === 'true' || p === 'false') return p === 'true';
    return p.replace(/^"(.*)"$/, '$1');
  });
}

function required(value: string, field: string): string {
  if (value.trim() === '') throw new Error(`choose ${field}`);
  return value.trim();
}

function checkOf(form: RuleForm, numeric: boolean): Check {
  const column = () => required(form.column, 'a column');
  switch (form.kind) {
    case 'not_null':
      return { not_null: { column: column() } };
    case 'unique':
      if (form.columns.length === 0) throw new Error('choose at least one column');
      return { unique: { columns: form.columns } };
    case 'between':
      return { between: { column: column(), range: rangeOf(form) } };
    case 'in_set':
      return { in_set: { column: column(), values: parseValues(form.values, numeric) } };
    case 'not_in_set':
      return { not_in_set: { column: column(), values: parseValues(form.values, numeric) } };
    case 'regex':
      return { regex: { column: column(), pattern: required(form.pattern, 'a pattern') } };
    case 'length':
      return { length: { column: column(), range: rangeOf(form) } };
    case 'type': {
      const is: TypeName = (TYPE_NAMES as readonly string[]).includes(form.typeName) ? (form.typeName as TypeName) : { exact: required(form.typeName, 'a type') };
      return { type: { column: column(), is } };
    }
    case 'row_count':
      return { row_count: { range: rangeOf(form) } };
    case 'quantile': {
      const q = num(form.q, 'q');
      if (q === null || q < 0 || q > 1) throw new Error('q must be between 0 and 1');
      return { stat: { stat: { quantile: q }, column: column(), range: rangeOf(form) } };
    }
    case 'missing_fraction':
      return { missing_fraction: { column: column(), range: rangeOf(form) } };
    case 'unique_fraction':
      return { unique_fraction: { column: column(), range: rangeOf(form) } };
    case 'freshness': {
      const seconds = parsePeriod(form.maxAge);
      if (seconds === null) throw new Error(`max age "${form.maxAge}" is not like 36h or 7d`);
      return { freshness: { column: column(), max_age: { seconds } } };
    }
    case 'references':
      return { references: { column: column(), dataset: required(form.refDataset, 'a data set'), ref_column: required(form.refColumn, 'its column') } };
    case 'pair':
      return { pair: { left: column(), op: form.op, right: required(form.right, 'the right column') } };
    case 'expression':
      return { expression: { sql: required(form.sql, 'a SQL predicate') } };
    case 'change': {
      const maxPercent = num(form.maxPercent, 'max percent');
      const runs = num(form.runs, 'runs');
      if (maxPercent === null || maxPercent < 0) throw new Error('max percent must be a number ≥ 0');
      if (runs === null || runs < 1 || !Number.isInteger(runs)) throw new Error('runs must be a whole number ≥ 1');
      return { change: { of: required(form.of, 'a metric'), max_percent: maxPercent, runs } };
    }
    default: {
      const stat = form.kind as (typeof STATS)[number];
      return { stat: { stat: stat as Stat, column: column(), range: rangeOf(form) } };
    }
  }
}

/**
 * The rule the form describes. Throws an Error with a message for the user when a field is
 * missing or malformed. `numeric` says whether the chosen column holds numbers.
 */
export function ruleFromForm(form: RuleForm, numeric: boolean): Rule {
  const check = checkOf(form, numeric);
  const mostly = isRowLevel(form.kind) ? num(form.mostly, 'mostly') : null;
  if (mostly !== null && (mostly <= 0 || mostly > 1)) throw new Error('mostly must be a share in (0, 1]');
  return {
    id: '',
    line: 0,
    severity: form.severity,
    check,
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    ...(mostly === null ? {} : { mostly }),
  };
}

function rangeText(r: Range): string {
  const lo = r.min === undefined ? '-∞' : String(r.min);
  const hi = r.max === undefined ? '∞' : String(r.max);
  return `${r.min_exclusive || r.min === undefined ? '(' : '['}${lo}, ${hi}${r.max_exclusive || r.max === undefined ? ')' : ']'}`;
}

function setText(values: Literal[]): string {
  const shown = values.slice(0, 6).map(String).join(', ');
  return values.length > 6 ? `{${shown}, … +${values.length - 6}}` : `{${shown}}`;
}

/** One line saying what a check checks, e.g. `month in [1, 12]`. */
export function describeCheck(c: Check): string {
  if ('not_null' in c) return `${c.not_null.column} is never missing`;
  if ('unique' in c) return `${c.unique.columns.join(' + ')} unique`;
  if ('between' in c) return `${c.between.column} in ${rangeText(c.between.range)}`;
  if ('in_set' in c) return `${c.in_set.column} in ${setText(c.in_set.values)}`;
  if ('not_in_set' in c) return `${c.not_in_set.column} not in ${setText(c.not_in_set.values)}`;
  if ('regex' in c) return `${c.regex.column} matches /${c.regex.pattern}/`;
  if ('length' in c) return `length(${c.length.column}) in ${rangeText(c.length.range)}`;
  if ('type' in c) return `${c.type.column} is ${typeLabel(c.type.is)}`;
  if ('row_count' in c) return `row count in ${rangeText(c.row_count.range)}`;
  if ('stat' in c) {
    const s = c.stat.stat;
    const name = typeof s === 'string' ? s : `q${s.quantile}`;
    return `${name}(${c.stat.column}) in ${rangeText(c.stat.range)}`;
  }
  if ('missing_fraction' in c) return `missing share of ${c.missing_fraction.column} in ${rangeText(c.missing_fraction.range)}`;
  if ('unique_fraction' in c) return `unique share of ${c.unique_fraction.column} in ${rangeText(c.unique_fraction.range)}`;
  if ('freshness' in c) return `latest ${c.freshness.column} within ${periodText(c.freshness.max_age.seconds)} of now`;
  if ('references' in c) return `${c.references.column} exists in ${c.references.dataset}.${c.references.ref_column}`;
  if ('pair' in c) return `${c.pair.left} ${c.pair.op} ${c.pair.right}`;
  if ('expression' in c) return c.expression.sql;
  return `${c.change.of} within ${c.change.max_percent}% of the last ${c.change.runs} runs`;
}

/** The rule kind of a check, as the suite file writes it. */
export function kindOf(c: Check): string {
  if ('stat' in c) return typeof c.stat.stat === 'string' ? c.stat.stat : 'quantile';
  return Object.keys(c)[0] ?? '';
}
