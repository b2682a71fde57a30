// A small valid run file for the runs journeys, made with the app's own exporter (so it is what the app writes).
import { exportRunJson, runFromResult } from '../src/ui/runs/store.ts';
import { fakeResult } from '../src/ui/runs/test-factory.ts';

/**
 * The text of a `*.powerbidder-run.json` file for a made-up run `id` named `name`; `params` are its recorded
 * trainer params and `history` its progress records (a two-point curve by default).
 */
export function runFileText(
  id: string,
  name: string,
  share = 0.9,
  over: { params?: Record<string, unknown>; history?: NonNullable<Parameters<typeof fakeResult>[1]>['history'] } = {},
): string {
  const result = fakeResult(share, {
    params: over.params,
    history: over.history ?? [
      { phase: 'clone', iteration: 1, elapsedS: 1, metrics: {}, shareOfOracle: share - 0.05 },
      { phase: 'ppo', iteration: 1, elapsedS: 2, metrics: { 'charts/SPS': 100 }, shareOfOracle: share },
    ],
  });
  return exportRunJson(
    runFromResult(result, {
      id,
      createdAt: Date.UTC(2026, 0, 2),
      name,
      dataFile: 'fixture.csv',
      dataFingerprint: 'x',
      seconds: 5,
    }),
  );
}
