// How a configuration is named on the page: by the settings that differ between the report's configurations (the
// rest is said once, above the table). The CLI prints every setting; the values are the same.

import type { ConfigRow } from '../../core/sweep/report.ts';

/** Setting names as the CLI's table prints them (`task.battery.capacityKWh` → `battery.capacityKWh`). */
export const settingLabel = (key: string) => key.replace(/^(task|sweep)\./, '');

/** The settings whose value is not the same in every row (missing counts as a value), sorted. */
export function varyingKeys(rows: readonly ConfigRow[]): string[] {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.config)))].sort();
  return keys.filter((k) => new Set(rows.map((r) => r.config[k] ?? '\u0000')).size > 1);
}

/** The settings every row shares, as `key=value` pairs. */
export function commonSettings(rows: readonly ConfigRow[]): string[] {
  if (!rows.length) return [];
  const varying = new Set(varyingKeys(rows));
  return Object.keys(rows[0].config)
    .filter((k) => !varying.has(k))
    .sort()
    .map((k) => `${settingLabel(k)}=${rows[0].config[k]}`);
}

/** A row's name: its varying settings (`battery.capacityKWh=100`), or `all runs` when nothing varies. */
export function configName(row: ConfigRow, varying: readonly string[]): string {
  const parts = varying.map((k) => `${settingLabel(k)}=${row.config[k] ?? '—'}`);
  return parts.length ? parts.join(' ') : 'all runs';
}
