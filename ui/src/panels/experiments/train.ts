// Training in the app, the pure part: the form's state, the model JSON the engine reads
// (`assay-learn`'s ModelOptions, tagged by `kind`, unknown fields rejected), which columns
// each model may use, and the result charts.
import type { ColumnSchema, TrainRequest, TrainResult } from '../../api/types.gen';
import type { ChartOption } from '../../components/charts/echarts';
import type { ChartPalette } from '../../components/charts/palette';
import { formatMetric } from './query';

export type ModelKind = TrainRequest['model']['kind'];

export const MODEL_KINDS: [ModelKind, string][] = [
  ['logistic_regression', 'Logistic regression'],
  ['decision_tree', 'Decision tree'],
  ['random_forest', 'Random forest'],
  ['elastic_net', 'Elastic net'],
  ['kmeans', 'K-means'],
];

/** The form, every number as typed (checked when the request is built). */
export interface TrainForm {
  dataset: string;
  kind: ModelKind;
  target: string;
  features: string[];
  testFraction: string;
  seed: string;
  experiment: string;
  runName: string;
  registerAs: string;
  // logistic regression
  c: string;
  maxIter: string;
  // trees and forests ('' criterion / max_features: the engine's default for the target)
  criterion: '' | 'gini' | 'entropy' | 'squared_error';
  maxDepth: string;
  minSamplesLeaf: string;
  nTrees: string;
  maxFeatures: '' | 'sqrt' | 'log2' | 'all';
  // elastic net
  alpha: string;
  l1Ratio: string;
  // k-means
  k: string;
  nInit: string;
}

/** The engine's defaults (crates/assay-learn/src/options.rs). */
export function defaultForm(dataset = '', experiment = 'assay-training'): TrainForm {
  return {
    dataset,
    kind: 'random_forest',
    target: '',
    features: [],
    testFraction: '0.25',
    seed: '42',
    experiment,
    runName: '',
    registerAs: '',
    c: '1',
    maxIter: '1000',
    criterion: '',
    maxDepth: '',
    minSamplesLeaf: '1',
    nTrees: '100',
    maxFeatures: '',
    alpha: '1',
    l1Ratio: '0.5',
    k: '8',
    nInit: '10',
  };
}

export const needsTarget = (kind: ModelKind): boolean => kind !== 'kmeans';

/** Feature columns: numbers and booleans (the engine refuses anything else). */
export function featureColumns(columns: ColumnSchema[], target = ''): ColumnSchema[] {
  return columns.filter((c) => (c.kind === 'numeric' || c.kind === 'boolean') && c.name !== target);
}

const isFloat = (c: ColumnSchema) => /^f(16|32|64)$/.test(c.dtype) || c.dtype.startsWith('decimal');

/**
 * Target columns for a model: none for k-means; numbers for elastic net; class labels (text,
 * booleans, integers) for logistic regression; for trees and forests anything but dates (text
 * gives classification, decimals regression).
 */
export function targetColumns(columns: ColumnSchema[], kind: ModelKind): ColumnSchema[] {
  switch (kind) {
    case 'kmeans':
      return [];
    case 'elastic_net':
      return columns.filter((c) => c.kind === 'numeric');
    case 'logistic_regression':
      return columns.filter((c) => c.kind === 'text' || c.kind === 'boolean' || (c.kind === 'numeric' && !isFloat(c)));
    default:
      return columns.filter((c) => c.kind === 'text' || c.kind === 'boolean' || c.kind === 'numeric');
  }
}

/** A sensible first target: a text column (class labels), else the last allowed one. */
export function guessTarget(columns: ColumnSchema[], kind: ModelKind): string {
  const allowed = targetColumns(columns, kind);
  if (allowed.length === 0) return '';
  if (kind === 'elastic_net') return allowed[allowed.length - 1].name;
  return (allowed.find((c) => c.kind === 'text') ?? allowed[allowed.length - 1]).name;
}

/** Keeps the form's target and features valid for its model and columns. */
export function fitColumns(form: TrainForm, columns: ColumnSchema[]): Pick<TrainForm, 'target' | 'features'> {
  const targets = targetColumns(columns, form.kind);
  const target = !needsTarget(form.kind) ? '' : targets.some((c) => c.name === form.target) ? form.target : guessTarget(columns, form.kind);
  const allowed = new Set(featureColumns(columns, target).map((c) => c.name));
  return { target, features: form.features.filter((f) => allowed.has(f)) };
}

type Built<T> = { ok: true; value: T } | { ok: false; error: string };

class FormError extends Error {}

function num(text: string, field: string, { integer = false, min, max, above }: { integer?: boolean; min?: number; max?: number; above?: number } = {}): number {
  const t = text.trim();
  const v = Number(t);
  if (t === '' || !Number.isFinite(v)) throw new FormError(`${field}: enter a number`);
  if (integer && !Number.isInteger(v)) throw new FormError(`${field}: enter a whole number`);
  if (min !== undefined && v < min) throw new FormError(`${field}: at least ${min}`);
  if (max !== undefined && v > max) throw new FormError(`${field}: at most ${max}`);
  if (above !== undefined && !(v > above)) throw new FormError(`${field}: above ${above}`);
  return v;
}

