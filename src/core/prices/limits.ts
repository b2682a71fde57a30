// What a price file may ask of the parser. Checked before anything of that size is allocated, so that a bad file
// gets a message naming the limit instead of "Array buffer allocation failed" (README "Price files" quotes these).

/** Largest file read, in bytes (a ten-year 15-minute ISO file is about 11 MB). */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;
/** Most data rows in a file (ten years of 15-minute steps are 350,400). */
export const MAX_ROWS = 1_000_000;
/** Most steps in the regular series after gaps are filled. */
export const MAX_STEPS = 1_000_000;
/** Longest run of filled steps (missing rows and missing values together): one week. */
export const MAX_GAP_HOURS = 7 * 24;
/** Filled steps may be at most this share of the series; beyond it the file is refused, not repaired. */
export const MAX_FILLED_SHARE = 0.1;
/**
 * Largest |price| accepted, EUR/MWh. Market price limits are far inside it (SDAC day-ahead from −500 to a few thousand,
 * SIDC intraday ±9,999); values beyond it are unit or typing errors and would overflow profits downstream.
 */
export const MAX_ABS_PRICE_EUR_PER_MWH = 1_000_000;
/** Shortest and longest step accepted: 1 minute (5-minute markets exist) to 1 day. */
export const MIN_STEP_MINUTES = 1;
export const MAX_STEP_HOURS = 24;
