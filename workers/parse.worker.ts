import * as Comlink from 'comlink';
import { parser } from './parse.ts';
import type { ParseApi } from './parse-api.ts';

const api: ParseApi = {
  async parse(input, fileName, onProgress) {
    const r = await parser.parse(input, fileName, onProgress);
    return r.ok ? Comlink.transfer(r, [r.series.timesUtcMs.buffer, r.series.pricesEurPerMWh.buffer]) : r;
  },
};
Comlink.expose(api);
