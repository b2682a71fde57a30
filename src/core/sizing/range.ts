// Sizing axes from `FROM:TO:STEP` text (or a single value), with errors that name the axis.

/** A sizing input that makes no sense; `field` names it (an axis or an economics parameter). */
export class SizingParamError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'SizingParamError';
  }
}

/** Most values one axis may have: 1,000 × 1,000 cells is already a long job. */
export const MAX_AXIS_VALUES = 1000;

/**
 * `FROM:TO:STEP` → [FROM, FROM + STEP, …, ≤ TO] (TO included when the steps land on it, to 1e-9 of a step), or a
 * single number `N` → [N]. Values must be finite and ≥ 0, STEP > 0, FROM ≤ TO. `field` names the axis in errors.
 */
export function parseRange(text: string, field: string): number[] {
  const parts = text.trim().split(':');
  const nums = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  if (parts.length !== 1 && parts.length !== 3)
    throw new SizingParamError(`${field} must be FROM:TO:STEP or one number, got ${JSON.stringify(text)}`, field);
  const bad = nums.findIndex((n) => !Number.isFinite(n));
  if (bad >= 0) {
    const name = parts.length === 1 ? 'value' : ['FROM', 'TO', 'STEP'][bad];
    throw new SizingParamError(
      `${field}: ${name} must be a number, got ${JSON.stringify(parts[bad])} in ${JSON.stringify(text)}`,
      field,
    );
  }
  if (parts.length === 1) {
    if (nums[0] < 0) throw new SizingParamError(`${field} must be ≥ 0, got ${nums[0]}`, field);
    return [nums[0]];
  }
  const [from, to, step] = nums;
  if (from < 0) throw new SizingParamError(`${field}: FROM must be ≥ 0, got ${from}`, field);
  if (to < from) throw new SizingParamError(`${field}: TO (${to}) must be ≥ FROM (${from})`, field);
  if (!(step > 0)) throw new SizingParamError(`${field}: STEP must be > 0, got ${step}`, field);
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > MAX_AXIS_VALUES)
    throw new SizingParamError(`${field}: ${count} values, more than ${MAX_AXIS_VALUES}; use a larger STEP`, field);
  // Multiply, never accumulate, so 0.1-steps do not drift; round away float noise of the multiplication.
  return Array.from({ length: count }, (_, i) => roundNoise(from + i * step));
}

/** x with float noise below 1e-12 relative removed (0.1 + 2·0.1 → 0.3). */
function roundNoise(x: number): number {
  if (x === 0) return 0;
  const digits = 12 - Math.ceil(Math.log10(Math.abs(x)));
  return digits > 0 && digits < 100 ? Number(x.toFixed(digits)) : x;
}
