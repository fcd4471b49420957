import { useEffect, useState } from 'react';
import { useClient } from '../../api/client';
import type { ColumnProfile, ColumnSchema, Rule, RuleResult, Suite } from '../../api/types.gen';
import { formatInt, formatNumber, formatPercent } from '../../lib/format';
import { CMP_OPS, RULE_KINDS, TYPE_NAMES, describeCheck, emptyForm, formFromRule, isRowLevel, kindOf, needsOf, ruleFromForm, usesColumn, type RuleForm, type RuleKind } from './ruleForm';
import { StatusPill } from './StatusPill';

/** What the builder knows about the checked data set. */
export interface DatasetFacts {
  columns: ColumnSchema[];
  /** Per-column profile, when the data set was profiled. */
  profile: Map<string, ColumnProfile>;
}

/** The columns and stored profile of a data set, for pickers and hints. */
export function useDatasetFacts(dataset: string | null): DatasetFacts | null {
  const client = useClient();
  const [facts, setFacts] = useState<DatasetFacts | null>(null);
  useEffect(() => {
    setFacts(null);
    if (!dataset) return;
    let live = true;
    void (async () => {
      try {
        const [schema, stored] = await Promise.all([client.call('dataset_schema', { name: dataset }), client.call('get_profile', { name: dataset }).catch(() => null)]);
        const profile = new Map((stored?.profile.columns ?? []).map((c) => [c.name, c]));
        if (live) setFacts({ columns: schema.columns, profile });
      } catch {
        if (live) setFacts({ columns: [], profile: new Map() });
      }
    })();
    return () => {
      live = false;
    };
  }, [client, dataset]);
  return facts;
}

function isNumeric(facts: DatasetFacts | null, column: string): boolean {
  const kind = facts?.columns.find((c) => c.name === column)?.kind;
  return kind === 'numeric';
}

interface BuilderProps {
  suite: Suite;
  facts: DatasetFacts | null;
  datasets: string[];
  /** Outcome of each rule in the newest run, by rule id. */
  outcomes: Map<string, RuleResult>;
  onChange(suite: Suite): void;
}

