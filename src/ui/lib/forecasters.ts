// What the page says about a forecaster beyond its name, measured with `npm run bench -- forecast` (README,
// "Value of information"; one run, seed 1, test span = last 25% of each file).

/** nn's description under the forecaster list: what it is, what it costs, and how it measured against lear. */
export const NN_NOTE =
  'nn: a small tfjs network on lear’s inputs (the exogenous file too, when one is loaded), refitted weekly. ' +
  'It does not beat lear: on DE-LU 2023 with SMARD it earned 67.5% of the oracle (rMAE 0.51) where lear earned ' +
  '73.9% (0.48). Price-only it is on a par with ridge (rMAE 0.68–0.72 against 0.70–0.75 on three market-years) at ' +
  'some 150 times ridge’s CPU time: 25–50 s per year of daily forecasts. Offered for comparison, not as a default.';
