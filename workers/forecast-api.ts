// Protocol of the forecast worker: the value-of-information table for the loaded prices.
import type { BatterySpec } from '../src/core/battery/index.ts';
import type { StrategyScore } from '../src/core/information/index.ts';
import type { ForecastMetrics } from '../src/core/forecast/index.ts';
import type { ParseWarning } from '../src/core/prices/types.ts';

export interface MarketInput {
  timesUtcMs: Float64Array;
  pricesEurPerMWh: Float64Array;
  dtHours: number;
  /** File name of the prices, for messages. */
  source: string;
}

export interface ExogenousFile {
  text: string;
  file: string;
}

/** What an exogenous file gave, aligned to the prices, or why it cannot be used (file, row, column). */
export type ExogenousReply =
  | { ok: true; file: string; names: string[]; steps: number; warnings: ParseWarning[] }
  | { ok: false; message: string; row?: number; column?: string };

export interface CompareRequest {
  market: MarketInput;
  exogenous: ExogenousFile | null;
  /** Share of rows before the test span (the page's training split). */
  trainShare: number;
  battery: BatterySpec;
  /** Forecasters under day-ahead information, by name (FORECAST_MODELS). */
  models: string[];
  noiseEurPerMWh: number;
  seed: number;
  /** nn's training budget: epochs of its first fit (refits get a sixth); DEFAULT_NN's otherwise. */
  nnEpochs?: number;
  /** The forecast column of the price file (the `column` forecaster), aligned to its steps, and its name. */
  column?: { name: string; valuesEurPerMWh: Float64Array } | null;
  /** Day-ahead rows: strategies ('oracle' included) whose SOC path over the test span the row carries. */
  socOf?: string[];
}

/** One row of the table: an information mode (and forecaster) with every baseline's score. */
export interface CompareRow {
  information: string;
  forecast: string | null;
  strategies: StrategyScore[];
  metrics: ForecastMetrics | null;
  /** Day-ahead: the forecast for the test span (D's part of every issue), for the chart. */
  forecastEurPerMWh: Float64Array | null;
  /** Day-ahead: SOC after each test-span step, kWh, of the strategies named in CompareRequest.socOf. */
  socAfterKWh?: Record<string, Float64Array>;
  /** Set instead of strategies when this forecaster could not run (e.g. too little history). */
  error?: string;
}

export type CompareReply =
  | { ok: true; rows: CompareRow[]; spanFrom: number; spanTo: number }
  | { ok: false; message: string; row?: number; column?: string };

export interface CompareProgress {
  done: number;
  total: number;
  label: string;
}

export interface ForecastApi {
  checkExogenous(market: MarketInput, file: ExogenousFile): Promise<ExogenousReply>;
  compare(req: CompareRequest, onProgress?: (p: CompareProgress) => void): Promise<CompareReply>;
}
