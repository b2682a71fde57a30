// `bess oracle`: the exact perfect-foresight optimum of the battery LP (src/core/oracle).
import { defineCommand } from '../command.ts';
import { BATTERY_OPTIONS, batterySpec } from '../args.ts';
import { loadPriceFile } from '../../io/load.ts';
import { resolveBattery } from '../../core/battery/index.ts';
import { solveOracle } from '../../core/oracle/oracle.ts';
import { keyValueTable, table } from '../format.ts';

export const command = defineCommand({
  summary:
    'The exact perfect-foresight optimum of the battery LP over a price file (--schedule adds the per-step plan).',
  positionals: [{ name: 'FILE', help: 'price CSV' }],
  options: {
    ...BATTERY_OPTIONS,
    schedule: { type: 'boolean', help: 'add the per-step plan (time, price, charge, discharge, SOC)' },
  },
  async run({ values, positionals: [file] }, io) {
    const battery = resolveBattery(batterySpec(values));
    const series = await loadPriceFile(file);
    const r = solveOracle({ pricesEurPerMWh: series.pricesEurPerMWh, dtHours: series.dtHours, battery }, io.nowMs);
    const json: Record<string, unknown> = {
      profitEur: r.profitEur,
      chargedKWh: r.chargedKWh,
      dischargedKWh: r.dischargedKWh,
      equivalentCycles: r.equivalentCycles,
      solveMs: r.solveMs,
    };
    const rows = values.schedule
      ? Array.from(series.pricesEurPerMWh, (price, t) => ({
          time: new Date(series.timesUtcMs[t]).toISOString(),
          price,
          chargeKWh: r.schedule.chargeKWh[t],
          dischargeKWh: r.schedule.dischargeKWh[t],
          socKWh: r.schedule.socKWh[t],
        }))
      : null;
    if (rows) json.schedule = rows;
    let text = keyValueTable([
      ['profit', `${r.profitEur.toFixed(2)} EUR`],
      ['charged', `${r.chargedKWh.toFixed(1)} kWh`],
      ['discharged', `${r.dischargedKWh.toFixed(1)} kWh`],
      ['equivalent cycles', r.equivalentCycles.toFixed(2)],
      ['solve time', `${r.solveMs.toFixed(1)} ms`],
      ['steps', series.pricesEurPerMWh.length],
    ]);
    if (rows)
      text +=
        '\n\n' +
        table(
          ['time (UTC)', 'price EUR/MWh', 'charge kWh', 'discharge kWh', 'SOC kWh'],
          rows.map((x) => [x.time, x.price, x.chargeKWh, x.dischargeKWh, x.socKWh]),
        );
    return { json, text };
  },
});
