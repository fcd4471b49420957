/**
 * Pure helpers of the Experiments panel: MLflow filter and order_by text, metric values that
 * may arrive as "NaN"/"Infinity", smoothing, parameter differences and column choices.
 */
import type { Run, RunColumns, RunRow } from '../../api/types.gen';

/** What a runs-table column shows: a run attribute, or a metric, parameter or tag. */
export type ColumnKind = 'attr' | 'metric' | 'param' | 'tag';

export interface RunColumn {
  kind: ColumnKind;
  key: string;
}

/** Where a column is in MLflow's syntax: `metrics`, `params`, `tags`, `attributes`. */
const ENTITY: Record<ColumnKind, string> = { attr: 'attributes', metric: 'metrics', param: 'params', tag: 'tags' };

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A key as MLflow's search syntax accepts it: plain when it is an identifier, else in
 * backticks (spaces, dots, dashes...), a backtick inside doubled.
 */
export function quoteKey(key: string): string {
  if (IDENT.test(key)) return key;
  return `\`${key.replace(/`/g, '``')}\``;
}

/** `metrics.\`val loss\``, `params.model`, `attributes.start_time`. */
export function fieldRef(column: RunColumn): string {
  return `${ENTITY[column.kind]}.${quoteKey(column.key)}`;
}

export interface RunSort {
  column: RunColumn;
  descending: boolean;
}

/** The engine's order_by clauses for a sort, e.g. `["metrics.\`val loss\` DESC"]`. */
export function orderBy(sort: RunSort[]): string[] {
  return sort.map((s) => `${fieldRef(s.column)} ${s.descending ? 'DESC' : 'ASC'}`);
}

export function sameColumn(a: RunColumn, b: RunColumn): boolean {
  return a.kind === b.kind && a.key === b.key;
}

export function columnId(c: RunColumn): string {
  return `${c.kind}:${c.key}`;
}

/**
 * The sort after a header click: metrics start descending (best first for scores), the rest
 * ascending; a second click flips the direction, a third removes the sort.
 */
export function nextRunSort(sort: RunSort[], column: RunColumn): RunSort[] {
  const current = sort.find((s) => sameColumn(s.column, column));
  const firstDescending = column.kind === 'metric' || (column.kind === 'attr' && column.key === 'start_time');
  if (!current) return [{ column, descending: firstDescending }];
  if (current.descending === firstDescending) return [{ column, descending: !firstDescending }];
  return [];
}

/** A metric value as a number: `"NaN"` → NaN, `"Infinity"` → ∞; undefined when absent. */
export function metricNumber(v: number | string | null | undefined): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity' || v === '+Infinity' || v === 'inf') return Infinity;
  if (v === '-Infinity' || v === '-inf') return -Infinity;
  const n = Number(v);
  return Number.isNaN(n) ? NaN : n;
}

/** A metric for a table cell: 4 significant digits, `NaN`, `∞`, `−∞`; '' when absent. */
export function formatMetric(v: number | string | null | undefined): string {
  const n = metricNumber(v);
  if (n === undefined) return '';
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '∞';
  if (n === -Infinity) return '−∞';
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (Number.isInteger(n) && abs < 1e15) return String(n);
  if (abs >= 1e6 || abs < 1e-4) return n.toExponential(3);
  return String(Number(n.toPrecision(5)));
}

/**
 * Exponential moving average with TensorBoard's debiasing: `weight` 0 is the raw curve,
 * values near 1 smooth hard. Missing (null/NaN) points stay missing and do not move the
 * average.
 */
export function ema(values: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  if (w === 0) return values.slice();
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return v === null || Number.isNaN(v) ? null : v;
    last = last * w + (1 - w) * v;
    n += 1;
    return last / (1 - w ** n);
  });
}

/** One row of the params comparison: the key and each run's value (undefined: not logged). */
export interface ParamDiffRow {
  key: string;
  values: (string | undefined)[];
  /** Whether the runs disagree (a missing value differs from any value). */
  differs: boolean;
}

/** Parameters of several runs side by side, keys sorted; `onlyDiff` keeps rows that differ. */
export function paramRows(runs: readonly Pick<Run, 'data'>[], onlyDiff: boolean): ParamDiffRow[] {
  const keys = new Set<string>();
  const maps = runs.map((r) => {
    const m = new Map<string, string>();
    for (const p of r.data.params) {
      m.set(p.key, p.value);
      keys.add(p.key);
    }
    return m;
  });
  const rows = [...keys]
    .sort((a, b) => a.localeCompare(b))
    .map((key) => {
      const values = maps.map((m) => m.get(key));
      const differs = values.some((v) => v !== values[0]);
      return { key, values, differs };
    });
  return onlyDiff ? rows.filter((r) => r.differs) : rows;
}

