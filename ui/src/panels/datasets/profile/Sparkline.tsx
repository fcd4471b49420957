import type { ColumnProfile } from '../../../api/types.gen';
import { formatInt } from '../../../lib/format';
import { sparkBars, sparklineSource } from './sparkline';

const W = 96;
const H = 22;

/** A tiny inline bar chart of a column's distribution. */
export function Sparkline({ column }: { column: ColumnProfile }) {
  const source = sparklineSource(column);
  if (!source) return <span className="muted">—</span>;
  const bars = sparkBars(source.counts, W, H, 1, 1, source.labels);
  return (
    <svg className="sparkline" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${column.name} ${source.source}`}>
      {bars.map((b, i) => (
        <rect key={i} x={b.x} y={b.y} width={b.width} height={b.height}>
          <title>{`${b.label}: ${formatInt(b.count)}`}</title>
        </rect>
      ))}
    </svg>
  );
}
