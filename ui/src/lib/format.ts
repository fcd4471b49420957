import type { JsonValue } from '../api/types.gen';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** Bytes for people: `0 B`, `1023 B`, `1.5 KiB`, `118 MiB` (binary units). */
export function humanBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // 1023.96 KiB would print as "1024.0 KiB": carry into the next unit.
  if (value >= 1023.95 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = value >= 100 ? value.toFixed(0) : value.toFixed(1);
  return `${text} ${UNITS[unit]}`;
}

/** Counts with a unit; bytes are humanised, other units are plain numbers. */
export function humanAmount(value: number, unit: string): string {
  if (unit === 'bytes' || unit === 'B') return humanBytes(value);
  const n = Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return unit ? `${n} ${unit}` : n;
}

/** A hash shortened for display (the full one goes in a tooltip); `—` when there is none. */
export function shortHash(hash: string | null | undefined, length = 12): string {
  if (!hash) return '—';
  const h = hash.includes(':') ? hash.slice(hash.indexOf(':') + 1) : hash;
  return h.length > length ? h.slice(0, length) : h;
}

/** `HH:MM:SS.mmm` local time of an ISO timestamp (the log view's time column). */
export function logTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A local date and time for people. */
export function dateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString();
}

/** Fraction done of a progress, in [0, 1], or null when the total is unknown. */
export function progressFraction(done: number, total: number | null): number | null {
  if (total === null || !Number.isFinite(total) || total <= 0) return null;
  return Math.min(1, Math.max(0, done / total));
}

/** Time only for today, else date and time. */
export function shortDateTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toDateString() === now.toDateString() ? d.toLocaleTimeString() : d.toLocaleString();
}

// ----- numbers for data views ---------------------------------------------------------------

const DASH = '—';

/** An integer count with thousands separators: `336,776`; `—` when missing. */
export function formatInt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  return Math.round(n).toLocaleString('en-US');
}

/** `336,776 rows`, `1 row`. */
export function formatRows(n: number, unit = 'row'): string {
  return `${formatInt(n)} ${n === 1 ? unit : `${unit}s`}`;
}

/**
 * A statistic for people: integers with separators, other values with up to `digits`
 * significant digits (never in exponent form for ordinary magnitudes), very large or tiny
 * values in exponent form; `—` when undefined.
 */
export function formatNumber(n: number | null | undefined, digits = 4): string {
  if (n === null || n === undefined || Number.isNaN(n)) return DASH;
  if (n === Infinity) return '∞';
  if (n === -Infinity) return '−∞';
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 1e15 || abs < 1e-4) return n.toExponential(Math.max(0, digits - 2));
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  if (abs >= 10 ** digits) return Math.round(n).toLocaleString('en-US');
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return n.toLocaleString('en-US', { maximumFractionDigits: Math.min(decimals, 20), useGrouping: true });
}

/** A share (0..1) as a percentage: `12.3%`; tiny non-zero shares as `<0.1%`. */
export function formatPercent(fraction: number | null | undefined, decimals = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return DASH;
  const pct = fraction * 100;
  const smallest = 10 ** -decimals;
  if (pct > 0 && pct < smallest) return `<${smallest.toFixed(decimals)}%`;
  if (pct < 100 && pct > 100 - smallest) return `>${(100 - smallest).toFixed(decimals)}%`;
  return `${pct.toFixed(decimals)}%`;
}

/** A wall time: `850 ms`, `2.4 s`, `1 min 12 s`, `1 h 3 min`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const totalS = Math.round(s);
  const min = Math.floor(totalS / 60);
  if (min < 60) return `${min} min ${totalS % 60} s`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** A span of days: `12.5 days`, `3.2 years`. */
export function formatDays(days: number | null | undefined): string {
  if (days === null || days === undefined || !Number.isFinite(days)) return DASH;
  if (days >= 730) return `${formatNumber(days / 365.25, 3)} years`;
  if (days < 1) return `${formatNumber(days * 24, 3)} hours`;
  return `${formatNumber(days, 4)} days`;
}

/** Text of a cell; null means the cell is missing. */
export function cellText(value: JsonValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
