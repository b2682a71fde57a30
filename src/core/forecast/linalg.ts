// Small dense linear algebra for ridge regression: normal equations solved by Cholesky, plain TypeScript.

/**
 * Solves (A + λI)x = b in place for a symmetric positive semi-definite k×k `a` (row-major, upper triangle read):
 * Cholesky factorisation, then forward and back substitution. λ > 0 keeps it positive definite.
 */
export function solveRidgeNormal(a: Float64Array, b: Float64Array, k: number, lambda: number): Float64Array {
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[j * k + i] + (i === j ? lambda : 0);
      for (let m = 0; m < j; m++) s -= L[i * k + m] * L[j * k + m];
      if (i === j) L[i * k + i] = Math.sqrt(Math.max(s, 1e-300));
      else L[i * k + j] = s / L[j * k + j];
    }
  }
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let m = 0; m < i; m++) s -= L[i * k + m] * y[m];
    y[i] = s / L[i * k + i];
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i];
    for (let m = i + 1; m < k; m++) s -= L[m * k + i] * x[m];
    x[i] = s / L[i * k + i];
  }
  return x;
}

/** Median of a copy of `values` (NaN for none). */
export function median(values: ArrayLike<number>): number {
  const s = new Float64Array(values as ArrayLike<number>).sort();
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}
