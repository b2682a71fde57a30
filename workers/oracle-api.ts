// Protocol of the oracle worker.
import type { BatterySpec } from '../src/core/battery/index.ts';
import type { OracleResult } from '../src/core/oracle/types.ts';

export interface OracleRequest {
  pricesEurPerMWh: Float64Array;
  dtHours: number;
  battery: BatterySpec;
}

export type OracleReply = { ok: true; result: OracleResult } | { ok: false; message: string; field?: string };

export interface OracleApi {
  solve(req: OracleRequest): Promise<OracleReply>;
}
