// The one place that turns numbers into text with unit labels (STYLE.md: "Formatting with unit labels happens in one
// UI module"). Every component formats through these, so a unit never appears twice with two spellings.

import { KWH_PER_MWH } from '../core/units.ts';

const nf = (digits: number) =>
  new Intl.NumberFormat('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const NF0 = nf(0);
const NF1 = nf(1);
const NF2 = nf(2);
// U+2212 minus: lines up with digits in tabular figures and reads as a sign, not a hyphen.
const minus = (s: string) => s.replace('-', '−');

/** A number with grouping and fixed decimals; '—' for NaN/undefined. */
export function num(value: number | undefined | null, digits = 2): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  const f = digits === 0 ? NF0 : digits === 1 ? NF1 : digits === 2 ? NF2 : nf(digits);
  // Avoid "−0.00" for tiny negatives that round to zero.
  const s = f.format(value);
  return minus(/^-0(\.0+)?$/.test(s) ? s.slice(1) : s);
}

/** Money: "1,234.56 EUR". */
export function eur(value: number | undefined | null, digits = 2): string {
  return value === undefined || value === null || !Number.isFinite(value) ? '—' : `${num(value, digits)} EUR`;
}

/** Energy: "12.3 kWh"; switches to MWh at 10,000 kWh so year totals stay readable. */
export function kwh(value: number | undefined | null, digits = 1): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  return Math.abs(value) >= 10_000 ? `${num(value / KWH_PER_MWH, 2)} MWh` : `${num(value, digits)} kWh`;
}

/** Power: "50 kW". */
export function kw(value: number | undefined | null, digits = 0): string {
  return value === undefined || value === null || !Number.isFinite(value) ? '—' : `${num(value, digits)} kW`;
}

/** A market price: "95.18 EUR/MWh". */
export function eurPerMWh(value: number | undefined | null, digits = 2): string {
  return value === undefined || value === null || !Number.isFinite(value) ? '—' : `${num(value, digits)} EUR/MWh`;
}

/** A share 0..1 as a percentage: 0.9712 → "97.1%". */
export function pct(share: number | undefined | null, digits = 1): string {
  return share === undefined || share === null || !Number.isFinite(share) ? '—' : `${num(share * 100, digits)}%`;
}

/** Milliseconds: "3.2 ms", or seconds above 10 s. */
export function ms(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  return value >= 10_000 ? `${num(value / 1000, 1)} s` : `${num(value, value < 10 ? 1 : 0)} ms`;
}

/** Seconds: "12.5 s". */
export function seconds(value: number | undefined | null): string {
  return value === undefined || value === null || !Number.isFinite(value) ? '—' : `${num(value, 1)} s`;
}

/** Step length: 60 → "60 min", 1440 → "24 h". */
export function stepLength(minutes: number): string {
  return minutes >= 120 && minutes % 60 === 0 ? `${minutes / 60} h` : `${num(minutes, minutes % 1 === 0 ? 0 : 2)} min`;
}

/** UTC timestamp as "2023-01-01 00:00 UTC" (markets and files use UTC here; no local-time surprises at DST). */
export function utc(timeMs: number | undefined | null): string {
  if (timeMs === undefined || timeMs === null || !Number.isFinite(timeMs)) return '—';
  return new Date(timeMs).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** UTC date only: "2023-01-01". */
export function utcDate(timeMs: number): string {
  return Number.isFinite(timeMs) ? new Date(timeMs).toISOString().slice(0, 10) : '—';
}

/** Integer count with grouping: "35,040". */
export function count(n: number): string {
  return num(n, 0);
}

/** Display units for energy and power: the engine's kW/kWh, or a trader's MW/MWh. */
export type DisplayUnits = 'kW' | 'MW';

/** Energy in the chosen units: "12.3 kWh" (as kwh()) or "0.012 MWh". */
export function energy(valueKWh: number | undefined | null, units: DisplayUnits): string {
  if (units === 'kW') return kwh(valueKWh);
  return valueKWh === undefined || valueKWh === null || !Number.isFinite(valueKWh)
    ? '—'
    : `${num(valueKWh / 1000, Math.abs(valueKWh) >= 10_000 ? 1 : 3)} MWh`;
}

/** Power in the chosen units: "50 kW" or "0.05 MW". */
export function power(valueKW: number | undefined | null, units: DisplayUnits): string {
  if (units === 'kW') return kw(valueKW);
  return valueKW === undefined || valueKW === null || !Number.isFinite(valueKW) ? '—' : `${num(valueKW / 1000, 3)} MW`;
}

/** Profit per MW of power per year, the trader's yardstick across battery sizes: "123,456 EUR/MW/year". */
export function eurPerMWYear(profitEur: number | undefined | null, powerKW: number, hours: number): string {
  if (profitEur === undefined || profitEur === null || !Number.isFinite(profitEur) || !(powerKW > 0) || !(hours > 0))
    return '—';
  return `${num(profitEur / (powerKW / 1000) / (hours / 8760), 0)} EUR/MW/year`;
}
