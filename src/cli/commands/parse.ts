import type { Command } from '../bess.ts';
import { CliError } from '../args.ts';
import { loadPriceFile } from '../../io/load.ts';
import { summarisePrices } from '../../core/prices/summary.ts';
import { keyValueTable } from '../format.ts';

export const command: Command = {
  summary: 'Parse a price CSV and summarise it: rows, period, step, price range, negative steps, what was repaired.',
  usage: 'bess parse FILE [--json]',
  async run(args) {
    const file = args.positional[0];
    if (!file) throw new CliError('parse needs a FILE');
    const s = summarisePrices(await loadPriceFile(file));
    const text = keyValueTable([
      ['rows', s.rows], ['start (UTC)', s.start], ['end (UTC)', s.end], ['step', `${s.stepMinutes} min`],
      ['min price', `${s.minPrice} EUR/MWh`], ['mean price', `${s.meanPrice.toFixed(2)} EUR/MWh`], ['max price', `${s.maxPrice} EUR/MWh`],
      ['negative steps', s.negativeCount], ['warnings', s.warnings.length ? s.warnings.join('\n  ') : 'none'],
    ]);
    return { json: s, text };
  },
};
