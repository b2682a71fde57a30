import { describe, expect, it } from 'vitest';
import { prefsFromJson } from './view-prefs.svelte.ts';

describe('prefsFromJson', () => {
  it('keeps known choices and ignores unknown zones, units and junk', () => {
    expect(prefsFromJson('{"zone":"Europe/Brussels","units":"MW","clipAxis":true}')).toEqual({
      zone: 'Europe/Brussels',
      units: 'MW',
      clipAxis: true,
    });
    expect(prefsFromJson('{"zone":"Mars/Olympus","units":"GW","clipAxis":"yes"}')).toEqual({
      zone: 'UTC',
      units: 'kW',
      clipAxis: false,
    });
    expect(prefsFromJson('not json')).toEqual({ zone: 'UTC', units: 'kW', clipAxis: false });
    expect(prefsFromJson(null)).toEqual({ zone: 'UTC', units: 'kW', clipAxis: false });
  });
});
