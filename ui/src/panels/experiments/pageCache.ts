/**
 * Pages of runs cached by offset for the virtual runs table: only the pages under the view
 * (and one ahead) are fetched, far pages are dropped, and answers to an older query (another
 * filter, sort or experiment) are ignored by generation.
 */
import { planPages } from '../datasets/grid/pageWindow';

export const RUN_PAGE = 200;
/** Pages kept either side of the visible ones. */
export const RUN_KEEP = 5;

export class PageCache<T> {
  readonly pageSize: number;
  readonly keep: number;
  private pages = new Map<number, T[]>();
  private loading = new Set<number>();
  /** Runs matching the query; null until its first page came. */
  total: number | null = null;
  /** Bumped by every reset: answers carrying an older one are stale. */
  generation = 0;

  constructor(pageSize = RUN_PAGE, keep = RUN_KEEP) {
    this.pageSize = pageSize;
    this.keep = keep;
  }

  /** Forgets everything for a new query; returns its generation. */
  reset(): number {
    this.generation += 1;
    this.pages = new Map();
    this.loading = new Set();
    this.total = null;
    return this.generation;
  }

  /**
   * Pages to fetch for visible rows `first..last` (they are marked loading); drops far
   * pages. Before the total is known only the first page is asked for.
   */
  plan(first: number, last: number): number[] {
    const plan = planPages({ first, last, total: this.total, cached: this.pages.keys(), loading: this.loading, pageSize: this.pageSize, keep: this.keep });
    for (const o of plan.drop) this.pages.delete(o);
    for (const o of plan.fetch) this.loading.add(o);
    return plan.fetch;
  }

  /** Stores a page; false (and nothing stored) when it answers an older query. */
  receive(generation: number, offset: number, rows: T[], total: number): boolean {
    if (generation !== this.generation) return false;
    this.loading.delete(offset);
    this.pages.set(offset, rows);
    this.total = total;
    return true;
  }

  /** A fetch failed; false when it was for an older query. */
  fail(generation: number, offset: number): boolean {
    if (generation !== this.generation) return false;
    this.loading.delete(offset);
    return true;
  }

  /** A cached row, or undefined while its page is not there. */
  row(index: number): T | undefined {
    const offset = Math.floor(index / this.pageSize) * this.pageSize;
    return this.pages.get(offset)?.[index - offset];
  }

  /** Offsets of the cached pages, ascending. */
  cachedPages(): number[] {
    return [...this.pages.keys()].sort((a, b) => a - b);
  }

  isLoading(offset: number): boolean {
    return this.loading.has(offset);
  }
}
