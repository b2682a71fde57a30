// A sweep's runs aggregated per configuration (the tasks that differ only in seed): share of the oracle and profit
// at actual prices on the test split, median and spread (min, max, standard deviation) over the seeds. Pure: the
// CLI (bess sweep-report) reads the MLflow store and passes one TaskRun per run.

/** One run of a sweep task, as read from the store. */
export interface TaskRun {
  sweep: string;
  configId: string;
  /** The configuration's settings that define it (`task.file`, `task.battery.capacityKWh`, …), as text. */
  config: Record<string, string>;
  seed: number;
  status: string;
  shareOfOracle: number;
  profitEur: number;
  oracleProfitEur: number;
  /** Other strategies' shares on the same split (`rolling_horizon_24_h` → 0.97). */
  compareShares: Record<string, number>;
  /** The policy the run kept ('clone', 'ppo', 'init'); '' when the run does not say. */
  kept: string;
  /**
   * The test share of the last policy training produced (its last evaluated PPO iteration, else the clone's last
   * epoch), kept or not: what the settings made of the policy itself, where keep-best may have set it aside. NaN
   * when the run logged none.
   */
  lastTrainedShare: number;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Sample standard deviation (0 for one seed). */
  std: number;
}

export interface ConfigRow {
  sweep: string;
  configId: string;
  config: Record<string, string>;
  /** Seeds with a FINISHED run. */
  seeds: number[];
  /** Runs not FINISHED (RUNNING, FAILED, KILLED). */
  unfinished: number;
  shareOfOracle: Spread;
  profitEur: Spread;
  oracleProfitEur: number;
  /** Median share of each compared strategy. */
  compareShares: Record<string, number>;
  /** How many finished runs kept each policy ('clone' → 2, 'ppo' → 1). */
  kept: Record<string, number>;
  /** The spread of TaskRun.lastTrainedShare over the finished runs that logged one. */
  lastTrainedShare: Spread;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { median: NaN, min: NaN, max: NaN, std: NaN };
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const std = s.length > 1 ? Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (s.length - 1)) : 0;
  return { median, min: s[0], max: s[s.length - 1], std };
}

/** Groups runs by (sweep, configuration), in order of first appearance of the sorted input (sweep, then config text). */
export function aggregateSweep(runs: readonly TaskRun[]): ConfigRow[] {
  const key = (r: TaskRun) => `${r.sweep}\u0000${r.configId}`;
  const groups = new Map<string, TaskRun[]>();
  const order = [...runs].sort(
    (a, b) =>
      a.sweep.localeCompare(b.sweep) ||
      configText(a.config).localeCompare(configText(b.config), 'en', { numeric: true }) ||
      a.seed - b.seed,
  );
  for (const r of order) {
    const g = groups.get(key(r));
    if (g) g.push(r);
    else groups.set(key(r), [r]);
  }
  return [...groups.values()].map((g) => {
    const done = g.filter((r) => r.status === 'FINISHED');
    const names = [...new Set(done.flatMap((r) => Object.keys(r.compareShares)))].sort();
    return {
      sweep: g[0].sweep,
      configId: g[0].configId,
      config: g[0].config,
      seeds: done.map((r) => r.seed),
      unfinished: g.length - done.length,
      shareOfOracle: spread(done.map((r) => r.shareOfOracle)),
      profitEur: spread(done.map((r) => r.profitEur)),
      oracleProfitEur: done[0]?.oracleProfitEur ?? NaN,
      compareShares: Object.fromEntries(
        names.map((n) => [n, spread(done.flatMap((r) => (n in r.compareShares ? [r.compareShares[n]] : []))).median]),
      ),
      kept: done.reduce<Record<string, number>>((m, r) => (r.kept ? { ...m, [r.kept]: (m[r.kept] ?? 0) + 1 } : m), {}),
      lastTrainedShare: spread(done.map((r) => r.lastTrainedShare).filter((x) => Number.isFinite(x))),
    };
  });
}

/** `key=value` pairs of a configuration, sorted by key. */
export function configText(config: Record<string, string>): string {
  return Object.keys(config)
    .sort()
    .map((k) => `${k}=${config[k]}`)
    .join(' ');
}
