import { describe, expect, it } from 'vitest';
import { resolveBattery } from '../battery/index.ts';
import { resolveEnvConfig } from '../env/config.ts';
import { computeNormStats, createObsContext } from '../env/features.ts';
import { computeSiteNormStats, withSite } from '../env/site.ts';
import { resolveSite } from '../site/site.ts';
import { buildCloneDataset, buildHindsightAdvantageDataset } from './clone.ts';
import { actionDpTeacherAt } from './backtest.ts';

const HOUR = 3_600_000;
const n = 96;
// A daily cycle: cheap nights, dear evenings; the battery alone charges at night.
const prices = Float64Array.from({ length: n }, (_, i) => 60 + 50 * Math.sin((2 * Math.PI * ((i % 24) - 9)) / 24));
const s = {
  timesUtcMs: Float64Array.from({ length: n }, (_, i) => Date.UTC(2023, 5, 1) + i * HOUR),
  pricesEurPerMWh: prices,
  dtHours: 1,
};
const battery = resolveBattery({});
const env = resolveEnvConfig({ horizonHours: 12 });
const ctx = createObsContext(s, battery, env, computeNormStats(s, battery, env));
// No PV at all, a load, and PV-only charging: the site forbids every charge.
const site = resolveSite({ chargeFromPvOnly: true });
const series = { pvKW: new Float64Array(n), loadKW: Float64Array.from({ length: n }, () => 10) };
const siteCtx = withSite(ctx, site, series, computeSiteNormStats(site, series));

describe('the teacher on a site', () => {
  it('buildCloneDataset plans on the site: no charge where PV-only charging has no PV (the battery alone charges)', () => {
    const plain = buildCloneDataset(ctx, battery, env, 8);
    const onSite = buildCloneDataset(siteCtx, battery, env, 8);
    expect(Array.from(plain.actions)).toContain(1);
    expect(Array.from(onSite.actions)).not.toContain(1);
    expect(onSite.obsDim).toBe(siteCtx.obsDim);
  });

  it("the 'expected' teacher never labels a forbidden charge best, and values it as hold (finite advantages)", () => {
    const d = buildHindsightAdvantageDataset(siteCtx, battery, env, 8);
    expect(Array.from(d.actions)).not.toContain(1);
    const adv = d.advantages!;
    for (let k = 0; k < d.count; k++) {
      expect(Number.isFinite(adv[k * 3 + 1])).toBe(true);
      expect(adv[k * 3 + 1]).toBe(adv[k * 3]);
    }
  });

  it("the backtest's teacher asks the same site-aware DP", () => {
    const at = actionDpTeacherAt(siteCtx, battery, env, [0, 50]);
    for (let t = 0; t < n; t += 5) expect(at(t, 0)).not.toBe(1);
    const plainAt = actionDpTeacherAt(ctx, battery, env, [0, 50]);
    expect(Array.from({ length: n }, (_, t) => plainAt(t, 0))).toContain(1);
  });
});
