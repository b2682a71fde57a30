export * from './view.ts';
export * from './calendar.ts';
export {
  decisionPoints,
  runStrategy,
  activeSite,
  sliceSiteSeries,
  type SiteRun,
  type DecisionPoint,
  type InformationSetup,
  type MarketSeries,
  type Strategy,
  type StrategyRun,
} from './run.ts';
export {
  baselineStrategies,
  holdStrategy,
  planOnForecast,
  rollingHorizonStrategy,
  thresholdStrategy,
} from './strategies.ts';
export { testSpan } from './span.ts';
export {
  compareUnderInformation,
  type CompareInput,
  type InformationComparison,
  type StrategyScore,
} from './compare.ts';
