import { describe, expect, it } from 'vitest';
import type { LogLevel, LogRecord } from '../../api/types.gen';
import { filterLogs, formatFields, mergeLogs } from './logFilter';

function rec(seq: number, level: LogLevel, message: string, target = 'assay_app', fields: Record<string, string> = {}): LogRecord {
  return { seq, time: '2024-05-01T10:00:00Z', level, target, message, fields };
}

const records = [
  rec(1, 'trace', 'tick'),
  rec(2, 'debug', 'opening manifest', 'assay_project::manifest'),
  rec(3, 'info', 'project opened', 'assay_app', { path: '/data/Penguins' }),
  rec(4, 'warn', 'file missing', 'assay_project'),
  rec(5, 'error', 'hash failed', 'assay_jobs', { dataset: 'flights' }),
];

describe('log filter', () => {
  it('keeps records at or above the minimum level', () => {
    expect(filterLogs(records, { minLevel: 'trace', text: '' })).toHaveLength(5);
    expect(filterLogs(records, { minLevel: 'info', text: '' }).map((r) => r.seq)).toEqual([3, 4, 5]);
    expect(filterLogs(records, { minLevel: 'error', text: '' }).map((r) => r.seq)).toEqual([5]);
  });
  it('matches text case-insensitively in message, target and fields', () => {
    expect(filterLogs(records, { minLevel: 'trace', text: 'MANIFEST' }).map((r) => r.seq)).toEqual([2]);
    expect(filterLogs(records, { minLevel: 'trace', text: 'penguins' }).map((r) => r.seq)).toEqual([3]);
    expect(filterLogs(records, { minLevel: 'trace', text: 'dataset=flights' }).map((r) => r.seq)).toEqual([5]);
    expect(filterLogs(records, { minLevel: 'trace', text: 'assay_project' }).map((r) => r.seq)).toEqual([2, 4]);
  });
  it('combines level and text', () => {
    expect(filterLogs(records, { minLevel: 'warn', text: 'assay_project' }).map((r) => r.seq)).toEqual([4]);
    expect(filterLogs(records, { minLevel: 'trace', text: 'nothing like this' })).toEqual([]);
  });
  it('formats fields as key=value', () => {
    expect(formatFields({ a: '1', b: 'x y' })).toBe('a=1 b=x y');
  });
});

describe('mergeLogs', () => {
  it('appends in-order records and drops duplicates from overlapping sources', () => {
    const a = mergeLogs([], records.slice(0, 3));
    const b = mergeLogs(a, [records[2], records[3], records[1]]);
    expect(b.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(mergeLogs(b, [records[4]]).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
  });
  it('keeps only the newest records past the cap', () => {
    expect(mergeLogs(records.slice(0, 3), records.slice(3), 2).map((r) => r.seq)).toEqual([4, 5]);
  });
});
