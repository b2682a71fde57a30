// Colours of overlaid runs: one per run, distinct from each other and from the live run's sky blue, readable on the
// page's dark background (Tableau 10, less its blue). The runs table shows the same colour beside a ticked run.
//
// Usage: runColor(runs.selected.indexOf(id)) → '#f28e2b'

/** The live (current) run's colour on every chart. */
export const CURRENT_RUN_COLOR = '#38bdf8';

export const RUN_COLORS: readonly string[] = [
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** The colour of the k-th overlaid run (k ≥ 0); the palette repeats after nine runs. */
export function runColor(k: number): string {
  return RUN_COLORS[((k % RUN_COLORS.length) + RUN_COLORS.length) % RUN_COLORS.length];
}
