// The oracle worker's implementation as a plain object, importable in Node tests: validates the battery and solves.
import { BatteryParamError, resolveBattery } from '../src/core/battery/index.ts';
import { solveOracle } from '../src/core/oracle/oracle.ts';
import type { OracleApi, OracleReply } from './oracle-api.ts';

export const oracle: OracleApi = {
  async solve(req): Promise<OracleReply> {
    try {
      const battery = resolveBattery(req.battery);
      return {
        ok: true,
        result: solveOracle({ pricesEurPerMWh: req.pricesEurPerMWh, dtHours: req.dtHours, battery }, () =>
          performance.now(),
        ),
      };
    } catch (e) {
      if (e instanceof BatteryParamError) return { ok: false, message: e.message, field: e.field };
      return { ok: false, message: (e as Error).message };
    }
  },
};
