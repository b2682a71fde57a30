// Comparing stored runs as MLflow's runs view does: each run's recorded parameters flattened with dots (the same
// keys the MLflow export logs), the settings that differ between the runs as table columns, sorting and filtering
// on any column, and the side-by-side diff of two runs' parameters and results.
//
// Usage: const cols = runColumns(runs); const shown = sortRuns(filterRuns(runs, cols, 'seed=2'), cols, sort);
//        const rows = diffParams(a, b);

import type { RunSummary } from './store.ts';
import { flattenParams } from '../../core/mlflow/training.ts';
import { resolveBattery } from '../../core/battery/index.ts';
import { keptLabel } from '../lib/kept.ts';
import { eur, pct } from '../format.ts';

/** A run as the comparison reads it: a stored summary (or the full record, a superset). */
type Comparable = Pick<RunSummary, 'id' | 'params' | 'inputs'> & Partial<RunSummary>;

/** The training panel's settings, as the trainer's parameter keys (for runs stored before their params were). */
const SETTING_KEYS: Record<string, string> = {
  sellAboveAvgBonusCoef: 'env.sellAboveAvgBonusCoef',
  buyAboveAvgPenaltyEurPerKWh: 'env.buyAboveAvgPenaltyEurPerKWh',
  numActions: 'env.numActions',
  horizonHours: 'env.horizonHours',
  plannerBiasWeight: 'env.plannerBiasWeight',
  plannerLastDayWeight: 'env.plannerLastDayWeight',
  gamma: 'ppo.gamma',
  entCoef: 'ppo.entCoef',
  learningRate: 'ppo.learningRate',
  totalTimesteps: 'ppo.totalTimesteps',
  cloneEpochs: 'cloneConfig.epochs',
  seed: 'seed',
  clone: 'clone',
  backend: 'backend',
};

/** Readable names for the parameters a researcher tunes; other keys show as recorded (`ppo.clipCoef`). */
const LABELS: Record<string, string> = {
  'env.sellAboveAvgBonusCoef': 'Sell bonus',
  'env.buyAboveAvgPenaltyEurPerKWh': 'Buy penalty (EUR/kWh)',
  clone: 'Warm start',
  seed: 'Seed',
  'ppo.learningRate': 'Learning rate',
  'ppo.totalTimesteps': 'PPO budget (steps)',
  'cloneConfig.epochs': 'Clone epochs',
  seconds: 'Time cap (s)',
  'ppo.entCoef': 'Entropy coef',
  'ppo.gamma': 'Gamma',
  'env.numActions': 'Actions',
  'env.horizonHours': 'Horizon (h)',
  'env.plannerBiasWeight': 'Planner correction',
  'env.plannerBiasDays': 'Planner correction (days)',
  'env.plannerLastDayWeight': 'Last-day blend',
  // The trainer records `information: { mode, forecast }` (DESIGN.md "Information").
  'information.mode': 'Information',
  'information.forecast': 'Forecast',
  backend: 'Backend',
  'battery.capacityKWh': 'Capacity (kWh)',
  'battery.powerKW': 'Power (kW)',
  // The site a run trained on (RunParams.site, core/env/site.ts SiteRecord); a battery-only run has none.
  'site.pvScale': 'PV scale',
  'site.importLimitKW': 'Import limit (kW)',
  'site.exportLimitKW': 'Export limit (kW)',
  'site.importFeeEurPerMWh': 'Import fee (EUR/MWh)',
  'site.exportFeeEurPerMWh': 'Export fee (EUR/MWh)',
  'site.chargeFromPvOnly': 'Charge from PV only',
};
/** Site limits recorded as null (None once flattened) mean no limit. */
const UNLIMITED = new Set(['site.importLimitKW', 'site.exportLimitKW']);

/** The order of the columns a researcher looks at first; the other differing keys follow in key order. */
const FIRST = [
  'env.sellAboveAvgBonusCoef',
  'env.buyAboveAvgPenaltyEurPerKWh',
  'clone',
  'seed',
  'ppo.learningRate',
  'ppo.totalTimesteps',
  'cloneConfig.epochs',
  'seconds',
  'information.mode',
  'information.forecast',
  'site.pvScale',
  'site.importLimitKW',
  'site.exportLimitKW',
  'site.importFeeEurPerMWh',
  'site.exportFeeEurPerMWh',
  'site.chargeFromPvOnly',
];

