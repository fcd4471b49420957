import type { Alert, Profile } from '../../../api/types.gen';
import { formatDuration, formatInt, formatPercent, humanBytes } from '../../../lib/format';

function Card({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId?: string }) {
  return (
    <div className="stat-card" data-testid={testId}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {sub && <div className="stat-sub muted">{sub}</div>}
    </div>
  );
}

export function Overview({ profile }: { profile: Profile }) {
  const t = profile.table;
  const kinds = Object.entries(t.kinds)
    .map(([kind, n]) => [kind, Number(n ?? 0)] as const)
    .filter(([, n]) => n > 0);
  return (
    <div className="stat-cards" data-testid="profile-overview">
      <Card label="Rows" value={formatInt(t.rows)} testId="overview-rows" />
      <Card label="Columns" value={formatInt(t.columns)} testId="overview-columns" />
      <Card label="Missing cells" value={formatInt(t.missing_cells)} sub={formatPercent(t.missing_cells_fraction)} testId="overview-missing" />
      <Card label="Duplicate rows" value={formatInt(t.duplicate_rows)} sub={formatPercent(t.duplicate_rows_fraction)} testId="overview-duplicates" />
      <Card label="Memory" value={humanBytes(t.memory_bytes)} testId="overview-memory" />
      <div className="stat-card stat-card-wide" data-testid="overview-kinds">
        <div className="stat-label">Column kinds</div>
        <div className="kind-list">
          {kinds.length === 0 ? (
            <span className="muted">—</span>
          ) : (
            kinds.map(([kind, n]) => (
              <span key={kind} className={`kind-badge kind-${kind}`}>
                {kind} <b>{n}</b>
              </span>
            ))
          )}
        </div>
      </div>
      <Card label="Profile time" value={formatDuration(profile.run.elapsed_ms)} sub={profile.run.engine} testId="overview-time" />
    </div>
  );
}

export const ALERT_LABELS: Record<string, string> = {
  constant: 'Constant',
  zeros: 'Zeros',
  high_correlation: 'High correlation',
  high_cardinality: 'High cardinality',
  duplicates: 'Duplicates',
  skewed: 'Skewed',
  imbalance: 'Imbalance',
  missing: 'Missing',
  infinite: 'Infinite',
  unique: 'Unique',
  uniform: 'Uniform',
  date_as_string: 'Date as text',
  constant_length: 'Constant length',
  empty: 'Empty',
};

/** How loud an alert kind is: warnings are about likely data problems. */
export function alertSeverity(kind: string): 'warning' | 'info' {
  return ['constant', 'missing', 'duplicates', 'infinite', 'empty', 'high_correlation', 'skewed', 'date_as_string'].includes(kind) ? 'warning' : 'info';
}

export function AlertList({ alerts, onColumn }: { alerts: Alert[]; onColumn: (column: string) => void }) {
  if (alerts.length === 0) {
    return (
      <p className="empty" data-testid="alert-list">
        No alerts.
      </p>
    );
  }
  return (
    <ul className="alert-list" data-testid="alert-list">
      {alerts.map((a, i) => {
        const body = (
          <>
            <span className={`alert-badge alert-${alertSeverity(a.kind)}`}>{ALERT_LABELS[a.kind] ?? a.kind}</span>
            <span className="alert-message">{a.message}</span>
            {a.column && <span className="alert-column mono muted">{a.column}</span>}
          </>
        );
        return (
          <li key={i} data-testid={`alert-${i}`} data-kind={a.kind}>
            {a.column ? (
              <button type="button" className="alert-item" onClick={() => onColumn(a.column!)} title={`Show column ${a.column}`}>
                {body}
              </button>
            ) : (
              <div className="alert-item">{body}</div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
