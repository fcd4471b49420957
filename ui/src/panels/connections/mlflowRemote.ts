import type { ConnectionDetails, MlflowTransferResult, MlflowVersionRef, Run } from '../../api/types.gen';

/** The project's MLflow connections, by name. */
export function mlflowConnections(all: ConnectionDetails[]): string[] {
  return all
    .filter((c) => c.kind === 'mlflow')
    .map((c) => c.name)
    .sort((a, b) => a.localeCompare(b));
}

/** A set with `id` added or removed. */
export function toggled(set: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** `name:version`, the key of a model version in a selection. */
export function versionKey(v: MlflowVersionRef): string {
  return `${v.name}:${v.version}`;
}

/** The versions a set of `name:version` keys names (the name may itself contain colons). */
export function versionRefs(keys: Iterable<string>): MlflowVersionRef[] {
  const out: MlflowVersionRef[] = [];
  for (const key of keys) {
    const i = key.lastIndexOf(':');
    if (i > 0 && i < key.length - 1) out.push({ name: key.slice(0, i), version: key.slice(i + 1) });
  }
  return out;
}

/** Up to `max` latest metrics of a run as `key=value`, for a compact runs list. */
export function metricSummary(run: Run, max = 3): string {
  return [...run.data.metrics]
    .sort((a, b) => a.key.localeCompare(b.key))
    .slice(0, max)
    .map((m) => `${m.key}=${typeof m.value === 'number' ? Number(m.value.toPrecision(4)) : m.value}`)
    .join('  ');
}

/** Appends a page of runs, skipping any already listed (pages may shift while runs are logged). */
export function appendRuns(list: Run[], page: Run[]): Run[] {
  const seen = new Set(list.map((r) => r.info.run_id));
  return [...list, ...page.filter((r) => !seen.has(r.info.run_id))];
}

/** One line saying what an import or push did. */
export function transferSummary(r: MlflowTransferResult, verb: 'Imported' | 'Pushed'): string {
  const fresh = r.runs.filter((x) => !x.already_there).length;
  const known = r.runs.length - fresh;
  const versions = r.model_versions.filter((x) => !x.already_there).length;
  const parts = [`${verb} ${fresh} run${fresh === 1 ? '' : 's'}`];
  if (versions) parts.push(`${versions} model version${versions === 1 ? '' : 's'}`);
  let text = parts.join(' and ');
  if (known) text += ` (${known} already there)`;
  return text;
}
