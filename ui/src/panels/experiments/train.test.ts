import { describe, expect, it } from 'vitest';
import type { ColumnSchema } from '../../api/types.gen';
import { buildModel, buildTrainRequest, defaultExperiment, defaultForm, featureColumns, fitColumns, guessTarget, hasAssayModel, orderMetrics, rowShares, targetColumns, type TrainForm } from './train';

const penguins: ColumnSchema[] = [
  { name: 'species', dtype: 'str', kind: 'text' },
  { name: 'island', dtype: 'str', kind: 'text' },
  { name: 'bill_length_mm', dtype: 'f64', kind: 'numeric' },
  { name: 'bill_depth_mm', dtype: 'f64', kind: 'numeric' },
  { name: 'flipper_length_mm', dtype: 'i64', kind: 'numeric' },
  { name: 'body_mass_g', dtype: 'i64', kind: 'numeric' },
  { name: 'sex', dtype: 'str', kind: 'text' },
  { name: 'year', dtype: 'i64', kind: 'numeric' },
  { name: 'member', dtype: 'bool', kind: 'boolean' },
  { name: 'seen', dtype: 'date', kind: 'temporal' },
];
const names = (cs: ColumnSchema[]) => cs.map((c) => c.name);
const form = (patch: Partial<TrainForm> = {}): TrainForm => ({ ...defaultForm('penguins'), target: 'species', features: ['bill_length_mm', 'body_mass_g'], ...patch });

describe('buildModel', () => {
  it('starts from the engine defaults', () => {
    expect(buildModel(form())).toEqual({ ok: true, value: { kind: 'random_forest', n_trees: 100, max_depth: null, min_samples_leaf: 1 } });
  });

  it('sends only the chosen kind’s fields, snake_case', () => {
    expect(buildModel(form({ kind: 'logistic_regression', c: '0.5', maxIter: '200' }))).toEqual({ ok: true, value: { kind: 'logistic_regression', c: 0.5, max_iter: 200 } });
    expect(buildModel(form({ kind: 'decision_tree', criterion: 'entropy', maxDepth: '4', minSamplesLeaf: '3' }))).toEqual({
      ok: true,
      value: { kind: 'decision_tree', criterion: 'entropy', max_depth: 4, min_samples_leaf: 3 },
    });
    expect(buildModel(form({ kind: 'random_forest', nTrees: '50', maxDepth: ' 6 ', maxFeatures: 'log2', criterion: 'gini' }))).toEqual({
      ok: true,
      value: { kind: 'random_forest', n_trees: 50, max_depth: 6, min_samples_leaf: 1, criterion: 'gini', max_features: 'log2' },
    });
    expect(buildModel(form({ kind: 'elastic_net', alpha: '0.1', l1Ratio: '1' }))).toEqual({ ok: true, value: { kind: 'elastic_net', alpha: 0.1, l1_ratio: 1 } });
    expect(buildModel(form({ kind: 'kmeans', k: '3', nInit: '5' }))).toEqual({ ok: true, value: { kind: 'kmeans', k: 3, n_init: 5 } });
  });

  it('says which setting is out of range', () => {
    expect(buildModel(form({ kind: 'logistic_regression', c: '0' }))).toEqual({ ok: false, error: 'C: above 0' });
    expect(buildModel(form({ kind: 'kmeans', k: '2.5' }))).toEqual({ ok: false, error: 'k: enter a whole number' });
    expect(buildModel(form({ kind: 'elastic_net', l1Ratio: '1.5' }))).toEqual({ ok: false, error: 'L1 ratio: at most 1' });
    expect(buildModel(form({ maxDepth: '0' }))).toEqual({ ok: false, error: 'Max depth: at least 1' });
    expect(buildModel(form({ nTrees: 'many' }))).toEqual({ ok: false, error: 'Trees: enter a number' });
  });
});

