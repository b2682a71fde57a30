import { describe, expect, it } from 'vitest';
import { describeKept, keptLabel } from './kept.ts';

describe('describeKept', () => {
  it('names the clone and the fine-tuned best that did not beat it by the margin', () => {
    const s = describeKept(
      { source: 'clone', validationShare: 0.961, cloneValidationShare: 0.961, ppoValidationShare: 0.958 },
      0.01,
    );
    expect(s).toBe(
      'Kept: teacher clone (validation 96.1%); fine-tuned best 95.8% did not beat it by the 1-point margin',
    );
  });
  it('names the fine-tuned policy with the clone it beat, or says there was no warm start', () => {
    expect(
      describeKept(
        { source: 'ppo', validationShare: 0.975, cloneValidationShare: 0.961, ppoValidationShare: 0.975 },
        0.01,
      ),
    ).toBe('Kept: fine-tuned (validation 97.5%, clone 96.1%)');
    expect(
      describeKept(
        { source: 'ppo', validationShare: 0.62, cloneValidationShare: null, ppoValidationShare: 0.62 },
        0.01,
      ),
    ).toMatch(/^Kept: fine-tuned \(validation 62\.0%; PPO only/);
  });
  it('under day-ahead, names the held-out half that confirmed or overturned the fine-tuned policy', () => {
    const confirm = { ppoShare: 0.702, cloneShare: 0.731 };
    expect(
      describeKept(
        { source: 'clone', validationShare: 0.74, cloneValidationShare: 0.74, ppoValidationShare: 0.77, confirm },
        0.01,
      ),
    ).toBe(
      'Kept: teacher clone (validation 74.0%); fine-tuned best 77.0% beat it on validation but not by the 1-point margin on the held-out half: fine-tuned 70.2%, clone 73.1%',
    );
    expect(
      describeKept(
        {
          source: 'ppo',
          validationShare: 0.77,
          cloneValidationShare: 0.74,
          ppoValidationShare: 0.77,
          confirm: { ppoShare: 0.75, cloneShare: 0.73 },
        },
        0.01,
      ),
    ).toBe('Kept: fine-tuned (validation 77.0%, clone 74.0%; held-out half: fine-tuned 75.0%, clone 73.0%)');
  });
  it('names the per-day check where the run has it: the days, the t it reached and the t it needed', () => {
    const confirm = { ppoShare: 0.766, cloneShare: 0.742, days: 21, meanGainEur: 12, tStat: 0.34 };
    expect(
      describeKept(
        { source: 'clone', validationShare: 0.639, cloneValidationShare: 0.639, ppoValidationShare: 0.665, confirm },
        0.01,
        2,
      ),
    ).toBe(
      'Kept: teacher clone (validation 63.9%); fine-tuned best 66.5% beat it on validation but not by the 1-point margin with per-day t ≥ 2 on the held-out half (21 days): fine-tuned 76.6%, clone 74.2%, per-day gain t 0.34',
    );
    expect(
      describeKept(
        {
          source: 'ppo',
          validationShare: 0.77,
          cloneValidationShare: 0.74,
          ppoValidationShare: 0.77,
          confirm: { ...confirm, tStat: 2.5 },
        },
        0.01,
        2,
      ),
    ).toBe(
      'Kept: fine-tuned (validation 77.0%, clone 74.0%; held-out half (21 days): fine-tuned 76.6%, clone 74.2%, per-day gain t 2.50)',
    );
  });
  it('says when no fine-tuning ran, and uses the margin it is given', () => {
    expect(
      describeKept(
        { source: 'clone', validationShare: 0.9, cloneValidationShare: 0.9, ppoValidationShare: null },
        0.01,
      ),
    ).toBe('Kept: teacher clone (validation 90.0%); no fine-tuning ran');
    expect(
      describeKept(
        { source: 'init', validationShare: 0.1, cloneValidationShare: null, ppoValidationShare: 0.105 },
        0.005,
      ),
    ).toBe('Kept: untrained policy (validation 10.0%); fine-tuned best 10.5% did not beat it by the 0.5-point margin');
  });
  it('labels the runs table column, with a dash for runs stored without it', () => {
    expect(
      keptLabel({ source: 'clone', validationShare: 0.9, cloneValidationShare: 0.9, ppoValidationShare: null }),
    ).toBe('clone');
    expect(
      keptLabel({ source: 'ppo', validationShare: 0.9, cloneValidationShare: null, ppoValidationShare: 0.9 }),
    ).toBe('fine-tuned');
    expect(keptLabel(undefined)).toBe('—');
  });
});
