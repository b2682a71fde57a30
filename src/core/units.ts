// The one place where units meet. Markets quote prices in EUR/MWh; the battery model counts energy in kWh and
// power in kW; a step lasts `dtHours`. Every conversion between them lives here.

/** kWh in one MWh. */
export const KWH_PER_MWH = 1000;

/** Money for an amount of energy at a market price: EUR/MWh × kWh → EUR. The only price × energy formula. */
export function eurForEnergy(priceEurPerMWh: number, energyKWh: number): number {
  return (priceEurPerMWh * energyKWh) / KWH_PER_MWH;
}

/** A cost per kWh quoted as markets quote prices: EUR/kWh → EUR/MWh. */
export function eurPerMWhFromEurPerKWh(eurPerKWh: number): number {
  return eurPerKWh * KWH_PER_MWH;
}

/** Energy moved in one step at a constant power: kW × h → kWh. */
export function energyForPower(powerKW: number, dtHours: number): number {
  return powerKW * dtHours;
}

/** Step length in minutes, as people read it (60, 15). */
export function stepMinutes(dtHours: number): number {
  return Math.round(dtHours * 60 * 1e6) / 1e6;
}

/** Milliseconds in one hour: step lengths in hours ↔ UTC timestamps in ms. */
export const MS_PER_HOUR = 3_600_000;
