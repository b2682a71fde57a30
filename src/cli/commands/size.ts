// `bess size`: battery sizing over a capacity × power grid (src/core/sizing), every cell the exact oracle optimum,
// solved on worker threads (size-threads.ts) with the same core code as the page's sizing workers.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { defineCommand } from '../command.ts';
import { BATTERY_OPTIONS, CliError, SITE_OPTIONS, batteryFlagFor, batterySpec, siteSpec } from '../args.ts';
import { siteInputs } from '../site.ts';
import { loadPriceFile } from '../../io/load.ts';
import type { BatterySpec } from '../../core/battery/index.ts';
import {
  type CellResult,
  type Economics,
  DEFAULT_ECONOMICS,
  HOURS_PER_YEAR,
  SizingParamError,
  gridCells,
  parseRange,
  resolveEconomics,
  sizeGrid,
  sizingCsv,
  validateGrid,
} from '../../core/sizing/index.ts';
import { defaultJobs, startSizeThreads } from '../size-threads.ts';
import { keyValueTable, table } from '../format.ts';

const {
  'capacity-kwh': _c,
  'power-kw': _p,
  'charge-power-kw': _cp,
  'discharge-power-kw': _dp,
  ...OTHER_BATTERY_OPTIONS
} = BATTERY_OPTIONS;

const ECONOMICS_FLAGS = {
  'capex-eur-per-kwh': 'capexEurPerKWh',
  'capex-eur-per-kw': 'capexEurPerKW',
  'om-eur-per-year': 'omEurPerYear',
  'lifetime-years': 'lifetimeYears',
  'discount-rate': 'discountRate',
} as const satisfies Record<string, keyof Economics>;

/** Flag for a SizingParamError's field. */
const FLAG_OF: Record<string, string> = {
  capacityKWh: '--capacity-kwh',
  powerKW: '--power-kw',
  ...Object.fromEntries(Object.entries(ECONOMICS_FLAGS).map(([f, k]) => [k, `--${f}`])),
};

function range(text: string, flag: string): number[] {
  try {
    return parseRange(text, `--${flag}`);
  } catch (e) {
    if (e instanceof SizingParamError) throw new CliError(e.message);
    throw e;
  }
}

/** A SizingParamError as a CliError naming the flag (a battery field's flag, or an economics flag). */
function asCliError(e: unknown): unknown {
  if (!(e instanceof SizingParamError)) return e;
  const flag = FLAG_OF[e.field] ?? batteryFlagFor(e.field as keyof BatterySpec);
  return new CliError(flag && !e.message.startsWith('cell ') ? `${flag}: ${e.message}` : e.message);
}

const fmt = (v: number | null, digits: number) => (v === null ? 'never' : v.toFixed(digits));

