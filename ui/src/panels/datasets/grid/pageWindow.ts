/**
 * Which pages of rows the virtual grid needs: the pages under the visible rows plus one
 * ahead, fetched on demand; pages far from the view are dropped to bound memory.
 */

export const PAGE_SIZE = 200;
/** Pages kept on either side of the visible ones before they are dropped. */
export const KEEP_PAGES = 4;

/** Offset of the page holding row `row`. */
export function pageOf(row: number, pageSize = PAGE_SIZE): number {
  return Math.floor(Math.max(0, row) / pageSize) * pageSize;
}

export interface PagePlanInput {
  /** First and last visible rows (inclusive); `last < first` means nothing is visible. */
  first: number;
  last: number;
  /** Rows in all (after filters); null while unknown (then only the first page is asked for). */
  total: number | null;
  /** Page offsets held in the cache. */
  cached: Iterable<number>;
  /** Page offsets being fetched. */
  loading: Iterable<number>;
  pageSize?: number;
  keep?: number;
}

export interface PagePlan {
  /** Page offsets to fetch now, in order of need. */
  fetch: number[];
  /** Cached page offsets to drop. */
  drop: number[];
}

/** Offsets of the visible pages and the one ahead, within the table. */
export function wantedPages(first: number, last: number, total: number | null, pageSize = PAGE_SIZE): number[] {
  if (total === null) return [0];
  if (total <= 0 || last < first) return [];
  const lastRow = Math.min(last, total - 1);
  const from = pageOf(Math.min(first, lastRow), pageSize);
  const to = pageOf(lastRow, pageSize) + pageSize; // one page ahead
  const out: number[] = [];
  for (let offset = from; offset <= to && offset < total; offset += pageSize) out.push(offset);
  return out;
}

/** What to fetch and what to drop for the current view. */
export function planPages(input: PagePlanInput): PagePlan {
  const pageSize = input.pageSize ?? PAGE_SIZE;
  const keep = input.keep ?? KEEP_PAGES;
  const cached = new Set(input.cached);
  const loading = new Set(input.loading);
  const wanted = wantedPages(input.first, input.last, input.total, pageSize);
  const fetch = wanted.filter((o) => !cached.has(o) && !loading.has(o));
  let drop: number[] = [];
  if (wanted.length > 0) {
    const lo = wanted[0] - keep * pageSize;
    const hi = wanted[wanted.length - 1] + keep * pageSize;
    drop = [...cached].filter((o) => o < lo || o > hi).sort((a, b) => a - b);
  }
  return { fetch, drop };
}

/** Largest height of the grid's scroll content; taller tables scroll through a scaled space. */
export const MAX_SCROLL_PX = 8_000_000;

/**
 * The factor from the real scroll offset to the virtual (unscaled) one. Browsers cap element
 * heights (about 17.9M px in Firefox, 33.5M in Chrome), so with millions of rows the spacer is
 * capped at `maxPx` and real scrolling maps linearly onto the full range.
 */
export function scrollScale(contentPx: number, viewportPx: number, maxPx = MAX_SCROLL_PX): number {
  if (contentPx <= maxPx || contentPx <= viewportPx) return 1;
  const realRange = maxPx - viewportPx;
  if (realRange <= 0) return 1;
  return (contentPx - viewportPx) / realRange;
}
