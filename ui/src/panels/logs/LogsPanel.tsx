import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useClient } from '../../api/client';
import type { LogLevel, LogRecord } from '../../api/types.gen';
import { logTime } from '../../lib/format';
import { useApp } from '../../state/app';
import { filterLogs, formatFields, LOG_LEVELS, mergeLogs } from './logFilter';

const ROW_HEIGHT = 22;
/** Within this many pixels of the end counts as "at the bottom". */
const STICK_SLACK = 8;

export function LogsPanel() {
  const client = useClient();
  const { reportError } = useApp();
  const [records, setRecords] = useState<LogRecord[]>([]);
  const [loading, setLoading] = useState(true);
  const [minLevel, setMinLevel] = useState<LogLevel>('trace');
  const [text, setText] = useState('');
  const [atBottom, setAtBottom] = useState(true);
  const stick = useRef(true);
  const scroller = useRef<HTMLDivElement>(null);

  // Live records first (so none fall between the fetch and the subscription), then the backlog.
  useEffect(() => {
    let live = true;
    const stop = client.subscribe((e) => {
      if (e.type === 'log') setRecords((prev) => mergeLogs(prev, [e.record]));
    });
    client
      .call('get_logs', {})
      .then((page) => live && setRecords((prev) => mergeLogs(prev, page)))
      .catch((e: unknown) => live && reportError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
      stop();
    };
  }, [client, reportError]);

  const filtered = useMemo(() => filterLogs(records, { minLevel, text }), [records, minLevel, text]);

  const virtualizer = useVirtualizer({
    count: filtered.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    useFlushSync: false,
  });

  useLayoutEffect(() => {
    if (stick.current && filtered.length > 0) virtualizer.scrollToIndex(filtered.length - 1, { align: 'end' });
  }, [filtered.length, virtualizer]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_SLACK;
    stick.current = bottom;
    setAtBottom(bottom);
  };

  const jumpToEnd = () => {
    stick.current = true;
    setAtBottom(true);
    if (filtered.length > 0) virtualizer.scrollToIndex(filtered.length - 1, { align: 'end' });
  };

  return (
    <div className="panel logs" data-testid="log-view">
      <div className="logs-toolbar">
        <h1 className="panel-title small">Logs</h1>
        <label className="inline-field">
          <span>Level</span>
          <select aria-label="Minimum level" value={minLevel} onChange={(e) => setMinLevel(e.target.value as LogLevel)}>
            {LOG_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l === 'trace' ? 'all (trace+)' : `${l}+`}
              </option>
            ))}
          </select>
        </label>
        <input
          className="text-input filter"
          type="search"
          aria-label="Filter logs"
          placeholder="Filter message, target, fields…"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <span className="muted log-count" aria-live="polite">
          {loading ? 'Loading…' : `${filtered.length.toLocaleString()} of ${records.length.toLocaleString()}`}
        </span>
        {!atBottom && (
          <button type="button" className="small" onClick={jumpToEnd}>
            Jump to latest
          </button>
        )}
      </div>
      <div className="log-grid log-head" role="row">
        <span role="columnheader">Time</span>
        <span role="columnheader">Level</span>
        <span role="columnheader">Target</span>
        <span role="columnheader">Message</span>
        <span role="columnheader">Fields</span>
      </div>
      <div className="log-scroller" ref={scroller} onScroll={onScroll} role="log" aria-label="Log records">
        {!loading && filtered.length === 0 && (
          <p className="empty">{records.length === 0 ? 'No log records yet.' : 'No records match the filter.'}</p>
        )}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const r = filtered[item.index];
            const fields = formatFields(r.fields);
            return (
              <div
                key={r.seq}
                className={`log-grid log-row level-${r.level}`}
                data-seq={r.seq}
                style={{ position: 'absolute', top: 0, left: 0, width: '100%', height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                <span className="mono muted" title={r.time}>
                  {logTime(r.time)}
                </span>
                <span className={`level level-${r.level}`}>{r.level}</span>
                <span className="mono ellipsis" title={r.target}>
                  {r.target}
                </span>
                <span className="ellipsis" title={r.message}>
                  {r.message}
                </span>
                <span className="mono muted ellipsis" title={fields}>
                  {fields}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