export const command = defineCommand({
  summary:
    'Battery sizing: the exact oracle optimum for every capacity × power cell, valued by NPV and payback (worker threads).',
  positionals: [{ name: 'FILE', help: 'price CSV' }],
  options: {
    'capacity-kwh': {
      type: 'string',
      required: true,
      arg: 'FROM:TO:STEP',
      help: 'capacities to try, kWh (or one value)',
    },
    'power-kw': {
      type: 'string',
      required: true,
      arg: 'FROM:TO:STEP',
      help: 'powers to try, kW, both directions (or one value)',
    },
    ...OTHER_BATTERY_OPTIONS,
    ...SITE_OPTIONS,
    'capex-eur-per-kwh': {
      type: 'number',
      default: DEFAULT_ECONOMICS.capexEurPerKWh,
      arg: 'EUR',
      help: 'capex per kWh of capacity',
    },
    'capex-eur-per-kw': {
      type: 'number',
      default: DEFAULT_ECONOMICS.capexEurPerKW,
      arg: 'EUR',
      help: 'capex per kW of power',
    },
    'om-eur-per-year': {
      type: 'number',
      default: DEFAULT_ECONOMICS.omEurPerYear,
      arg: 'EUR',
      help: 'fixed operation and maintenance per year',
    },
    'lifetime-years': {
      type: 'number',
      default: DEFAULT_ECONOMICS.lifetimeYears,
      arg: 'YEARS',
      help: 'years the battery earns',
    },
    'discount-rate': {
      type: 'number',
      default: DEFAULT_ECONOMICS.discountRate,
      arg: 'FRACTION',
      help: 'per year, 0.05 = 5 %',
    },
    jobs: { type: 'number', integer: true, help: 'worker threads (default one per core)' },
    csv: { type: 'string', arg: 'OUT', help: 'also write every cell to this CSV file' },
  },
  async run({ values, positionals: [file] }, io) {
    const capacitiesKWh = range(values['capacity-kwh'], 'capacity-kwh');
    const powersKW = range(values['power-kw'], 'power-kw');
    // The grid sets capacity and both power limits per cell.
    const battery = batterySpec({
      ...values,
      'capacity-kwh': undefined,
      'power-kw': undefined,
      'charge-power-kw': undefined,
      'discharge-power-kw': undefined,
    });
    let economics: Economics;
    try {
      economics = resolveEconomics(
        Object.fromEntries(
          Object.entries(ECONOMICS_FLAGS).map(([flag, key]) => [key, values[flag as keyof typeof ECONOMICS_FLAGS]]),
        ),
      );
    } catch (e) {
      throw asCliError(e);
    }
    if (values.jobs !== undefined && values.jobs < 1)
      throw new CliError(`--jobs must be a whole number ≥ 1, got ${values.jobs}`);
    const csvOut = values.csv;
    // Refuse an unwritable --csv before solving, not after.
    if (csvOut !== undefined && !existsSync(dirname(resolve(csvOut))))
      throw new CliError(`--csv: no such directory: ${dirname(resolve(csvOut))}`);

    const series = await loadPriceFile(file);
    const siteIn = siteInputs(values, series);
    const site = siteIn.plain ? undefined : { spec: siteSpec(values), series: siteIn.series };
    const problem = {
      pricesEurPerMWh: series.pricesEurPerMWh,
      dtHours: series.dtHours,
      battery,
      capacitiesKWh,
      powersKW,
      site,
    };
    const jobs = Math.min(values.jobs ?? defaultJobs(), capacitiesKWh.length * powersKW.length);
    try {
      // Invalid cells are reported before any thread starts.
      validateGrid(battery, gridCells(capacitiesKWh, powersKW));
    } catch (e) {
      throw asCliError(e);
    }
    const threads = startSizeThreads(
      { pricesEurPerMWh: series.pricesEurPerMWh, dtHours: series.dtHours, battery, site },
      jobs,
    );
    let result;
    const t0 = io.nowMs();
    let startupMs;
    try {
      await threads.ready;
      startupMs = io.nowMs() - t0;
      result = await sizeGrid(problem, economics, { runners: threads.runners, nowMs: io.nowMs });
    } finally {
      await threads.close();
    }
    if (csvOut) await writeFile(csvOut, sizingCsv(result.cells));

    const cellJson = (c: CellResult) => ({
      capacityKWh: c.capacityKWh,
      powerKW: c.powerKW,
      profitEur: c.profitEur,
      npvEur: c.npvEur,
      paybackYears: c.paybackYears,
      annualProfitEur: c.annualProfitEur,
      capexEur: c.capexEur,
      discountedPaybackYears: c.discountedPaybackYears,
      annualProfitEurPerKWh: c.annualProfitEurPerKWh,
      equivalentCycles: c.equivalentCycles,
    });
    const spanHours = series.pricesEurPerMWh.length * series.dtHours;
    const json = {
      cells: result.cells.map(cellJson),
      best: result.best && cellJson(result.best),
      solves: result.solves,
      ms: result.ms,
      jobs,
      threadStartupMs: startupMs,
      steps: series.pricesEurPerMWh.length,
      spanHours,
      annualisation: `profit × ${HOURS_PER_YEAR} h / ${spanHours} h`,
      economics,
    };
    const top = [...result.cells].sort((a, b) => b.npvEur - a.npvEur || a.index - b.index).slice(0, 10);
    const b = result.best!;
    const text =
      keyValueTable([
        ['best by NPV', `${b.capacityKWh} kWh × ${b.powerKW} kW`],
        ['NPV', `${b.npvEur.toFixed(0)} EUR`],
        ['annual profit', `${b.annualProfitEur.toFixed(0)} EUR/year`],
        ['payback', `${fmt(b.paybackYears, 1)} years (discounted ${fmt(b.discountedPaybackYears, 1)})`],
        ['cells', `${result.cells.length} (${result.solves} oracle solves)`],
        ['threads', jobs],
        ['time', `${(result.ms / 1000).toFixed(2)} s (+ ${(startupMs / 1000).toFixed(2)} s starting threads)`],
        ['span', `${spanHours} h, profit scaled to ${HOURS_PER_YEAR} h`],
      ]) +
      '\n\n' +
      table(
        ['capacity kWh', 'power kW', 'profit EUR', 'NPV EUR', 'payback years'],
        top.map((c) => [c.capacityKWh, c.powerKW, c.profitEur, c.npvEur, fmt(c.paybackYears, 2)]),
      ) +
      (result.cells.length > top.length
        ? `\n(top ${top.length} of ${result.cells.length} by NPV; --csv or --json for all)`
        : '');
    return { json, text };
  },
});
