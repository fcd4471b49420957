import { describe, expect, it } from 'vitest';
import { andFilter, defaultColumns, ema, fieldRef, formatMetric, keepExisting, meanStd, metricNumber, metricRows, nextRunSort, orderBy, paramEquals, paramRows, quoteKey } from './query';

const run = (params: Record<string, string>, metrics: Record<string, number | string> = {}) => ({
  data: {
    params: Object.entries(params).map(([key, value]) => ({ key, value })),
    metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
    tags: [],
  },
});

describe('order_by and filter text', () => {
  it('quotes keys that are not identifiers in backticks', () => {
    expect(quoteKey('accuracy')).toBe('accuracy');
    expect(quoteKey('val loss')).toBe('`val loss`');
    expect(quoteKey('train.loss')).toBe('`train.loss`');
    expect(quoteKey('f1-score')).toBe('`f1-score`');
    expect(quoteKey('1st')).toBe('`1st`');
    expect(quoteKey('odd`key')).toBe('`odd``key`');
  });
  it('builds order_by clauses with the entity prefix', () => {
    expect(orderBy([{ column: { kind: 'metric', key: 'val loss' }, descending: true }])).toEqual(['metrics.`val loss` DESC']);
    expect(orderBy([{ column: { kind: 'param', key: 'model' }, descending: false }])).toEqual(['params.model ASC']);
    expect(orderBy([{ column: { kind: 'attr', key: 'start_time' }, descending: true }])).toEqual(['attributes.start_time DESC']);
    expect(fieldRef({ kind: 'tag', key: 'mlflow.user' })).toBe('tags.`mlflow.user`');
  });
  it('cycles a header: metrics descending first, then ascending, then off', () => {
    const acc = { kind: 'metric' as const, key: 'acc' };
    const s1 = nextRunSort([], acc);
    expect(s1).toEqual([{ column: acc, descending: true }]);
    const s2 = nextRunSort(s1, acc);
    expect(s2).toEqual([{ column: acc, descending: false }]);
    expect(nextRunSort(s2, acc)).toEqual([]);
    const p = { kind: 'param' as const, key: 'lr' };
    expect(nextRunSort(s1, p)).toEqual([{ column: p, descending: false }]);
  });
  it('drills into a group with an escaped equality', () => {
    expect(paramEquals('model', "o'brien")).toBe("params.model = 'o''brien'");
    expect(paramEquals('max depth', undefined)).toBe('params.`max depth` IS NULL');
    expect(andFilter('', 'a = 1')).toBe('a = 1');
    expect(andFilter(' metrics.x > 1 ', 'a = 1')).toBe('metrics.x > 1 and a = 1');
  });
});

describe('metric values', () => {
  it('reads NaN and infinities sent as text', () => {
    expect(metricNumber('NaN')).toBeNaN();
    expect(metricNumber('Infinity')).toBe(Infinity);
    expect(metricNumber('-Infinity')).toBe(-Infinity);
    expect(metricNumber(0.5)).toBe(0.5);
    expect(metricNumber(undefined)).toBeUndefined();
  });
  it('formats them for cells', () => {
    expect(formatMetric('NaN')).toBe('NaN');
    expect(formatMetric('Infinity')).toBe('∞');
    expect(formatMetric(0.912345678)).toBe('0.91235');
    expect(formatMetric(42)).toBe('42');
    expect(formatMetric(1.5e-7)).toBe('1.500e-7');
    expect(formatMetric(undefined)).toBe('');
    expect(meanStd(0.5, 0.1, 3)).toBe('0.50 ± 0.10');
    expect(meanStd(0.94, 0.014142, 2)).toBe('0.940 ± 0.014');
    expect(meanStd(0.059907, 0.0026184, 2)).toBe('0.0599 ± 0.0026');
    expect(meanStd(1234.5, 56.7, 4)).toBe('1235 ± 57');
    expect(meanStd(0.5, 0, 1)).toBe('0.5');
    expect(meanStd(0.5, 0, 3)).toBe('0.5 ± 0');
  });
});

describe('EMA smoothing', () => {
  it('leaves the curve alone at weight 0', () => {
    expect(ema([1, 2, 3], 0)).toEqual([1, 2, 3]);
  });
  it('is debiased: a constant curve stays constant', () => {
    for (const v of ema([5, 5, 5, 5], 0.9)) expect(v).toBeCloseTo(5, 10);
  });
  it('matches the recurrence', () => {
    const out = ema([0, 10], 0.5);
    expect(out[0]).toBeCloseTo(0);
    // last = 0.5*0 + 0.5*0 = 0 → 0/(1-0.5) = 0; then 0.5*0 + 0.5*10 = 5 → 5/(1-0.25) = 6.667
    expect(out[1]).toBeCloseTo(20 / 3, 6);
  });
  it('skips missing points', () => {
    const out = ema([1, null, 1], 0.6);
    expect(out[1]).toBeNull();
    expect(out[2]).toBeCloseTo(1, 10);
  });
});

describe('params comparison', () => {
  const runs = [run({ model: 'rf', depth: '5', seed: '1' }), run({ model: 'rf', depth: '7', seed: '1', extra: 'x' })];
  it('lists every key sorted', () => {
    expect(paramRows(runs, false).map((r) => r.key)).toEqual(['depth', 'extra', 'model', 'seed']);
  });
  it('keeps only differing ones (missing differs)', () => {
    const rows = paramRows(runs, true);
    expect(rows.map((r) => r.key)).toEqual(['depth', 'extra']);
    expect(rows[1].values).toEqual([undefined, 'x']);
  });
  it('puts metrics side by side', () => {
    expect(metricRows([run({}, { acc: 0.9 }), run({}, { acc: 'NaN', loss: 1 })])).toEqual([
      { key: 'acc', values: [0.9, 'NaN'] },
      { key: 'loss', values: [undefined, 1] },
    ]);
  });
});

describe('columns', () => {
  const cols = { metrics: ['m1', 'm2', 'm3'], params: ['p1', 'p2'], tags: ['t'] };
  it('defaults to the first metrics and params', () => {
    expect(defaultColumns(cols, 2)).toEqual([
      { kind: 'metric', key: 'm1' },
      { kind: 'metric', key: 'm2' },
      { kind: 'param', key: 'p1' },
      { kind: 'param', key: 'p2' },
    ]);
  });
  it('drops chosen columns that no longer exist', () => {
    expect(keepExisting([{ kind: 'metric', key: 'm9' }, { kind: 'tag', key: 't' }, { kind: 'attr', key: 'status' }], cols)).toEqual([
      { kind: 'tag', key: 't' },
      { kind: 'attr', key: 'status' },
    ]);
  });
});

describe('run facts', () => {
  it('falls back to the mlflow.user tag for the user', async () => {
    const { runUser } = await import('./query');
    expect(runUser('ada', {})).toBe('ada');
    expect(runUser('', { 'mlflow.user': 'bob' })).toBe('bob');
    expect(runUser('', [{ key: 'mlflow.user', value: 'cy' }])).toBe('cy');
  });
  it('charts metrics with a history first', async () => {
    const { chartFirst } = await import('./query');
    expect(chartFirst([{ key: 'acc', step: 0 }, { key: 'loss', step: 59 }, { key: 'b', step: 3 }], 2)).toEqual(['b', 'loss']);
  });
});
