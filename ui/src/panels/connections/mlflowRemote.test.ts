import { describe, expect, it } from 'vitest';
import type { ConnectionDetails, Run } from '../../api/types.gen';
import { appendRuns, metricSummary, mlflowConnections, toggled, transferSummary, versionKey, versionRefs } from './mlflowRemote';

const conn = (name: string, kind: ConnectionDetails['kind']) => ({ name, kind }) as ConnectionDetails;
const run = (id: string, metrics: Array<[string, number | string]> = []): Run =>
  ({
    info: { run_id: id },
    data: { metrics: metrics.map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })), params: [], tags: [] },
  }) as unknown as Run;

describe('mlflowRemote', () => {
  it('lists MLflow connections only, sorted', () => {
    expect(mlflowConnections([conn('lake', 's3'), conn('prod', 'mlflow'), conn('dev', 'mlflow')])).toEqual(['dev', 'prod']);
  });

  it('toggles selections without mutating', () => {
    const a = new Set(['x']);
    expect([...toggled(a, 'y')]).toEqual(['x', 'y']);
    expect([...toggled(a, 'x')]).toEqual([]);
    expect([...a]).toEqual(['x']);
  });

  it('round-trips version keys, names with colons included', () => {
    const refs = [
      { name: 'churn', version: '3' },
      { name: 'team:churn', version: '12' },
    ];
    expect(versionRefs(refs.map(versionKey))).toEqual(refs);
    expect(versionRefs(['broken', ':1', 'x:'])).toEqual([]);
  });

  it('summarises metrics and keeps NaN as text', () => {
    expect(metricSummary(run('a', [['rmse', 0.123456], ['acc', 'NaN'], ['f1', 0.5], ['z', 1]]))).toBe('acc=NaN  f1=0.5  rmse=0.1235');
  });

  it('appends pages without duplicates', () => {
    expect(appendRuns([run('a'), run('b')], [run('b'), run('c')]).map((r) => r.info.run_id)).toEqual(['a', 'b', 'c']);
  });

  it('says what a transfer did', () => {
    const r = {
      url: 'http://h',
      runs: [
        { from_run_id: 'a', to_run_id: 'b', experiment: 'e', already_there: false },
        { from_run_id: 'c', to_run_id: 'd', experiment: 'e', already_there: true },
      ],
      model_versions: [{ name: 'm', from_version: '1', to_version: '2', already_there: false }],
    };
    expect(transferSummary(r, 'Imported')).toBe('Imported 1 run and 1 model version (1 already there)');
  });
});
