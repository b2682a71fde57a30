import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from '../bess.ts';
import { CliError, type ParsedArgs, batteryFlags, numberFlag, stringFlag } from '../args.ts';
import { loadPriceFile } from '../../io/load.ts';
import { type CellResult, type Economics, SizingParamError, gridCells, parseRange, resolveEconomics, sizeGrid, sizingCsv, validateGrid } from '../../core/sizing/index.ts';
import { defaultJobs, startSizeThreads } from '../size-threads.ts';
import { keyValueTable, table } from '../format.ts';

const ECONOMICS_FLAGS: Record<string, keyof Economics> = {
  'capex-eur-per-kwh': 'capexEurPerKWh',
  'capex-eur-per-kw': 'capexEurPerKW',
  'om-eur-per-year': 'omEurPerYear',
  'lifetime-years': 'lifetimeYears',
  'discount-rate': 'discountRate',
};
const BATTERY_FLAG_NAMES = ['charge-efficiency', 'discharge-efficiency', 'degradation-eur-per-kwh', 'initial-soc-kwh', 'min-soc-kwh', 'max-soc-kwh', 'terminal-soc-kwh', 'independent-power-limits'];
const KNOWN = new Set(['capacity-kwh', 'power-kw', 'jobs', 'csv', 'json', 'help', ...BATTERY_FLAG_NAMES, ...Object.keys(ECONOMICS_FLAGS)]);
/** Flag for a SizingParamError's field. */
const FLAG_OF: Record<string, string> = { capacityKWh: 'capacity-kwh', powerKW: 'power-kw', ...Object.fromEntries(Object.entries(ECONOMICS_FLAGS).map(([f, k]) => [k, f])) };

function range(args: ParsedArgs, flag: string): number[] {
  const v = stringFlag(args, flag);
  if (v === undefined) throw new CliError(`--${flag} FROM:TO:STEP is required`);
  try {
    return parseRange(v, `--${flag}`);
  } catch (e) {
    if (e instanceof SizingParamError) throw new CliError(e.message);
    throw e;
  }
}

const fmt = (v: number | null, digits: number) => (v === null ? 'never' : v.toFixed(digits));

