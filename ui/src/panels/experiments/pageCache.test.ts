import { describe, expect, it } from 'vitest';
import { PageCache } from './pageCache';

const rows = (offset: number, n: number) => Array.from({ length: n }, (_, i) => offset + i);

describe('run page cache', () => {
  it('asks only for the first page until the total is known', () => {
    const c = new PageCache<number>(200, 2);
    c.reset();
    expect(c.plan(0, 40)).toEqual([0]);
    // already loading: not asked again
    expect(c.plan(0, 40)).toEqual([]);
  });

  it('fetches the visible pages and one ahead, once', () => {
    const c = new PageCache<number>(200, 2);
    const gen = c.reset();
    c.plan(0, 30);
    expect(c.receive(gen, 0, rows(0, 200), 10_000)).toBe(true);
    expect(c.plan(0, 30)).toEqual([200]);
    expect(c.row(199)).toBe(199);
    expect(c.row(200)).toBeUndefined();
    expect(c.plan(950, 990)).toEqual([800, 1000]);
    expect(c.plan(950, 990)).toEqual([]);
  });

  it('drops pages far from the view', () => {
    const c = new PageCache<number>(200, 1);
    const gen = c.reset();
    c.plan(0, 0);
    c.receive(gen, 0, rows(0, 200), 10_000);
    c.receive(gen, 200, rows(200, 200), 10_000);
    const fetch = c.plan(5000, 5030);
    expect(fetch).toEqual([5000, 5200]);
    expect(c.cachedPages()).toEqual([]);
  });

  it('ignores answers to an older query', () => {
    const c = new PageCache<number>(200, 2);
    const old = c.reset();
    c.plan(0, 0);
    const gen = c.reset();
    expect(c.receive(old, 0, rows(0, 200), 5)).toBe(false);
    expect(c.total).toBeNull();
    expect(c.row(0)).toBeUndefined();
    expect(c.fail(old, 0)).toBe(false);
    c.plan(0, 0);
    expect(c.receive(gen, 0, [7, 8], 2)).toBe(true);
    expect(c.row(1)).toBe(8);
    expect(c.total).toBe(2);
  });

  it('asks again for a page whose fetch failed', () => {
    const c = new PageCache<number>(200, 2);
    const gen = c.reset();
    c.plan(0, 0);
    c.receive(gen, 0, rows(0, 200), 1000);
    expect(c.plan(300, 310)).toEqual([200, 400]);
    expect(c.fail(gen, 400)).toBe(true);
    expect(c.plan(300, 310)).toEqual([400]);
  });

  it('asks for nothing past the end', () => {
    const c = new PageCache<number>(200, 2);
    const gen = c.reset();
    c.plan(0, 0);
    c.receive(gen, 0, rows(0, 150), 150);
    expect(c.plan(0, 149)).toEqual([]);
  });
});
