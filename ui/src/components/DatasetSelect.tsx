/** A drop-down of the project's data sets. */
export function DatasetSelect({ datasets, value, onChange, label, testId }: { datasets: string[]; value: string; onChange(name: string): void; label: string; testId?: string }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} aria-label={label} data-testid={testId}>
      {datasets.map((d) => (
        <option key={d} value={d}>
          {d}
        </option>
      ))}
    </select>
  );
}
