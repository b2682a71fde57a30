import { describe, expect, it } from 'vitest';
import type { MlflowRun } from '../mlflow/layout.ts';
import { KEPT_TAG } from '../mlflow/training.ts';
import { SWEEP_TAGS, taskRunOf } from './mlflow.ts';

const sweepRun = (tags: Record<string, string>, metrics: MlflowRun['metrics'] = {}): MlflowRun => ({
  runId: 'a'.repeat(32),
  experimentId: '1',
  runName: 's #0',
  userId: 'test',
  status: 'FINISHED',
  startTimeMs: 0,
  endTimeMs: 1,
  lifecycleStage: 'active',
  artifactUri: './mlruns/1/x/artifacts',
  params: { seed: '1' },
  tags: { [SWEEP_TAGS.name]: 's', [SWEEP_TAGS.config]: 'c1', ...tags },
  metrics,
  artifacts: [],
});

describe('taskRunOf', () => {
  it('reads the kept policy from the tag’s JSON, or the plain source older stores wrote; nothing else', () => {
    const kept = { source: 'ppo', validationShare: 0.7, cloneValidationShare: 0.6, ppoValidationShare: 0.7 };
    expect(taskRunOf(sweepRun({ [KEPT_TAG]: JSON.stringify(kept) }))!.kept).toBe('ppo');
    expect(taskRunOf(sweepRun({ [KEPT_TAG]: 'clone' }))!.kept).toBe('clone');
    expect(taskRunOf(sweepRun({ [KEPT_TAG]: '{"validationShare":0.7}' }))!.kept).toBe('');
    expect(taskRunOf(sweepRun({}))!.kept).toBe('');
  });

  it('takes the last trained share from the last charts/test_share point, NaN without one', () => {
    const pts = [0.4, 0.5, 0.45].map((value, step) => ({ timestampMs: step, value, step }));
    expect(taskRunOf(sweepRun({}, { 'charts/test_share': pts }))!.lastTrainedShare).toBe(0.45);
    expect(taskRunOf(sweepRun({}))!.lastTrainedShare).toBeNaN();
  });
});
