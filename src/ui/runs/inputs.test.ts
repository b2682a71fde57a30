import { describe, expect, it } from 'vitest';
import { describeChange, describeInputs, sameInputs } from './inputs.ts';
import type { RunInputs } from './schema.ts';
import { testInputs } from './test-factory.ts';

const inputs: RunInputs = testInputs();
const now = {
  dataFingerprint: 'abc-8760',
  battery: { powerKW: 50, capacityKWh: 100, initialSocKWh: undefined },
  split: { trainStart: 0, trainEnd: 6570, n: 8760 },
};

describe('sameInputs', () => {
  it('is empty while the page still shows the inputs (key order and unset fields do not matter)', () => {
    expect(sameInputs(inputs, now)).toEqual([]);
  });
  it('names the data when a file was dropped, the battery when a capacity changed, the split when it moved', () => {
    expect(sameInputs(inputs, { ...now, dataFingerprint: 'zzz-100' })).toEqual(['data']);
    expect(sameInputs(inputs, { ...now, battery: { capacityKWh: 200, powerKW: 50 } })).toEqual(['battery']);
    expect(sameInputs(inputs, { ...now, split: { trainStart: 0, trainEnd: 4380, n: 8760 } })).toEqual(['split']);
    expect(sameInputs(inputs, { ...now, dataFingerprint: 'zzz', battery: null })).toEqual(['data', 'battery']);
  });
});

describe('describeInputs / describeChange', () => {
  it('says which data, split and battery a result belongs to', () => {
    expect(describeInputs(inputs)).toBe('de-lu-2023.csv · train 6,570 / test 2,190 steps · battery 100 kWh, 50 kW');
    expect(describeChange(['data', 'battery'])).toBe('the price data and the battery have changed since');
    expect(describeChange(['split'])).toBe('the train/test split has changed since');
  });
});
