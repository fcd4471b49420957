import type { DatasetInfo, DatasetLocation } from '../../api/types.gen';
import { TrashIcon, WarningIcon } from '../../components/icons';
import { humanBytes, shortHash } from '../../lib/format';

function LocationCell({ location }: { location: DatasetLocation }) {
  switch (location.kind) {
    case 'local':
      return <span className="loc loc-local">local</span>;
    case 'missing':
      return (
        <span className="loc loc-missing" title="The file is not there">
          <WarningIcon /> missing
        </span>
      );
    case 'remote':
      return <span className="loc loc-remote">remote</span>;
  }
}

export function DatasetsTable({ datasets, onRemove }: { datasets: DatasetInfo[]; onRemove: (name: string) => void }) {
  if (datasets.length === 0) {
    return <p className="empty">No data sets yet. Add a file (CSV, Parquet, JSON, Arrow…) or drop one here.</p>;
  }
  return (
    <table className="table" aria-label="Data sets">
      <thead>
        <tr>
          <th>Name</th>
          <th>Format</th>
          <th className="num">Size</th>
          <th>Location</th>
          <th>Fingerprint</th>
          <th className="actions-col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {datasets.map((d) => (
          <tr key={d.name} data-testid={`dataset-row-${d.name}`} className={d.location.kind === 'missing' ? 'row-warning' : undefined}>
            <td>
              <div className="cell-name">{d.name}</div>
              <div className="cell-sub mono" title={d.description ?? d.path}>
                {d.path}
              </div>
            </td>
            <td>{d.format ?? '—'}</td>
            <td className="num">{d.location.kind === 'local' ? humanBytes(d.location.bytes) : '—'}</td>
            <td>
              <LocationCell location={d.location} />
            </td>
            <td className="mono" title={d.fingerprint ?? 'Not computed'}>
              {shortHash(d.fingerprint)}
            </td>
            <td className="actions-col">
              <button
                type="button"
                className="icon-button small"
                aria-label={`Remove data set ${d.name}`}
                title="Remove from project"
                onClick={() => onRemove(d.name)}
              >
                <TrashIcon />
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
