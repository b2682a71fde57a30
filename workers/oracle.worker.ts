import * as Comlink from 'comlink';
import { oracle } from './oracle.ts';
import type { OracleApi } from './oracle-api.ts';

// Thin: the schedule's typed arrays are transferred, not copied.
const api: OracleApi = {
  async solve(req) {
    const r = await oracle.solve(req);
    if (!r.ok) return r;
    const s = r.result.schedule;
    return Comlink.transfer(r, [s.chargeKWh.buffer, s.dischargeKWh.buffer, s.socKWh.buffer]);
  },
};
Comlink.expose(api);
