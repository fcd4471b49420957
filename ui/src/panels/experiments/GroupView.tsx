import { useEffect, useState } from 'react';
import { useClient } from '../../api/client';
import type { RunGroup } from '../../api/types.gen';
import { formatInt } from '../../lib/format';
import { meanStd } from './query';

/** Runs grouped by a parameter's value: count and mean ± std of the chosen metrics. */
export function GroupView({ experimentIds, filter, param, metrics, onDrill }: { experimentIds: string[]; filter: string; param: string; metrics: string[]; onDrill(value: string | undefined): void }) {
  const client = useClient();
  const [groups, setGroups] = useState<RunGroup[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const metricText = metrics.join('\u0000');
  const ids = experimentIds.join(',');

  useEffect(() => {
    let live = true;
    setError(null);
    client.call('group_runs', { experiment_ids: ids.split(','), filter, order_by: [], param, metrics: metricText ? metricText.split('\u0000') : [] }).then(
      (g) => live && setGroups(g),
      (e: { message?: string }) => {
        if (!live) return;
        setGroups([]);
        setError(e.message ?? String(e));
      },
    );
    return () => {
      live = false;
    };
  }, [client, ids, filter, param, metricText]);

  if (error) return <p className="inline-error">{error}</p>;
  if (!groups) return <p className="empty">Grouping…</p>;
  const keys = metricText ? metricText.split('\u0000') : [];
  return (
    <div className="group-view table-scroll" data-testid="group-view">
      <p className="muted small-text group-caption" data-testid="group-caption">
        {groups.length} group{groups.length === 1 ? '' : 's'} of {param} · {formatInt(groups.reduce((n, g) => n + g.runs, 0))} runs · metrics as mean ± sample std · click a group to filter to it
      </p>
      <table className="table compact">
        <thead>
          <tr>
            <th>{param}</th>
            <th className="num">Runs</th>
            {keys.map((k) => (
              <th key={k} className="num" title="mean ± sample standard deviation over runs with a finite value">
                {k}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.value ?? '\u0000none'} className="clickable" onClick={() => onDrill(g.value)} title="Show these runs" data-testid="group-row">
              <td className={g.value === undefined ? 'null' : 'mono'}>{g.value ?? '(not set)'}</td>
              <td className="num">{formatInt(g.runs)}</td>
              {keys.map((k) => {
                const s = g.metrics[k];
                return (
                  <td key={k} className="num mono" title={s ? `n=${s.count} · min ${s.min} · max ${s.max}` : undefined}>
                    {s ? meanStd(s.mean, s.std, s.count) : ''}
                  </td>
                );
              })}
            </tr>
          ))}
          {groups.length === 0 && (
            <tr>
              <td className="muted" colSpan={keys.length + 2}>
                No runs.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