/** Keys that are results or bookkeeping of the data, not settings: in the diff, never table columns. */
const NOT_COLUMNS = [/^data\./, /^budget\./, /^backend$/, /^site\.(pv|load)StdKW$/];

export function paramLabel(key: string): string {
  return LABELS[key] ?? key;
}

/**
 * The run's parameters flattened with dots. A run that recorded its trainer params uses them; an interrupted run
 * (stored before the trainer resolved them) falls back to its settings and battery as entered.
 * `complete`: whether a missing key means "not set" (full params) rather than "not known" (settings only).
 */
export function runParams(run: Comparable): { values: Record<string, string>; complete: boolean } {
  if (run.params && Object.keys(run.params).length) return { values: flattenParams(run.params), complete: true };
  const values: Record<string, string> = {};
  const settings = (run.inputs?.settings ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(settings)) {
    if (k === 'capSeconds') values.seconds = v === 0 ? 'None' : String(v);
    else if (SETTING_KEYS[k] && v !== undefined && v !== null) values[SETTING_KEYS[k]] = String(v);
  }
  if (run.inputs?.battery) {
    try {
      Object.assign(values, flattenParams({ battery: resolveBattery(run.inputs.battery) }));
    } catch {
      // An invalid battery cannot have trained: leave its fields unknown.
    }
  }
  return { values, complete: false };
}

/** One column of the runs table: its value for sorting and filtering, and its text. */
export interface RunColumn {
  id: string;
  label: string;
  numeric: boolean;
  /** A parameter column (computed from the runs' params) rather than a fixed one. */
  param: boolean;
  value: (run: RunSummary) => number | string | undefined;
  text: (run: RunSummary) => string;
}

