// `bess oracle`: the exact perfect-foresight optimum of the battery LP (src/core/oracle).
import { defineCommand } from '../command.ts';
import { BATTERY_OPTIONS, SITE_OPTIONS, batterySpec, siteSpec } from '../args.ts';
import { siteInputs } from '../site.ts';
import { loadPriceFile } from '../../io/load.ts';
import { resolveBattery } from '../../core/battery/index.ts';
import { solveSiteOracle } from '../../core/oracle/site-oracle.ts';
import { keyValueTable, table } from '../format.ts';

export const command = defineCommand({
  summary:
    'The exact perfect-foresight optimum of the battery (and site: PV, load, grid limits, fees) LP over a price file (--schedule adds the per-step plan).',
  positionals: [{ name: 'FILE', help: 'price CSV' }],
  options: {
    ...BATTERY_OPTIONS,
    ...SITE_OPTIONS,
    schedule: { type: 'boolean', help: 'add the per-step plan (time, price, charge, discharge, SOC)' },
  },
  async run({ values, positionals: [file] }, io) {
    const battery = resolveBattery(batterySpec(values));
    const series = await loadPriceFile(file);
    const { site, series: siteSeries } = siteInputs(values, series);
    // On a site (a pv_kw/load_kw column or a site flag) the site's keys join the contract's; a bare price file keeps
    // exactly the battery oracle's keys.
    const onSite = !!series.pvKW || !!series.loadKW || Object.keys(siteSpec(values)).length > 0;
    // A site without PV, load, limits or fees is solved by the battery oracle itself (solveSiteOracle hands it over).
    const r = solveSiteOracle(
      { pricesEurPerMWh: series.pricesEurPerMWh, dtHours: series.dtHours, battery, site, series: siteSeries },
      io.nowMs,
    );
    const json: Record<string, unknown> = {
      profitEur: r.profitEur,
      chargedKWh: r.chargedKWh,
      dischargedKWh: r.dischargedKWh,
      equivalentCycles: r.equivalentCycles,
      solveMs: r.solveMs,
    };
    if (onSite) {
      Object.assign(json, {
        importedKWh: r.importedKWh,
        exportedKWh: r.exportedKWh,
        curtailedKWh: r.curtailedKWh,
        pvKWh: r.pvKWh,
      });
      // Where the money came from, against the same site without a battery.
      json.revenue = {
        pvSoldEur: r.pvSoldEur,
        avoidedImportEur: r.avoidedImportEur,
        batteryArbitrageEur: r.batteryArbitrageEur,
        loadCostEur: r.loadCostEur,
      };
    }
    const rows = values.schedule
      ? Array.from(series.pricesEurPerMWh, (price, t) => ({
          time: new Date(series.timesUtcMs[t]).toISOString(),
          price,
          chargeKWh: r.schedule.chargeKWh[t],
          dischargeKWh: r.schedule.dischargeKWh[t],
          socKWh: r.schedule.socKWh[t],
          ...(!onSite
            ? {}
            : {
                pvKWh: r.trace.pvStepKWh[t],
                importKWh: r.trace.importStepKWh[t],
                exportKWh: r.trace.exportStepKWh[t],
                curtailKWh: r.trace.curtailStepKWh[t],
              }),
        }))
      : null;
    if (rows) json.schedule = rows;
    let text = keyValueTable([
      ['profit', `${r.profitEur.toFixed(2)} EUR`],
      ['charged', `${r.chargedKWh.toFixed(1)} kWh`],
      ['discharged', `${r.dischargedKWh.toFixed(1)} kWh`],
      ['equivalent cycles', r.equivalentCycles.toFixed(2)],
      ['solve time', `${r.solveMs.toFixed(1)} ms`],
      ...(onSite
        ? ([
            ['PV', `${r.pvKWh.toFixed(1)} kWh (curtailed ${r.curtailedKWh.toFixed(1)})`],
            ['grid import / export', `${r.importedKWh.toFixed(1)} / ${r.exportedKWh.toFixed(1)} kWh`],
            [
              'PV sold / avoided import / battery / load cost',
              `${r.pvSoldEur.toFixed(2)} / ${r.avoidedImportEur.toFixed(2)} / ${r.batteryArbitrageEur.toFixed(2)} / ${r.loadCostEur.toFixed(2)} EUR`,
            ],
          ] as [string, string][])
        : []),
      ['steps', series.pricesEurPerMWh.length],
    ]);
    if (rows)
      text +=
        '\n\n' +
        table(
          [
            'time (UTC)',
            'price EUR/MWh',
            'charge kWh',
            'discharge kWh',
            'SOC kWh',
            ...(onSite ? ['PV kWh', 'import kWh', 'export kWh', 'curtail kWh'] : []),
          ],
          rows.map((x) => [
            x.time,
            x.price,
            x.chargeKWh,
            x.dischargeKWh,
            x.socKWh,
            ...(onSite ? [x.pvKWh ?? 0, x.importKWh ?? 0, x.exportKWh ?? 0, x.curtailKWh ?? 0] : []),
          ]),
        );
    return { json, text };
  },
});
