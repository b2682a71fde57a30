import * as Comlink from 'comlink';
import { forecastWorker } from './forecast.ts';
import type { ForecastApi } from './forecast-api.ts';

// Thin: the progress callback arrives as a Comlink proxy.
const api: ForecastApi = {
  checkExogenous: (market, file) => forecastWorker.checkExogenous(market, file),
  compare: (req, onProgress) => forecastWorker.compare(req, onProgress ? (p) => void onProgress(p) : undefined),
};
Comlink.expose(api);
