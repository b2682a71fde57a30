import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadModelFromMlruns, mlflowTrainFlags } from './mlflow.ts';
import { readStoreDir } from '../io/mlflow-dir.ts';

const FIXTURE = 'test-data/mlflow/mlflow-store';
const run = promisify(execFile);
const bess = (args: string[]) =>
  run(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli/bess.ts', ...args], { encoding: 'utf8' });

describe('mlflowTrainFlags(args)', () => {
  // The flags as the strict parser hands them over: `--name value` pairs.
  const flags = (s: string) => {
    const words = s.split(' ');
    const values: Record<string, string> = {};
    for (let i = 0; i < words.length; i += 2) values[words[i].slice(2)] = words[i + 1];
    return mlflowTrainFlags(values);
  };
  it('defaults the experiment and stage, canonicalises the stage', () => {
    expect(flags('--mlruns m')).toEqual({ mlruns: 'm', experiment: 'PowerBidder', register: undefined, stage: 'None' });
    expect(flags('--mlruns m --experiment X --register BatteryPPOModel --stage production')).toEqual({
      mlruns: 'm',
      experiment: 'X',
      register: 'BatteryPPOModel',
      stage: 'Production',
    });
    expect(flags('--out d')).toBeNull();
  });
  it('names the flag that cannot be used', () => {
    expect(() => flags('--register M')).toThrow('--register needs --mlruns DIR');
    expect(() => flags('--mlruns m --stage Production')).toThrow('--stage needs --register NAME');
    expect(() => flags('--mlruns m --register M --stage Live')).toThrow(
      /--stage must be one of None, Staging, Production, Archived/,
    );
    expect(() => flags('--mlruns m --register a/b')).toThrow(/may not contain/);
  });
});

describe('loadModelFromMlruns(uri, mlruns) on a store laid out by MLflow', () => {
  it("resolves models:/NAME/STAGE and @ALIAS to the version's run and its model artifact", async () => {
    const prod = await loadModelFromMlruns('models:/BatteryPPOModel/Production', FIXTURE);
    expect(prod.where).toBe(
      'models:/BatteryPPOModel/Production (run 5f3c9a2b7d1e4c6f8a0b2d4e6f8a1c3e, artifacts/model/model.json)',
    );
    expect(JSON.parse(prod.text).format).toBe('powerbidder-policy/1');
    expect((await loadModelFromMlruns('models:/BatteryPPOModel@champion', FIXTURE)).text).toBe(prod.text);
    expect((await loadModelFromMlruns('runs:/5f3c9a2b7d1e4c6f8a0b2d4e6f8a1c3e/model', FIXTURE)).text).toBe(prod.text);
  });
  it('says what is missing', async () => {
    await expect(loadModelFromMlruns('models:/BatteryPPOModel/Production', undefined)).rejects.toThrow(
      /needs --mlruns DIR/,
    );
    await expect(loadModelFromMlruns('runs:/a1b2c3d4e5f60718293a4b5c6d7e8f90', FIXTURE)).rejects.toThrow(
      /has no artifacts\/model\/model.json \(not a PowerBidder training\)/,
    );
    await expect(loadModelFromMlruns('runs:/xyz', FIXTURE)).rejects.toThrow(/32-hex run id/);
    await expect(loadModelFromMlruns('models:/BatteryPPOModel/Staging', FIXTURE)).rejects.toThrow(/no such version/);
    await expect(loadModelFromMlruns('models:/X/None', 'no/such/dir')).rejects.toThrow(/no such folder/);
  });
});

describe('bess train --mlruns, bess backtest --model models:/…', () => {
  it('trains into a store, registers in Production, and backtests the registered model by name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bess-mlruns-'));
    try {
      const mlruns = join(dir, 'mlruns');
      const trained = JSON.parse(
        (
          await bess([
            'train',
            '--train',
            'test-data/mlflow/be-2023-first-14-days.csv',
            '--seconds',
            '1',
            '--backend',
            'cpu',
            '--mlruns',
            mlruns,
            '--register',
            'BatteryPPOModel',
            '--stage',
            'Production',
            '--json',
          ])
        ).stdout,
      );
      expect(trained.out).toBeNull();
      expect(trained.mlflow).toMatchObject({ runId: expect.stringMatching(/^[0-9a-f]{32}$/), modelVersion: 1 });
      const { store, skipped } = await readStoreDir(mlruns);
      expect(skipped).toEqual([]);
      const r = store.runs.find((x) => x.runId === trained.mlflow.runId)!;
      expect(store.experiments.find((e) => e.experimentId === r.experimentId)!.name).toBe('PowerBidder');
      expect(r.params['data.file']).toBe('test-data/mlflow/be-2023-first-14-days.csv');
      expect(r.params.backend).toBe('cpu');
      expect(r.params['data.fingerprint']).toMatch(/^[0-9a-f]{8}-252$/);
      expect(r.tags).toMatchObject({ 'mlflow.source.name': 'bess train', 'mlflow.source.type': 'LOCAL' });
      expect(r.metrics['eval/share_of_oracle'][0].value).toBeCloseTo(trained.shareOfOracle, 12);
      expect(r.artifacts.map((a) => a.path).sort()).toEqual(['backtest/trace.csv', 'model/model.json']);
      const bt = JSON.parse(
        (
          await bess([
            'backtest',
            '--model',
            'models:/BatteryPPOModel/Production',
            '--mlruns',
            mlruns,
            'test-data/mlflow/be-2023-first-14-days.csv',
            '--json',
          ])
        ).stdout,
      );
      expect(bt.model).toBe('models:/BatteryPPOModel/Production');
      expect(bt.steps).toBe(336);
      expect(bt.oracleProfitEur).toBeGreaterThan(0);
      expect(bt.profitEur).toBeLessThanOrEqual(bt.oracleProfitEur);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
