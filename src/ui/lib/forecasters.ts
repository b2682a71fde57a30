// What the page says about a forecaster beyond its name, measured with `npm run bench -- forecast` (README).

/** nn's description under the forecaster list: what it is, its cost, and how it measured against lear. */
export const NN_NOTE = 'TBD';