/** The rules of a suite as a list, and a form to add or edit one; every change rewrites the YAML. */
export function RuleBuilder({ suite, facts, datasets, outcomes, onChange }: BuilderProps) {
  const [editing, setEditing] = useState<number | null>(null);
  const [form, setForm] = useState<RuleForm>(() => emptyForm('not_null', facts?.columns[0]?.name ?? ''));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setForm((f) => (f.column || !facts?.columns[0] ? f : { ...f, column: facts.columns[0].name }));
  }, [facts]);

  const replace = (rules: Rule[]) => onChange({ ...suite, rules });
  const submit = () => {
    try {
      const rule = ruleFromForm(form, isNumeric(facts, form.column));
      const rules = suite.rules.slice();
      if (editing === null) rules.push(rule);
      else rules[editing] = rule;
      replace(rules);
      setError(null);
      setEditing(null);
      setForm(emptyForm(form.kind, form.column));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const edit = (i: number) => {
    setEditing(i);
    setForm(formFromRule(suite.rules[i]));
    setError(null);
  };
  const remove = (i: number) => {
    replace(suite.rules.filter((_, j) => j !== i));
    if (editing === i) setEditing(null);
  };
  const move = (i: number, by: -1 | 1) => {
    const rules = suite.rules.slice();
    const j = i + by;
    if (j < 0 || j >= rules.length) return;
    [rules[i], rules[j]] = [rules[j], rules[i]];
    replace(rules);
  };

  return (
    <div className="rule-builder" data-testid="rule-builder">
      <table className="table rule-table" aria-label="Rules">
        <thead>
          <tr>
            <th>#</th>
            <th>Last run</th>
            <th>Rule</th>
            <th>Checks</th>
            <th>Severity</th>
            <th>Mostly</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {suite.rules.map((r, i) => {
            const outcome = outcomes.get(r.id);
            return (
              <tr key={`${r.id}-${i}`} className={editing === i ? 'row-selected' : ''} data-testid={`rule-row-${i}`}>
                <td className="muted">{i + 1}</td>
                <td>{outcome ? <StatusPill status={outcome.status} /> : <span className="muted">—</span>}</td>
                <td className="mono">{r.name ?? kindOf(r.check)}</td>
                <td>{describeCheck(r.check)}</td>
                <td>{r.severity}</td>
                <td>{r.mostly === undefined ? '' : formatPercent(r.mostly)}</td>
                <td className="row-actions">
                  <button type="button" className="small" onClick={() => move(i, -1)} disabled={i === 0} aria-label="Move up">
                    ↑
                  </button>
                  <button type="button" className="small" onClick={() => move(i, 1)} disabled={i === suite.rules.length - 1} aria-label="Move down">
                    ↓
                  </button>
                  <button type="button" className="small" onClick={() => edit(i)} data-testid={`rule-edit-${i}`}>
                    Edit
                  </button>
                  <button type="button" className="small" onClick={() => remove(i)} data-testid={`rule-delete-${i}`}>
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
          {suite.rules.length === 0 && (
            <tr>
              <td colSpan={7} className="empty">
                No rules yet: add one below, or suggest a suite from the profile.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <RuleFormView
        form={form}
        setForm={setForm}
        facts={facts}
        datasets={datasets}
        ruleIds={suite.rules.map((r) => r.id).filter((id, i) => i !== editing && id)}
        editing={editing}
        error={error}
        onSubmit={submit}
        onCancel={() => {
          setEditing(null);
          setError(null);
        }}
      />
    </div>
  );
}

interface FormProps {
  form: RuleForm;
  setForm(f: RuleForm): void;
  facts: DatasetFacts | null;
  datasets: string[];
  ruleIds: string[];
  editing: number | null;
  error: string | null;
  onSubmit(): void;
  onCancel(): void;
}

function RuleFormView({ form, setForm, facts, datasets, ruleIds, editing, error, onSubmit, onCancel }: FormProps) {
  const set = (patch: Partial<RuleForm>) => setForm({ ...form, ...patch });
  const columns = facts?.columns ?? [];
  const needs = needsOf(form.kind);
  const column = facts?.profile.get(form.column);
  return (
    <form
      className="rule-form"
      data-testid="rule-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h4 className="section-title">{editing === null ? 'Add a rule' : `Edit rule ${editing + 1}`}</h4>
      <div className="rule-form-grid">
        <label>
          Rule
          <select value={form.kind} onChange={(e) => set({ kind: e.target.value as RuleKind })} data-testid="rule-kind">
            {RULE_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        {(usesColumn(form.kind) || needs === 'pair') && (
          <label>
            {needs === 'pair' ? 'Left column' : 'Column'}
            <ColumnSelect columns={columns} value={form.column} onChange={(c) => set({ column: c })} testId="rule-column" />
          </label>
        )}
        {needs === 'columns' && (
          <fieldset className="column-checks">
            <legend>Columns (a compound key when several)</legend>
            {columns.map((c) => (
              <label key={c.name} className="check-label">
                <input
                  type="checkbox"
                  checked={form.columns.includes(c.name)}
                  onChange={(e) => set({ columns: e.target.checked ? [...form.columns, c.name] : form.columns.filter((x) => x !== c.name) })}
                />
                {c.name}
              </label>
            ))}
          </fieldset>
        )}
        <KindFields form={form} set={set} columns={columns} datasets={datasets} ruleIds={ruleIds} />
        <label>
          Severity
          <select value={form.severity} onChange={(e) => set({ severity: e.target.value as RuleForm['severity'] })}>
            <option value="error">error (fails the suite)</option>
            <option value="warn">warn (reported only)</option>
          </select>
        </label>
        {isRowLevel(form.kind) && (
          <label>
            Mostly
            <input value={form.mostly} onChange={(e) => set({ mostly: e.target.value })} placeholder="1 (all rows)" inputMode="decimal" title="Share of rows that must pass, e.g. 0.99" />
          </label>
        )}
        <label>
          Name
          <input value={form.name} onChange={(e) => set({ name: e.target.value })} placeholder="optional" />
        </label>
      </div>
      {column && usesColumn(form.kind) && <ColumnHints column={column} form={form} set={set} />}
      {error && (
        <p className="error-text small-text" role="alert" data-testid="rule-form-error">
          {error}
        </p>
      )}
      <div className="toolbar">
        <button type="submit" className="primary" data-testid="rule-submit">
          {editing === null ? 'Add rule' : 'Update rule'}
        </button>
        {editing !== null && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function ColumnSelect({ columns, value, onChange, testId }: { columns: ColumnSchema[]; value: string; onChange(c: string): void; testId?: string }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      {!columns.some((c) => c.name === value) && <option value={value}>{value || '(choose)'}</option>}
      {columns.map((c) => (
        <option key={c.name} value={c.name}>
          {c.name} · {c.dtype}
        </option>
      ))}
    </select>
  );
}

function KindFields({ form, set, columns, datasets, ruleIds }: { form: RuleForm; set(p: Partial<RuleForm>): void; columns: ColumnSchema[]; datasets: string[]; ruleIds: string[] }) {
  switch (needsOf(form.kind)) {
    case 'range':
    case 'table':
      return (
        <>
          {form.kind === 'quantile' && (
            <label>
              q
              <input value={form.q} onChange={(e) => set({ q: e.target.value })} inputMode="decimal" />
            </label>
          )}
          <label>
            Min
            <input value={form.min} onChange={(e) => set({ min: e.target.value })} inputMode="decimal" data-testid="rule-min" />
          </label>
          <label className="check-label">
            <input type="checkbox" checked={form.minExclusive} onChange={(e) => set({ minExclusive: e.target.checked })} /> exclusive
          </label>
          <label>
            Max
            <input value={form.max} onChange={(e) => set({ max: e.target.value })} inputMode="decimal" data-testid="rule-max" />
          </label>
          <label className="check-label">
            <input type="checkbox" checked={form.maxExclusive} onChange={(e) => set({ maxExclusive: e.target.checked })} /> exclusive
          </label>
        </>
      );
    case 'values':
      return (
        <label className="wide">
          Values (comma-separated)
          <input value={form.values} onChange={(e) => set({ values: e.target.value })} data-testid="rule-values" />
        </label>
      );
    case 'pattern':
      return (
        <label className="wide">
          Pattern (search; anchor with ^…$)
          <input className="mono" value={form.pattern} onChange={(e) => set({ pattern: e.target.value })} data-testid="rule-pattern" />
        </label>
      );
    case 'type':
      return (
        <label>
          Type
          <select value={form.typeName} onChange={(e) => set({ typeName: e.target.value })}>
            {TYPE_NAMES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
      );
    case 'period':
      return (
        <label>
          Max age
          <input value={form.maxAge} onChange={(e) => set({ maxAge: e.target.value })} placeholder="36h, 7d" />
        </label>
      );
    case 'reference':
      return (
        <>
          <label>
            Data set
            <select value={form.refDataset} onChange={(e) => set({ refDataset: e.target.value })} data-testid="rule-ref-dataset">
              <option value="">(choose)</option>
              {datasets.map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
          </label>
          <label>
            Its column
            <input value={form.refColumn} onChange={(e) => set({ refColumn: e.target.value })} data-testid="rule-ref-column" />
          </label>
        </>
      );
    case 'pair':
      return (
        <>
          <label>
            Operator
            <select value={form.op} onChange={(e) => set({ op: e.target.value as RuleForm['op'] })}>
              {CMP_OPS.map((op) => (
                <option key={op}>{op}</option>
              ))}
            </select>
          </label>
          <label>
            Right column
            <ColumnSelect columns={columns} value={form.right} onChange={(c) => set({ right: c })} />
          </label>
        </>
      );
    case 'sql':
      return (
        <label className="wide">
          SQL predicate (true for a good row; null passes)
          <input className="mono" value={form.sql} onChange={(e) => set({ sql: e.target.value })} placeholder="arr_delay < 1500" />
        </label>
      );
    case 'change':
      return (
        <>
          <label>
            Metric
            <select value={form.of} onChange={(e) => set({ of: e.target.value })}>
              <option value="row_count">row count</option>
              {ruleIds.map((id) => (
                <option key={id} value={id}>
                  rule {id}
                </option>
              ))}
            </select>
          </label>
          <label>
            Max change %
            <input value={form.maxPercent} onChange={(e) => set({ maxPercent: e.target.value })} inputMode="decimal" />
          </label>
          <label>
            Past runs
            <input value={form.runs} onChange={(e) => set({ runs: e.target.value })} inputMode="numeric" />
          </label>
        </>
      );
    default:
      return null;
  }
}

/** What the profile says about the chosen column, with one-click fills. */
function ColumnHints({ column, form, set }: { column: ColumnProfile; form: RuleForm; set(p: Partial<RuleForm>): void }) {
  const n = column.numeric;
  const top = column.top_values.slice(0, 12);
  const needs = needsOf(form.kind);
  return (
    <div className="rule-hints small-text" data-testid="rule-hints">
      <span className="muted">From the profile:</span> {column.dtype} · {formatPercent(column.missing_fraction)} missing · {formatInt(column.distinct)} distinct
      {n && n.min !== null && (
        <>
          {' '}
          · range {formatNumber(n.min)} … {formatNumber(n.max)}
          {form.kind === 'between' && (
            <button type="button" className="small link-button" onClick={() => set({ min: String(n.min), max: String(n.max) })} data-testid="hint-range">
              use observed range
            </button>
          )}
        </>
      )}
      {column.text && form.kind === 'length' && (
        <button type="button" className="small link-button" onClick={() => set({ min: String(column.text?.min_length), max: String(column.text?.max_length) })}>
          use observed lengths {column.text.min_length}–{column.text.max_length}
        </button>
      )}
      {needs === 'values' && top.length > 0 && (
        <div className="hint-values">
          <span className="muted">Frequent values:</span>
          {top.map((v) => (
            <button key={v.value} type="button" className="chip" onClick={() => set({ values: form.values ? `${form.values}, ${v.value}` : v.value })}>
              {v.value} <span className="muted">{formatInt(v.count)}</span>
            </button>
          ))}
          {column.distinct <= top.length && (
            <button type="button" className="small link-button" onClick={() => set({ values: top.map((v) => v.value).join(', ') })} data-testid="hint-all-values">
              use all {column.distinct}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
