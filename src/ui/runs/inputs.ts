// What a run was trained on, in words, and what has changed on the page since: a shown result always says which
// data, split and battery it belongs to, so a file dropped or a capacity changed afterwards cannot pass for them.

import type { RunInputs } from './schema.ts';
import { kw, kwh, num } from '../format.ts';

/** The parts of the page that a run's inputs can differ in. */
export type InputPart = 'data' | 'split' | 'battery';

/** Sorted-key JSON of a battery spec without unset fields, so equal specs compare equal. */
function batteryKey(b: Record<string, unknown> | null | undefined): string {
  if (!b) return '';
  return JSON.stringify(
    Object.keys(b)
      .filter((k) => b[k] !== undefined)
      .sort()
      .map((k) => [k, b[k]]),
  );
}

/** The parts in which `now` differs from the run's inputs; [] when the page still shows what the run used. */
export function sameInputs(
  inputs: RunInputs,
  now: { dataFingerprint: string; battery: object | null; split: { trainStart: number; trainEnd: number; n: number } },
): InputPart[] {
  const out: InputPart[] = [];
  if (inputs.dataFingerprint !== now.dataFingerprint) out.push('data');
  else if (
    inputs.split.trainStart !== now.split.trainStart ||
    inputs.split.trainEnd !== now.split.trainEnd ||
    inputs.split.n !== now.split.n
  )
    out.push('split');
  if (batteryKey(inputs.battery) !== batteryKey(now.battery as Record<string, unknown> | null)) out.push('battery');
  return out;
}

/** "be-2023.csv · train 6,570 / test 2,190 steps · battery 100 kWh, 50 kW" (unset battery fields are defaults). */
export function describeInputs(inputs: RunInputs): string {
  const b = inputs.battery as Record<string, number | boolean | undefined>;
  const battery = [
    b.capacityKWh !== undefined ? kwh(b.capacityKWh as number, 0) : 'default capacity',
    b.powerKW !== undefined ? kw(b.powerKW as number) : 'default power',
    b.chargeEfficiency !== undefined ? `charge η ${num(b.chargeEfficiency as number, 2)}` : null,
    b.dischargeEfficiency !== undefined ? `discharge η ${num(b.dischargeEfficiency as number, 2)}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const { trainStart, trainEnd, n } = inputs.split;
  return `${inputs.dataFile || 'unnamed data'} · train ${num(trainEnd - trainStart, 0)} / test ${num(n - trainEnd, 0)} steps · battery ${battery}`;
}

/** "the data and the battery have changed since" for the parts that differ. */
export function describeChange(parts: InputPart[]): string {
  const names = parts.map((p) =>
    p === 'data' ? 'the price data' : p === 'split' ? 'the train/test split' : 'the battery',
  );
  return `${names.join(' and ')} ${names.length > 1 ? 'have' : 'has'} changed since`;
}
