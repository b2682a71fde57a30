import { describe, expect, it } from 'vitest';
import { oracle } from './oracle.ts';

describe('oracle worker (plain object)', () => {
  it('solves with defaults filled in', async () => {
    const r = await oracle.solve({ pricesEurPerMWh: Float64Array.from([10, 100, 20, 200]), dtHours: 1, battery: {} });
    expect(r.ok).toBe(true);
    if (r.ok) {
      // Buy 50 kWh at 10 (45 stored), sell 40 at 100 keeping 5 for the dearer hour, buy 50 at 20 (50 stored), sell
      // 50 at 200 (the power limit); minus 0.01 EUR/kWh wear on 190 kWh.
      expect(r.result.profitEur).toBeCloseTo(-0.5 + 4 - 1 + 10 - 0.01 * 190, 9);
      expect(Array.from(r.result.schedule.socKWh)).toEqual([45, 5, 50, 0]);
      expect(r.result.schedule.socKWh.length).toBe(4);
    }
  });
  it('returns a message and the field for a bad battery', async () => {
    const r = await oracle.solve({ pricesEurPerMWh: Float64Array.from([1]), dtHours: 1, battery: { capacityKWh: -5 } });
    expect(r).toMatchObject({ ok: false, field: 'capacityKWh' });
    const e = await oracle.solve({
      pricesEurPerMWh: Float64Array.from([1]),
      dtHours: 1,
      battery: { chargeEfficiency: 1.2 },
    });
    expect(e).toMatchObject({ ok: false, field: 'chargeEfficiency' });
  });
  it('returns a message naming the terminal SOC when the series is too short to reach it', async () => {
    const r = await oracle.solve({
      pricesEurPerMWh: Float64Array.from([10, 20]),
      dtHours: 1,
      battery: { terminalSocKWh: 95 },
    });
    expect(r).toMatchObject({ ok: false, field: 'terminalSocKWh' });
    if (!r.ok) expect(r.message).toMatch(/^terminal SOC \(kWh\) 95 cannot be met: .* at most 90 kWh in 2 steps$/);
  });
});
