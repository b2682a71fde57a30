// A series' PV and load cut into a run's training and test splits: the TrainSite that bess train, the sweep's site
// axis and the page's training all hand to runTraining (one builder, so all three train on the same steps).
import type { SiteSeries, SiteSpec } from '../site/site.ts';
import type { TrainSite } from './run.ts';

/**
 * The site `site` around steps [trainStart, trainEnd) (training) and [trainEnd, end) (test) of `series`; a column
 * the series lacks stays null in both splits. The slices are copies (safe to send to a worker).
 */
export function splitTrainSite(
  site: SiteSpec,
  series: SiteSeries,
  trainStart: number,
  trainEnd: number,
  end?: number,
): TrainSite {
  const part = (xs: ArrayLike<number> | null, from: number, to?: number) =>
    xs === null ? null : Float64Array.from(xs).slice(from, to);
  return {
    site,
    train: { pvKW: part(series.pvKW, trainStart, trainEnd), loadKW: part(series.loadKW, trainStart, trainEnd) },
    test: { pvKW: part(series.pvKW, trainEnd, end), loadKW: part(series.loadKW, trainEnd, end) },
  };
}