/** Latest metric values of several runs side by side (key → one value per run). */
export function metricRows(runs: readonly Pick<Run, 'data'>[]): { key: string; values: (number | string | undefined)[] }[] {
  const keys = new Set<string>();
  const maps = runs.map((r) => {
    const m = new Map<string, number | string>();
    for (const p of r.data.metrics) {
      m.set(p.key, p.value);
      keys.add(p.key);
    }
    return m;
  });
  return [...keys].sort((a, b) => a.localeCompare(b)).map((key) => ({ key, values: maps.map((m) => m.get(key)) }));
}

/** The columns shown at first: the first `n` metrics and the first `n` params. */
export function defaultColumns(cols: RunColumns, n = 8): RunColumn[] {
  return [
    ...cols.metrics.slice(0, n).map((key) => ({ kind: 'metric' as const, key })),
    ...cols.params.slice(0, n).map((key) => ({ kind: 'param' as const, key })),
  ];
}

/** The chosen columns that still exist (after switching experiments). */
export function keepExisting(chosen: RunColumn[], cols: RunColumns): RunColumn[] {
  const has = (c: RunColumn) =>
    c.kind === 'attr' || (c.kind === 'metric' ? cols.metrics : c.kind === 'param' ? cols.params : cols.tags).includes(c.key);
  return chosen.filter(has);
}

/** The text of a run-row cell for a chosen column. */
export function cellOf(row: RunRow, column: RunColumn): string {
  switch (column.kind) {
    case 'metric':
      return formatMetric(row.metrics[column.key]);
    case 'param':
      return row.params[column.key] ?? '';
    case 'tag':
      return row.tags[column.key] ?? '';
    case 'attr':
      return attrText(row, column.key);
  }
}

function attrText(row: RunRow, key: string): string {
  const i = row.info;
  switch (key) {
    case 'run_name':
      return i.run_name;
    case 'status':
      return i.status;
    case 'user_id':
      return runUser(row.info.user_id, row.tags);
    case 'start_time':
      return new Date(i.start_time).toLocaleString();
    case 'duration':
      return runDuration(i.start_time, i.end_time);
    default:
      return '';
  }
}

/** `1.2 s`, `3 min 4 s`; '' while running without end. */
export function runDuration(start: number, end: number | undefined | null): string {
  if (end === undefined || end === null || end < start) return '';
  const ms = end - start;
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const total = Math.round(s);
  const min = Math.floor(total / 60);
  if (min < 60) return `${min} min ${total % 60} s`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/**
 * Mean and sample standard deviation as `0.912 ± 0.013`: the spread to two significant
 * digits, the mean to the same decimal place.
 */
export function meanStd(mean: number, std: number, count: number): string {
  if (count === 0) return '—';
  if (count === 1 || !Number.isFinite(std) || std <= 0 || !Number.isFinite(mean)) return count > 1 ? `${formatMetric(mean)} ± 0` : formatMetric(mean);
  const decimals = Math.min(12, Math.max(0, 1 - Math.floor(Math.log10(std))));
  return `${mean.toFixed(decimals)} ± ${std.toFixed(decimals)}`;
}

/** A filter clause matching one value of a parameter (for drilling into a group). */
export function paramEquals(key: string, value: string | undefined): string {
  const ref = `params.${quoteKey(key)}`;
  if (value === undefined) return `${ref} IS NULL`;
  return `${ref} = '${value.replace(/'/g, "''")}'`;
}

/** Adds a clause to a filter with `and`. */
export function andFilter(filter: string, clause: string): string {
  const f = filter.trim();
  return f ? `${f} and ${clause}` : clause;
}

/** Who ran it: the user id, else MLflow's `mlflow.user` tag. */
export function runUser(userId: string, tags: Record<string, string> | { key: string; value: string }[]): string {
  if (userId) return userId;
  if (Array.isArray(tags)) return tags.find((t) => t.key === 'mlflow.user')?.value ?? '';
  return tags['mlflow.user'] ?? '';
}

/** Metric keys to chart first: those with a history (logged past step 0) before single values. */
export function chartFirst(metrics: readonly { key: string; step: number }[], n: number): string[] {
  return [...metrics]
    .sort((a, b) => Number(b.step > 0) - Number(a.step > 0) || a.key.localeCompare(b.key))
    .slice(0, n)
    .map((m) => m.key);
}
