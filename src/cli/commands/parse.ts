// `bess parse`: what the page's loader reads from a price file, as the summary the page shows.
import { defineCommand } from '../command.ts';
import { loadPriceFile } from '../../io/load.ts';
import { summarisePrices } from '../../core/prices/summary.ts';
import { keyValueTable } from '../format.ts';

export const command = defineCommand({
  summary: 'Parse a price CSV and summarise it: rows, period, step, price range, negative steps, what was repaired.',
  positionals: [{ name: 'FILE', help: 'price CSV' }],
  options: {},
  async run({ positionals: [file] }) {
    const s = summarisePrices(await loadPriceFile(file));
    const text = keyValueTable([
      ['rows', s.rows],
      ['start (UTC)', s.start],
      ['end (UTC)', s.end],
      ['step', `${s.stepMinutes} min`],
      ['min price', `${s.minPrice} EUR/MWh`],
      ['mean price', `${s.meanPrice.toFixed(2)} EUR/MWh`],
      ['max price', `${s.maxPrice} EUR/MWh`],
      ['negative steps', s.negativeCount],
      ['warnings', s.warnings.length ? s.warnings.join('\n  ') : 'none'],
    ]);
    return { json: s, text };
  },
});
