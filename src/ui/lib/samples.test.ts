import { describe, expect, it } from 'vitest';
import { defaultSample, readSamplesJson } from './samples.ts';

const entry = (id: string, period = '2023') => ({
  id,
  file: `${id}.csv`,
  market: id.toUpperCase(),
  period,
  resolution: '60 min',
  licence: 'CC BY 4.0',
  attribution: 'x',
});

describe('samples', () => {
  it('defaultSample prefers DE-LU 2023', () => {
    const s = readSamplesJson([entry('dk1-2023'), entry('de-lu-2023')]);
    expect(defaultSample(s)?.id).toBe('de-lu-2023');
  });
  it('defaultSample falls back to the first sample, and undefined for none', () => {
    expect(defaultSample(readSamplesJson({ samples: [entry('dk1-2023')] }))?.id).toBe('dk1-2023');
    expect(defaultSample([])).toBeUndefined();
  });
  it('readSamplesJson drops malformed entries', () => {
    expect(readSamplesJson([{ id: 'a' }, entry('b'), null])).toHaveLength(1);
    expect(readSamplesJson('nonsense')).toEqual([]);
  });
});
