import { describe, expect, it } from 'vitest';
import { resolveBattery } from '../../core/battery/index.ts';
import { MEASURED_THROUGHPUT } from '../../core/rl/budget.ts';
import type { TrainResult } from '../../../workers/trainer-api.ts';
import { estimateRun, throughputOf } from './budget-estimate.ts';
import { DEFAULT_SETTINGS } from './presets.ts';

const data = { trainSteps: 6570, dtHours: 1, battery: resolveBattery({}) };

describe('estimateRun', () => {
  it('grows with the budget and drops the teacher and cloning without a warm start', () => {
    const base = estimateRun(DEFAULT_SETTINGS, data)!;
    const more = estimateRun({ ...DEFAULT_SETTINGS, cloneEpochs: 2 * DEFAULT_SETTINGS.cloneEpochs }, data)!;
    const scratch = estimateRun({ ...DEFAULT_SETTINGS, clone: false }, data)!;
    expect(base.seconds).toBeGreaterThan(0);
    expect(more.work.cloneSamples).toBe(2 * base.work.cloneSamples);
    expect(more.seconds).toBeGreaterThan(base.seconds);
    expect(scratch.work.teacherRows).toBe(0);
    expect(scratch.seconds).toBeCloseTo(base.work.ppoTimesteps * MEASURED_THROUGHPUT.ppoSecondsPerStep, 9);
  });
  it('is capped by the time cap and null for settings the trainer rejects', () => {
    expect(estimateRun({ ...DEFAULT_SETTINGS, capSeconds: 1 }, data)!.seconds).toBe(1);
    expect(estimateRun({ ...DEFAULT_SETTINGS, numActions: 4 }, data)).toBeNull();
  });
});

describe('throughputOf', () => {
  it('reads each phase’s rate from a run’s progress times and work', () => {
    const result = {
      params: { budget: { teacherRows: 1000, cloneSamples: 4000 }, cloneConfig: { epochs: 2 } },
      history: [
        { phase: 'backend', iteration: 0, elapsedS: 0, metrics: {} },
        { phase: 'clone', iteration: 0, elapsedS: 1, metrics: {} },
        { phase: 'clone', iteration: 1, elapsedS: 3, metrics: {} },
        { phase: 'clone', iteration: 2, elapsedS: 5, metrics: {} },
        { phase: 'ppo', iteration: 1, elapsedS: 7, metrics: { 'charts/global_step': 1000 } },
      ],
    } as unknown as TrainResult;
    expect(throughputOf(result)).toEqual({
      teacherSecondsPerRow: 1 / 1000,
      cloneSecondsPerSample: 4 / 4000,
      ppoSecondsPerStep: 2 / 1000,
    });
  });
});
