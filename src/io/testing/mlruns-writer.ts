// Test helper (src/io/mlflow-dir.test.ts): one of several processes writing into the same MLflow store at once.
// Usage: tsx src/io/testing/mlruns-writer.ts ROOT WRITER RUNS
import { randomUUID } from 'node:crypto';
import { ensureExperiment, registerModelVersion, writeRun } from '../mlflow-dir.ts';
import { trainingToMlflowRun } from '../../core/mlflow/training.ts';

const [root, writer, runs] = process.argv.slice(2);
for (let i = 0; i < Number(runs); i++) {
  const now = 1700000000000 + i;
  const exp = await ensureExperiment(root, 'Shared', now);
  const runId = randomUUID().replace(/-/g, '');
  const run = trainingToMlflowRun({
    runId,
    experimentId: exp.experimentId,
    artifactLocation: exp.artifactLocation,
    runName: `w${writer}-r${i}`,
    sourceName: 'mlruns-writer',
    startTimeMs: now,
    endTimeMs: now + 1,
    status: 'FINISHED',
    params: { writer: Number(writer), i },
    history: [{ phase: 'ppo', iteration: 1, elapsedS: 0, metrics: { 'charts/SPS': i } }],
    evaluation: { profitEur: i, oracleProfitEur: 10, shareOfOracle: i / 10, equivalentCycles: 1 },
    labels: [],
    tags: {},
    modelJson: '{}',
  });
  await writeRun(root, run);
  await registerModelVersion(root, {
    name: 'Shared',
    runId,
    source: `${run.artifactUri}/model`,
    stage: 'Production',
    nowMs: now,
    userId: null,
  });
}
