// Battery flag names as args.ts's batteryFlags reads them (kept here until the strict parser owns the list).
export const BATTERY_FLAG_NAMES = ['capacity-kwh', 'power-kw', 'charge-power-kw', 'discharge-power-kw', 'charge-efficiency', 'discharge-efficiency',
  'degradation-eur-per-kwh', 'initial-soc-kwh', 'min-soc-kwh', 'max-soc-kwh', 'terminal-soc-kwh', 'independent-power-limits'];
