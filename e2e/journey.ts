// What the journeys share to set themselves up: opening the lab on its bundled sample, collecting the page's
// uncaught errors, dropping a file on the drop zone, the test files' paths, the runs table's rows, screenshots, and
// choosing the wasm backend (and a preset) for a short training run. The journeys keep their own assertions; the waits here are the ones each
// journey made before its first step.
import { type Page, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';

/** A file in e2e/fixtures/. */
export const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
/** A real price file in test-data/real/. */
export const realFile = (name: string) => fileURLToPath(new URL(`../test-data/real/${name}`, import.meta.url));

/**
 * Opens the lab and waits for the bundled DE-LU 2023 sample (8,760 hours) to be summarised; given `oracle`, also for
 * the oracle's profit to show it (the whole-series optimum is solved).
 */
export async function openLab(page: Page, { oracle }: { oracle?: string | RegExp } = {}): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('dataset-summary')).toContainText('8,760');
  if (oracle !== undefined) await expect(page.getByTestId('oracle-profit')).toContainText(oracle);
}

/** The page's uncaught errors from now on (a journey ends expecting none). */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Drops a file on the drop zone the way a browser does: a DataTransfer holding a File. */
export async function dropFile(page: Page, name: string, content: string): Promise<void> {
  const dt = await page.evaluateHandle(
    ({ name, content }) => {
      const d = new DataTransfer();
      d.items.add(new File([content], name, { type: 'text/csv' }));
      return d;
    },
    { name, content },
  );
  const zone = page.getByRole('region', { name: /drop a price csv/i });
  await zone.dispatchEvent('dragover', { dataTransfer: dt });
  await zone.dispatchEvent('drop', { dataTransfer: dt });
}

/** The rows of the runs table. */
export const runRows = (page: Page) => page.getByTestId('runs-table').locator('tbody tr');

/** A full-page screenshot in e2e/screenshots/ (git-ignored), to be looked at. */
export const shot = (page: Page, name: string) =>
  page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });

/** Trains on the wasm backend (the same numbers on any machine), with `preset` chosen when given. */
export async function trainOnWasm(page: Page, preset?: 'quick' | 'scratch'): Promise<void> {
  await page.getByLabel('Backend').selectOption('wasm');
  if (preset) await page.getByLabel('Preset').selectOption(preset);
}
