import type { LogLevel, LogRecord } from '../../api/types.gen';

export const LOG_LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

const RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

export function levelRank(level: LogLevel): number {
  return RANK[level] ?? 0;
}

export interface LogFilter {
  /** Only records at or above this level. */
  minLevel: LogLevel;
  /** Case-insensitive text searched in message, target and fields (keys and values). */
  text: string;
}

export function formatFields(fields: LogRecord['fields']): string {
  return Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

export function matchesLog(record: LogRecord, filter: LogFilter): boolean {
  if (levelRank(record.level) < levelRank(filter.minLevel)) return false;
  const needle = filter.text.trim().toLowerCase();
  if (needle === '') return true;
  return (
    record.message.toLowerCase().includes(needle) ||
    record.target.toLowerCase().includes(needle) ||
    formatFields(record.fields).toLowerCase().includes(needle)
  );
}

export function filterLogs(records: LogRecord[], filter: LogFilter): LogRecord[] {
  if (filter.minLevel === 'trace' && filter.text.trim() === '') return records;
  return records.filter((r) => matchesLog(r, filter));
}

/**
 * Adds records to a seq-ordered list without duplicates (a fetched page and live events
 * overlap), keeping the newest `cap` records.
 */
export function mergeLogs(existing: LogRecord[], incoming: LogRecord[], cap = 20000): LogRecord[] {
  if (incoming.length === 0) return existing;
  const lastSeq = existing.length ? existing[existing.length - 1].seq : -Infinity;
  let merged: LogRecord[];
  if (incoming.every((r, i) => r.seq > lastSeq && (i === 0 || r.seq > incoming[i - 1].seq))) {
    // Fast path: live events arrive in order after what we have.
    merged = existing.concat(incoming);
  } else {
    const bySeq = new Map<number, LogRecord>();
    for (const r of existing) bySeq.set(r.seq, r);
    for (const r of incoming) bySeq.set(r.seq, r);
    merged = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
  return merged.length > cap ? merged.slice(merged.length - cap) : merged;
}
