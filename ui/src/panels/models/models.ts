/** Pure helpers of the Models panel. */
import type { ModelAlias, RegisteredModel } from '../../api/types.gen';

/** The registry filter for a search box: `name LIKE '%churn%'` (quotes doubled); '' for no search. */
export function modelFilter(search: string): string {
  const s = search.trim();
  if (!s) return '';
  return `name LIKE '%${s.replace(/'/g, "''")}%'`;
}

/** The highest version number among a model's latest versions, or null when it has none. */
export function latestVersion(model: Pick<RegisteredModel, 'latest_versions'>): string | null {
  let best: string | null = null;
  for (const v of model.latest_versions) if (best === null || Number(v.version) > Number(best)) best = v.version;
  return best;
}

/** Aliases sorted by name. */
export function sortedAliases(aliases: ModelAlias[]): ModelAlias[] {
  return [...aliases].sort((a, b) => a.alias.localeCompare(b.alias));
}

/** Whether an alias name is acceptable to MLflow: letters, digits, `_` and `-`, not `latest`, not `v<digits>`. */
export function aliasProblem(alias: string): string | null {
  const a = alias.trim();
  if (!a) return 'Give the alias a name.';
  if (!/^[\w-]+$/.test(a)) return 'Letters, digits, _ and - only.';
  if (a.toLowerCase() === 'latest') return '“latest” is reserved.';
  if (/^v\d+$/i.test(a)) return 'Names like v1 are reserved for versions.';
  return null;
}

/** Splits `key=value` typed into a tag box. */
export function parseTag(text: string): { key: string; value: string } | null {
  const i = text.indexOf('=');
  const key = (i === -1 ? text : text.slice(0, i)).trim();
  if (!key) return null;
  return { key, value: i === -1 ? '' : text.slice(i + 1).trim() };
}
