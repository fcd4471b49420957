import { describe, expect, it } from 'vitest';
import { aliasProblem, latestVersion, modelFilter, parseTag, sortedAliases } from './models';

const v = (version: string) => ({ version }) as never;

describe('models helpers', () => {
  it('builds a LIKE filter with doubled quotes', () => {
    expect(modelFilter('')).toBe('');
    expect(modelFilter(' churn ')).toBe("name LIKE '%churn%'");
    expect(modelFilter("o'neil")).toBe("name LIKE '%o''neil%'");
  });
  it('finds the latest version numerically', () => {
    expect(latestVersion({ latest_versions: [v('2'), v('10'), v('9')] })).toBe('10');
    expect(latestVersion({ latest_versions: [] })).toBeNull();
  });
  it('checks alias names', () => {
    expect(aliasProblem('champion')).toBeNull();
    expect(aliasProblem('latest')).not.toBeNull();
    expect(aliasProblem('v3')).not.toBeNull();
    expect(aliasProblem('a b')).not.toBeNull();
    expect(aliasProblem('')).not.toBeNull();
  });
  it('parses tags and sorts aliases', () => {
    expect(parseTag('team = fraud')).toEqual({ key: 'team', value: 'fraud' });
    expect(parseTag('flag')).toEqual({ key: 'flag', value: '' });
    expect(parseTag(' =x')).toBeNull();
    expect(sortedAliases([{ alias: 'b', version: '1' }, { alias: 'a', version: '2' }]).map((a) => a.alias)).toEqual(['a', 'b']);
  });
});
