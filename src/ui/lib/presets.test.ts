import { describe, expect, it } from 'vitest';
import { DEFAULT_ENV_CONFIG } from '../../core/env/config.ts';
import { DEFAULT_CLONE_CONFIG, DEFAULT_PPO_CONFIG } from '../../core/rl/config.ts';
import {
  DEFAULT_SETTINGS,
  EXPLAIN,
  PRESETS,
  presetMatches,
  presetShown,
  toRequestOptions,
  validateSettings,
} from './presets.ts';

describe('presets', () => {
  it('the default settings are the RL code’s defaults, with no time cap', () => {
    const { env, ppo, cloneOptions, seconds } = toRequestOptions(DEFAULT_SETTINGS);
    for (const [k, v] of Object.entries(env)) expect(v).toBe(DEFAULT_ENV_CONFIG[k as keyof typeof DEFAULT_ENV_CONFIG]);
    for (const [k, v] of Object.entries(ppo)) expect(v).toBe(DEFAULT_PPO_CONFIG[k as keyof typeof DEFAULT_PPO_CONFIG]);
    expect(cloneOptions).toEqual({ epochs: DEFAULT_CLONE_CONFIG.epochs });
    expect(seconds).toBeUndefined();
    expect(toRequestOptions({ ...DEFAULT_SETTINGS, capSeconds: 30 }).seconds).toBe(30);
  });
  it('every setting has an explanation and every preset is valid', () => {
    for (const k of Object.keys(DEFAULT_SETTINGS))
      expect(EXPLAIN[k as keyof typeof EXPLAIN].length).toBeGreaterThan(10);
    for (const p of PRESETS) expect(validateSettings({ ...DEFAULT_SETTINGS, ...p.settings })).toBeNull();
  });
  it('validateSettings names what is wrong', () => {
    expect(validateSettings({ ...DEFAULT_SETTINGS, numActions: 4 })).toMatch(/odd/);
    expect(validateSettings({ ...DEFAULT_SETTINGS, gamma: 1.5 })).toMatch(/γ/);
    expect(validateSettings({ ...DEFAULT_SETTINGS, cloneEpochs: 1.5 })).toMatch(/Clone epochs/);
    expect(validateSettings({ ...DEFAULT_SETTINGS, totalTimesteps: -1 })).toMatch(/PPO steps/);
  });
  it('the select shows the chosen preset while the settings equal it, and “custom” once one is changed', () => {
    const money = PRESETS.find((p) => p.id === 'money')!;
    const applied = { ...DEFAULT_SETTINGS, ...money.settings };
    expect(presetMatches(applied, money)).toBe(true);
    expect(presetShown(applied, 'money')).toBe('money');
    // A setting the preset does not name leaves it matching; one it names makes it custom.
    expect(presetShown({ ...applied, seed: 7 }, 'money')).toBe('money');
    expect(presetShown({ ...applied, sellAboveAvgBonusCoef: 0.02 }, 'money')).toBe('custom');
    // The default preset names every setting: any change makes it custom.
    expect(presetShown({ ...DEFAULT_SETTINGS }, 'default')).toBe('default');
    expect(presetShown({ ...DEFAULT_SETTINGS, seed: 2 }, 'default')).toBe('custom');
  });
  it('with no preset chosen, the defaults show as the default preset and anything else as custom', () => {
    expect(presetShown({ ...DEFAULT_SETTINGS }, '')).toBe('default');
    expect(presetShown({ ...DEFAULT_SETTINGS, entCoef: 0.05 }, '')).toBe('custom');
  });
});
