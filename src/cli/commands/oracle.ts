import type { Command } from '../bess.ts';
import { CliError, batteryFlags } from '../args.ts';
import { loadPriceFile } from '../../io/load.ts';
import { resolveBattery } from '../../core/battery/index.ts';
import { solveOracle } from '../../core/oracle/oracle.ts';
import { keyValueTable, table } from '../format.ts';

export const command: Command = {
  summary: 'The exact perfect-foresight optimum of the battery LP over a price file (--schedule adds the per-step plan).',
  usage: 'bess oracle FILE [battery flags] [--schedule] [--json]',
  async run(args) {
    const file = args.positional[0];
    if (!file) throw new CliError('oracle needs a FILE');
    const battery = resolveBattery(batteryFlags(args));
    const series = await loadPriceFile(file);
    const r = solveOracle({ pricesEurPerMWh: series.pricesEurPerMWh, dtHours: series.dtHours, battery }, () => performance.now());
    const json: Record<string, unknown> = {
      profitEur: r.profitEur, chargedKWh: r.chargedKWh, dischargedKWh: r.dischargedKWh,
      equivalentCycles: r.equivalentCycles, solveMs: r.solveMs,
    };
    const rows = args.flags.has('schedule')
      ? Array.from(series.pricesEurPerMWh, (price, t) => ({
          time: new Date(series.timesUtcMs[t]).toISOString(), price,
          chargeKWh: r.schedule.chargeKWh[t], dischargeKWh: r.schedule.dischargeKWh[t], socKWh: r.schedule.socKWh[t],
        }))
      : null;
    if (rows) json.schedule = rows;
    let text = keyValueTable([
      ['profit', `${r.profitEur.toFixed(2)} EUR`], ['charged', `${r.chargedKWh.toFixed(1)} kWh`], ['discharged', `${r.dischargedKWh.toFixed(1)} kWh`],
      ['equivalent cycles', r.equivalentCycles.toFixed(2)], ['solve time', `${r.solveMs.toFixed(1)} ms`], ['steps', series.pricesEurPerMWh.length],
    ]);
    if (rows) text += '\n\n' + table(['time (UTC)', 'price EUR/MWh', 'charge kWh', 'discharge kWh', 'SOC kWh'], rows.map((x) => [x.time, x.price, x.chargeKWh, x.dischargeKWh, x.socKWh]));
    return { json, text };
  },
};