/** `null` (unlimited) for an empty box. */
function optionalInt(text: string, field: string): number | null {
  return text.trim() === '' ? null : num(text, field, { integer: true, min: 1 });
}

/** The `model` JSON of a TrainRequest: the chosen kind and only its own fields. */
export function buildModel(form: TrainForm): Built<TrainRequest['model']> {
  try {
    return { ok: true, value: modelJson(form) };
  } catch (e) {
    if (e instanceof FormError) return { ok: false, error: e.message };
    throw e;
  }
}

function modelJson(f: TrainForm): TrainRequest['model'] {
  switch (f.kind) {
    case 'logistic_regression':
      return { kind: f.kind, c: num(f.c, 'C', { above: 0 }), max_iter: num(f.maxIter, 'Max iterations', { integer: true, min: 1 }) };
    case 'decision_tree': {
      const m: TrainRequest['model'] = { kind: f.kind, max_depth: optionalInt(f.maxDepth, 'Max depth'), min_samples_leaf: num(f.minSamplesLeaf, 'Min samples per leaf', { integer: true, min: 1 }) };
      if (f.criterion) m.criterion = f.criterion;
      return m;
    }
    case 'random_forest': {
      const m: TrainRequest['model'] = { kind: f.kind, n_trees: num(f.nTrees, 'Trees', { integer: true, min: 1 }), max_depth: optionalInt(f.maxDepth, 'Max depth'), min_samples_leaf: num(f.minSamplesLeaf, 'Min samples per leaf', { integer: true, min: 1 }) };
      if (f.criterion) m.criterion = f.criterion;
      if (f.maxFeatures) m.max_features = f.maxFeatures;
      return m;
    }
    case 'elastic_net':
      return { kind: f.kind, alpha: num(f.alpha, 'Alpha', { min: 0 }), l1_ratio: num(f.l1Ratio, 'L1 ratio', { min: 0, max: 1 }) };
    case 'kmeans':
      return { kind: f.kind, k: num(f.k, 'k', { integer: true, min: 1 }), n_init: num(f.nInit, 'Starts', { integer: true, min: 1 }) };
  }
}

/** The whole request, or what to fix first. */
export function buildTrainRequest(form: TrainForm): Built<TrainRequest> {
  try {
    if (!form.dataset) throw new FormError('Choose a data set');
    if (needsTarget(form.kind) && !form.target) throw new FormError('Choose a target column');
    if (form.features.length === 0) throw new FormError('Choose at least one feature column');
    const model = modelJson(form);
    const req: TrainRequest = {
      dataset: form.dataset,
      features: form.features,
      model,
      test_fraction: num(form.testFraction, 'Test share', { above: 0, max: 0.9 }),
      seed: num(form.seed, 'Seed', { integer: true, min: 0 }),
      experiment: form.experiment.trim() || 'assay-training',
    };
    if (needsTarget(form.kind)) req.target = form.target;
    if (form.runName.trim()) req.run_name = form.runName.trim();
    if (form.registerAs.trim()) req.register_as = form.registerAs.trim();
    return { ok: true, value: req };
  } catch (e) {
    if (e instanceof FormError) return { ok: false, error: e.message };
    throw e;
  }
}

/** The experiment a training run goes to by default: the one open, else `assay-training`. */
export function defaultExperiment(name: string | undefined, id: string | undefined): string {
  return name && id !== '0' ? name : 'assay-training';
}

/** Metrics that say the most first (accuracy, r2, silhouette), then the rest by name. */
export function orderMetrics<T extends { name: string }>(metrics: T[]): T[] {
  const first = ['accuracy', 'balanced_accuracy', 'f1_macro', 'r2', 'rmse', 'mae', 'silhouette', 'inertia'];
  const rank = (n: string) => (first.includes(n) ? first.indexOf(n) : first.length);
  return [...metrics].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

/** Horizontal bars, largest on top (the engine sends them largest first). */
export function importanceChart(importances: TrainResult['importances'], p: ChartPalette): ChartOption {
  const shown = importances.slice(0, 20).reverse();
  return {
    tooltip: { trigger: 'axis', formatter: (params: unknown) => {
      const i = (params as { dataIndex: number }[])[0]?.dataIndex ?? 0;
      return `${shown[i]?.name}: ${formatMetric(shown[i]?.value)}`;
    } },
    grid: { left: 150, right: 24, top: 8, bottom: 28 },
    xAxis: { type: 'value', axisLabel: { color: p.muted } },
    yAxis: { type: 'category', data: shown.map((x) => x.name), axisLabel: { color: p.muted, width: 140, overflow: 'truncate' } },
    series: [{ type: 'bar', data: shown.map((x) => x.value), itemStyle: { color: p.accent } }],
  };
}

/** Each row's share of its true class, for colouring the confusion matrix (0 for empty rows). */
export function rowShares(confusion: number[][]): number[][] {
  return confusion.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total ? v / total : 0));
  });
}

/** Whether a run's `model` folder holds an Assay model (listed paths may or may not carry the folder). */
export function hasAssayModel(files: { path: string; is_dir: boolean }[]): boolean {
  return files.some((f) => !f.is_dir && (f.path === 'model.json' || f.path === 'model/model.json'));
}
