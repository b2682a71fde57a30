// RL benchmark (issue 5 §7), Node: rollout env-steps per second (plain-TS forward, no learning), PPO SPS end to
// end (rollout + tfjs updates), and the time each dev market-year's run first reaches 80/90/95% of the oracle on
// its validation slice, plus the final test-split share. bench/run.ts imports `bench` and prints the table.
import { loadPriceFile, selectNodeBackend } from '../src/cli/commands/rl-node.ts';
import { createTrainer } from '../workers/trainer.ts';
import { benchSplit, progressTracker, rolloutSps, secondsCell } from './rl-measure.ts';

const DATA = new URL('../test-data/real/', import.meta.url).pathname;
const HOURLY = [
  'be-2023-hourly.csv',
  'de-lu-2023-hourly.csv',
  'dk1-2023-hourly.csv',
  'fr-2022-hourly.csv',
  'fi-2020-hourly.csv',
  'pt-2023-hourly.csv',
  'be-2022-hourly-iso.csv',
];

/** Runs the benchmark; quick mode: one market-year, 30 s of training. */
export async function bench(opts: {
  quick: boolean;
}): Promise<{ title: string; columns: string[]; rows: (string | number)[][]; json: unknown }> {
  const files = opts.quick ? HOURLY.slice(0, 1) : HOURLY;
  const seconds = opts.quick ? 30 : 120;
  const rows: (string | number)[][] = [];
  const json: Record<string, unknown>[] = [];
  for (const f of files) {
    const s = await loadPriceFile(DATA + f);
    const rollout = rolloutSps(s, opts.quick ? 2000 : 10000);
    const track = progressTracker();
    const trainer = createTrainer({ selectBackend: selectNodeBackend });
    const res = await trainer.start(
      { ...benchSplit(s), battery: {}, seconds, seed: 1, backend: 'auto' },
      track.onProgress,
    );
    const { reached } = track;
    const sps = track.sps();
    rows.push([
      f,
      Math.round(rollout),
      Math.round(sps),
      secondsCell(reached[0.8]),
      secondsCell(reached[0.9]),
      secondsCell(reached[0.95]),
      Number((100 * res.backtest.shareOfOracle).toFixed(2)),
      res.backend,
    ]);
    json.push({
      file: f,
      rolloutEnvStepsPerS: rollout,
      ppoSps: sps,
      secondsTo: reached,
      testShareOfOracle: res.backtest.shareOfOracle,
      backend: res.backend,
      seconds,
    });
  }
  return {
    title: `RL (Node, ${seconds} s per market-year, seed 1; time to X% is on the validation slice, share on the test split)`,
    columns: [
      'market-year',
      'rollout env-steps/s',
      'PPO SPS',
      's to 80%',
      's to 90%',
      's to 95%',
      'test share %',
      'backend',
    ],
    rows,
    json,
  };
}