const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** The keys whose values differ between the runs (a key unknown for a settings-only run does not count). */
export function differingKeys(runs: readonly Comparable[]): string[] {
  const params = runs.map(runParams);
  const keys = new Set(params.flatMap((p) => Object.keys(p.values)));
  const out: string[] = [];
  for (const k of keys) {
    const seen = new Set<string>();
    for (const p of params) {
      const v = p.values[k];
      if (v !== undefined) seen.add(v);
      else if (p.complete) seen.add('\u0000unset');
    }
    if (seen.size > 1) out.push(k);
  }
  const rank = (k: string) => (FIRST.includes(k) ? FIRST.indexOf(k) : FIRST.length);
  return out.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

const asNumber = (s: string | undefined): number | string | undefined => {
  if (s === undefined) return undefined;
  const x = Number(s);
  return s.trim() !== '' && Number.isFinite(x) ? x : s;
};

/** The table's columns: the fixed ones, the parameters that differ between these runs, and the results. */
export function runColumns(runs: readonly RunSummary[], status: (r: RunSummary) => string): RunColumn[] {
  const cache = new Map<string, Record<string, string>>();
  const paramsOf = (r: RunSummary) => {
    let v = cache.get(r.id);
    if (!v) cache.set(r.id, (v = runParams(r).values));
    return v;
  };
  const paramCols: RunColumn[] = differingKeys(runs)
    .filter((k) => !NOT_COLUMNS.some((re) => re.test(k)))
    .map((k) => ({
      id: `param:${k}`,
      label: paramLabel(k),
      numeric: runs.every((r) => paramsOf(r)[k] === undefined || typeof asNumber(paramsOf(r)[k]) === 'number'),
      param: true,
      value: (r) => asNumber(paramsOf(r)[k]),
      text: (r) => {
        const v = paramsOf(r)[k];
        if (v === undefined) return '—';
        if (k === 'clone') return v === 'true' ? 'teacher clone' : v === 'false' ? 'none' : v;
        if (UNLIMITED.has(k) && v === 'None') return 'unlimited';
        return v === 'None' ? 'none' : v;
      },
    }));
  const col = (
    id: string,
    label: string,
    numeric: boolean,
    value: RunColumn['value'],
    text: RunColumn['text'] = (r) => String(value(r) ?? '—'),
  ): RunColumn => ({ id, label, numeric, param: false, value, text });
  return [
    col(
      'created',
      'Created (UTC)',
      true,
      (r) => r.createdAt,
      (r) => when(r.createdAt),
    ),
    col('name', 'Name', false, (r) => r.name),
    col('data', 'Data', false, (r) => r.dataFile),
    col('backend', 'Backend', false, (r) => r.backend),
    ...paramCols,
    col('seconds', 'Seconds', true, (r) => r.seconds),
    col('status', 'Status', false, status, (r) => status(r)),
    col(
      'share',
      'Share of oracle',
      true,
      (r) => r.evaluation?.shareOfOracle,
      (r) => (r.evaluation ? pct(r.evaluation.shareOfOracle) : '—'),
    ),
    col(
      'profit',
      'Profit',
      true,
      (r) => r.evaluation?.profitEur,
      (r) => (r.evaluation ? eur(r.evaluation.profitEur, 0) : '—'),
    ),
    col(
      'kept',
      'Kept',
      false,
      (r) => keptLabel(r.kept),
      (r) => keptLabel(r.kept),
    ),
    col('tags', 'Tags', false, (r) => r.tags.join(', ')),
  ];
}

export type SortDir = 'ascending' | 'descending';
export interface SortState {
  column: string;
  dir: SortDir;
}

/** Compares two cell values: numbers numerically, text naturally; a missing value sorts last either way. */
function compareCells(a: number | string | undefined, b: number | string | undefined, dir: SortDir): number {
  const missingA = a === undefined || a === '' || (typeof a === 'number' && Number.isNaN(a));
  const missingB = b === undefined || b === '' || (typeof b === 'number' && Number.isNaN(b));
  if (missingA || missingB) return missingA === missingB ? 0 : missingA ? 1 : -1;
  const c =
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : String(a).localeCompare(String(b), 'en', { numeric: true, sensitivity: 'base' });
  return dir === 'ascending' ? c : -c;
}

/** The runs ordered by a column (a stable sort: ties keep the store's order, newest first). */
export function sortRuns(runs: readonly RunSummary[], columns: readonly RunColumn[], sort: SortState | null) {
  const col = sort && columns.find((c) => c.id === sort.column);
  if (!col || !sort) return [...runs];
  return runs
    .map((r, i) => ({ r, i, v: col.value(r) }))
    .sort((a, b) => compareCells(a.v, b.v, sort.dir) || a.i - b.i)
    .map((x) => x.r);
}

const norm = (s: string) => s.toLowerCase().replace(/[\s_()]/g, '');

/**
 * Keeps the runs matching every term of `query`. A plain term matches any cell's text (case-insensitive); a term
 * `column<op>value` tests one column, named by its label or parameter key (`seed=2`, `kept:clone`,
 * `learningrate>0.0001`, `ppo.entCoef<=0.01`); `:` means "contains", `=` equals, and `< <= > >=` compare numbers.
 * An unknown column is reported, not ignored.
 */
export function filterRuns(
  runs: readonly RunSummary[],
  columns: readonly RunColumn[],
  query: string,
): { runs: RunSummary[]; error: string | null } {
  // Words, or "quoted phrases"; a quoted value after an operator too (name:"Run 2").
  const terms = (query.match(/[^\s"]*"[^"]*"?|\S+/g) ?? []).map((t) => t.replace(/"/g, '')).filter(Boolean);
  const tests: ((r: RunSummary) => boolean)[] = [];
  for (const term of terms) {
    const m = /^([^:=<>]+)(:|=|<=|>=|<|>)(.*)$/.exec(term);
    if (!m) {
      const t = term.toLowerCase();
      tests.push((r) => columns.some((c) => c.text(r).toLowerCase().includes(t)));
      continue;
    }
    const [, name, op, rawValue] = m;
    const col = columns.find((c) => norm(c.label) === norm(name) || norm(c.id.replace(/^param:/, '')) === norm(name));
    if (!col) {
      return {
        runs: [...runs],
        error: `No column "${name}" to filter on: use one of ${columns.map((c) => c.label).join(', ')}.`,
      };
    }
    const want = rawValue.toLowerCase();
    if (op === ':') tests.push((r) => col.text(r).toLowerCase().includes(want));
    else if (op === '=')
      tests.push((r) => {
        const v = col.value(r);
        return typeof v === 'number' && want !== '' && Number.isFinite(Number(want))
          ? v === Number(want)
          : col.text(r).toLowerCase() === want || String(v ?? '').toLowerCase() === want;
      });
    else {
      const x = Number(rawValue.replace(/%$/, '')) / (rawValue.endsWith('%') ? 100 : 1);
      if (!Number.isFinite(x)) return { runs: [...runs], error: `"${term}": ${op} needs a number after it.` };
      tests.push((r) => {
        const v = col.value(r);
        if (typeof v !== 'number') return false;
        return op === '<' ? v < x : op === '<=' ? v <= x : op === '>' ? v > x : v >= x;
      });
    }
  }
  return { runs: runs.filter((r) => tests.every((t) => t(r))), error: null };
}

/** One row of the parameter diff. */
export interface DiffRow {
  key: string;
  label: string;
  a: string;
  b: string;
  differs: boolean;
}

/** Every parameter of two runs side by side, the differing ones first (then in key order). */
export function diffParams(a: Comparable, b: Comparable): DiffRow[] {
  const pa = runParams(a).values;
  const pb = runParams(b).values;
  const keys = [...new Set([...Object.keys(pa), ...Object.keys(pb)])];
  const rows = keys.map((key) => ({
    key,
    label: paramLabel(key),
    a: pa[key] ?? '—',
    b: pb[key] ?? '—',
    differs: (pa[key] ?? '—') !== (pb[key] ?? '—'),
  }));
  const rank = (k: string) => (FIRST.includes(k) ? FIRST.indexOf(k) : FIRST.length);
  return rows.sort(
    (x, y) => Number(y.differs) - Number(x.differs) || rank(x.key) - rank(y.key) || (x.key < y.key ? -1 : 1),
  );
}

/** One row of the results diff: both runs' values and B − A where both are numbers. */
export interface ResultRow {
  label: string;
  a: string;
  b: string;
  delta: string;
  differs: boolean;
}

export function diffResults(a: RunSummary, b: RunSummary): ResultRow[] {
  const d = (x: number | undefined, y: number | undefined, f: (v: number) => string, sign = true) =>
    x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y)
      ? `${sign && y - x > 0 ? '+' : ''}${f(y - x)}`
      : '—';
  const pts = (v: number) => `${pct(v).replace('%', '')} points`;
  const row = (label: string, x: string, y: string, delta = '—'): ResultRow => ({
    label,
    a: x,
    b: y,
    delta,
    differs: x !== y,
  });
  const ea = a.evaluation;
  const eb = b.evaluation;
  return [
    row('Status', a.status, b.status),
    row(
      'Share of oracle (test)',
      pct(ea?.shareOfOracle),
      pct(eb?.shareOfOracle),
      d(ea?.shareOfOracle, eb?.shareOfOracle, pts),
    ),
    row(
      'Agent profit',
      eur(ea?.profitEur),
      eur(eb?.profitEur),
      d(ea?.profitEur, eb?.profitEur, (v) => eur(v)),
    ),
    row('Oracle profit (same split)', eur(ea?.oracleProfitEur), eur(eb?.oracleProfitEur)),
    row('Kept policy', keptLabel(a.kept), keptLabel(b.kept)),
    row(
      'Validation share (kept)',
      pct(a.kept?.validationShare),
      pct(b.kept?.validationShare),
      d(a.kept?.validationShare, b.kept?.validationShare, pts),
    ),
    row('Equivalent cycles', ea ? ea.equivalentCycles.toFixed(1) : '—', eb ? eb.equivalentCycles.toFixed(1) : '—'),
    row('Progress records', String(a.iterations ?? '—'), String(b.iterations ?? '—')),
    row('Training time (s)', String(a.seconds ?? '—'), String(b.seconds ?? '—')),
    row('Ended', a.stopReason ?? '—', b.stopReason ?? '—'),
    row('Data', a.dataFile ?? '—', b.dataFile ?? '—'),
  ];
}