export const command: Command = {
  summary: 'Battery sizing: the exact oracle optimum for every capacity × power cell, valued by NPV and payback (worker threads).',
  usage: 'bess size FILE --capacity-kwh FROM:TO:STEP --power-kw FROM:TO:STEP [battery flags] [--capex-eur-per-kwh N (150) --capex-eur-per-kw N (50) --om-eur-per-year N (0) --lifetime-years N (15) --discount-rate N (0.05)] [--jobs N (one per core)] [--csv OUT] [--json]',
  async run(args) {
    for (const name of args.flags.keys()) {
      if (name === 'charge-power-kw' || name === 'discharge-power-kw') throw new CliError(`--${name}: bess size sets both directions from the --power-kw range`);
      if (!KNOWN.has(name)) throw new CliError(`unknown flag --${name} for size`);
    }
    const file = args.positional[0];
    if (!file) throw new CliError('size needs a FILE');
    if (args.positional.length > 1) throw new CliError(`size takes one FILE, got also ${JSON.stringify(args.positional[1])}`);
    const capacitiesKWh = range(args, 'capacity-kwh');
    const powersKW = range(args, 'power-kw');
    const rest: ParsedArgs = { positional: args.positional, flags: new Map([...args.flags].filter(([k]) => k !== 'capacity-kwh' && k !== 'power-kw')) };
    const battery = batteryFlags(rest);
    let economics: Economics;
    const spec: Partial<Economics> = {};
    for (const [flag, key] of Object.entries(ECONOMICS_FLAGS)) {
      const v = numberFlag(args, flag);
      if (v !== undefined) spec[key] = v;
    }
    try {
      economics = resolveEconomics(spec);
    } catch (e) {
      if (e instanceof SizingParamError) throw new CliError(`--${FLAG_OF[e.field] ?? e.field}: ${e.message}`);
      throw e;
    }
    const jobsFlag = numberFlag(args, 'jobs');
    if (jobsFlag !== undefined && !(Number.isInteger(jobsFlag) && jobsFlag >= 1)) throw new CliError(`--jobs must be a whole number ≥ 1, got ${jobsFlag}`);
    const csvOut = stringFlag(args, 'csv');
    // Refuse an unwritable --csv before solving, not after.
    if (csvOut !== undefined && !existsSync(dirname(resolve(csvOut)))) throw new CliError(`--csv: no such directory: ${dirname(resolve(csvOut))}`);

    const series = await loadPriceFile(file);
    const problem = { pricesEurPerMWh: series.pricesEurPerMWh, dtHours: series.dtHours, battery, capacitiesKWh, powersKW };
    const jobs = Math.min(jobsFlag ?? defaultJobs(), capacitiesKWh.length * powersKW.length);
    try {
      // Invalid cells are reported before any thread starts.
      validateGrid(battery, gridCells(capacitiesKWh, powersKW));
    } catch (e) {
      if (e instanceof SizingParamError) throw new CliError(e.message);
      throw e;
    }
    const threads = startSizeThreads({ pricesEurPerMWh: series.pricesEurPerMWh, dtHours: series.dtHours, battery }, jobs);
    let result;
    const t0 = performance.now();
    let startupMs = 0;
    try {
      await threads.ready;
      startupMs = performance.now() - t0;
      result = await sizeGrid(problem, economics, { runners: threads.runners, nowMs: () => performance.now() });
    } finally {
      await threads.close();
    }
    if (csvOut) await writeFile(csvOut, sizingCsv(result.cells));

    const cellJson = (c: CellResult) => ({
      capacityKWh: c.capacityKWh, powerKW: c.powerKW, profitEur: c.profitEur, npvEur: c.npvEur, paybackYears: c.paybackYears,
      annualProfitEur: c.annualProfitEur, capexEur: c.capexEur, discountedPaybackYears: c.discountedPaybackYears,
      annualProfitEurPerKWh: c.annualProfitEurPerKWh, equivalentCycles: c.equivalentCycles,
    });
    const spanHours = series.pricesEurPerMWh.length * series.dtHours;
    const json = {
      cells: result.cells.map(cellJson), best: result.best && cellJson(result.best), solves: result.solves, ms: result.ms,
      jobs, threadStartupMs: startupMs, steps: series.pricesEurPerMWh.length, spanHours, annualisation: `profit × 8760 h / ${spanHours} h`, economics,
    };
    const top = [...result.cells].sort((a, b) => b.npvEur - a.npvEur || a.index - b.index).slice(0, 10);
    const b = result.best!;
    const text = keyValueTable([
      ['best by NPV', `${b.capacityKWh} kWh × ${b.powerKW} kW`], ['NPV', `${b.npvEur.toFixed(0)} EUR`],
      ['annual profit', `${b.annualProfitEur.toFixed(0)} EUR/year`], ['payback', `${fmt(b.paybackYears, 1)} years (discounted ${fmt(b.discountedPaybackYears, 1)})`],
      ['cells', `${result.cells.length} (${result.solves} oracle solves)`], ['threads', jobs], ['time', `${(result.ms / 1000).toFixed(2)} s (+ ${(startupMs / 1000).toFixed(2)} s starting threads)`], ['span', `${spanHours} h, profit scaled to 8760 h`],
    ]) + '\n\n' + table(['capacity kWh', 'power kW', 'profit EUR', 'NPV EUR', 'payback years'], top.map((c) => [c.capacityKWh, c.powerKW, c.profitEur, c.npvEur, fmt(c.paybackYears, 2)]))
      + (result.cells.length > top.length ? `\n(top ${top.length} of ${result.cells.length} by NPV; --csv or --json for all)` : '');
    return { json, text };
  },
};