describe('buildTrainRequest', () => {
  it('builds the request, the optional names left out when empty', () => {
    const r = buildTrainRequest(form({ registerAs: ' penguin-rf ' }));
    expect(r).toEqual({
      ok: true,
      value: {
        dataset: 'penguins',
        target: 'species',
        features: ['bill_length_mm', 'body_mass_g'],
        model: { kind: 'random_forest', n_trees: 100, max_depth: null, min_samples_leaf: 1 },
        test_fraction: 0.25,
        seed: 42,
        experiment: 'assay-training',
        register_as: 'penguin-rf',
      },
    });
  });

  it('has no target for k-means', () => {
    const r = buildTrainRequest(form({ kind: 'kmeans', k: '3', target: 'species', runName: 'clusters' }));
    expect(r.ok && r.value.target).toBe(undefined);
    expect(r.ok && r.value.run_name).toBe('clusters');
  });

  it('asks for what is missing', () => {
    expect(buildTrainRequest(form({ target: '' }))).toEqual({ ok: false, error: 'Choose a target column' });
    expect(buildTrainRequest(form({ features: [] }))).toEqual({ ok: false, error: 'Choose at least one feature column' });
    expect(buildTrainRequest(form({ testFraction: '1' }))).toEqual({ ok: false, error: 'Test share: at most 0.9' });
    expect(buildTrainRequest(form({ testFraction: '0' }))).toEqual({ ok: false, error: 'Test share: above 0' });
    expect(buildTrainRequest(form({ kind: 'kmeans', target: '', features: [] }))).toEqual({ ok: false, error: 'Choose at least one feature column' });
  });
});

describe('columns per model', () => {
  it('offers numeric and boolean features, never the target', () => {
    expect(names(featureColumns(penguins, 'species'))).toEqual(['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'year', 'member']);
    expect(names(featureColumns(penguins, 'year'))).not.toContain('year');
  });

  it('offers targets by model', () => {
    expect(targetColumns(penguins, 'kmeans')).toEqual([]);
    expect(names(targetColumns(penguins, 'elastic_net'))).toEqual(['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'year']);
    expect(names(targetColumns(penguins, 'logistic_regression'))).toEqual(['species', 'island', 'flipper_length_mm', 'body_mass_g', 'sex', 'year', 'member']);
    expect(names(targetColumns(penguins, 'random_forest'))).not.toContain('seen');
    expect(names(targetColumns(penguins, 'decision_tree'))).toContain('bill_depth_mm');
  });

  it('guesses a class column for classifiers and a number for elastic net', () => {
    expect(guessTarget(penguins, 'random_forest')).toBe('species');
    expect(guessTarget(penguins, 'elastic_net')).toBe('year');
    expect(guessTarget(penguins, 'kmeans')).toBe('');
  });

  it('keeps target and features valid when the model changes', () => {
    const f = form({ target: 'species', features: ['bill_length_mm', 'year'] });
    expect(fitColumns({ ...f, kind: 'elastic_net' }, penguins)).toEqual({ target: 'year', features: ['bill_length_mm'] });
    expect(fitColumns({ ...f, kind: 'kmeans' }, penguins)).toEqual({ target: '', features: ['bill_length_mm', 'year'] });
    expect(fitColumns({ ...f, features: ['island', 'bill_length_mm'] }, penguins)).toEqual({ target: 'species', features: ['bill_length_mm'] });
  });
});

describe('small helpers', () => {
  it('defaults the experiment to the open one, not Default', () => {
    expect(defaultExperiment('churn', '3')).toBe('churn');
    expect(defaultExperiment('Default', '0')).toBe('assay-training');
    expect(defaultExperiment(undefined, undefined)).toBe('assay-training');
  });

  it('finds the Assay model file', () => {
    expect(hasAssayModel([{ path: 'model/model.json', is_dir: false }])).toBe(true);
    expect(hasAssayModel([{ path: 'model.json', is_dir: false }])).toBe(true);
    expect(hasAssayModel([{ path: 'model/MLmodel', is_dir: false }])).toBe(false);
  });

  it('orders headline metrics first', () => {
    expect(orderMetrics([{ name: 'log_loss' }, { name: 'f1_macro' }, { name: 'accuracy' }]).map((m) => m.name)).toEqual(['accuracy', 'f1_macro', 'log_loss']);
  });

  it('shades the confusion matrix by row', () => {
    expect(rowShares([[3, 1], [0, 0]])).toEqual([[0.75, 0.25], [0, 0]]);
  });
});
