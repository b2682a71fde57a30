import { type Locator, expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { openLab, pageErrors } from './journey.ts';

// Faulty price files picked in the real page: Chromium's worker decodes and reads them through the same path as
// `bess` (workers/parse-parity.test.ts proves the two agree in Node); here the user sees the result.

const fault = (name: string) => fileURLToPath(new URL(`../test-data/faults/${name}`, import.meta.url));

/** Opens the parser notes (the toggle keeps its state from one file to the next). */
async function openNotes(summary: Locator, name: RegExp): Promise<void> {
  const button = summary.getByRole('button', { name });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
}

test('encodings are decoded, missing values filled and reported, broken files refused with their row', async ({
  page,
}) => {
  const errors = pageErrors(page);
  await openLab(page);
  const summary = page.getByTestId('dataset-summary');

  for (const [file, encoding] of [
    ['utf16le-bom.csv', 'UTF-16LE'],
    ['utf16be-bom.csv', 'UTF-16BE'],
    ['windows-1252.csv', 'Windows-1252'],
  ]) {
    await page.getByTestId('csv-input').setInputFiles(fault(file));
    await expect(summary).toContainText(file);
    await expect(summary).toContainText('24');
    await openNotes(summary, /parser note/);
    await expect(summary).toContainText(`read as ${encoding}`);
  }

  await page.getByTestId('csv-input').setInputFiles(fault('missing-markers.csv'));
  await expect(summary).toContainText('missing-markers.csv');
  await expect(summary).toContainText('72');
  await openNotes(summary, /6 parser notes/);
  await expect(summary).toContainText('rows 7–8, column "price_eur_mwh": 2 missing values ("NaN", "Inf")');
  await expect(page.getByTestId('error')).toHaveCount(0);

  const error = page.getByTestId('error');
  const refusals: [string, string][] = [
    [
      'stray-quote.csv',
      'stray-quote.csv, row 6, column "price_eur_mwh": a quote opens here and does not close on this line',
    ],
    ['far-timestamp.csv', 'far-timestamp.csv, row 5: 40,007,133 steps'],
    ['binary.csv', 'binary.csv: line 1 holds the control character 0x1b'],
    ['price-float-limit.csv', 'price-float-limit.csv, row 13, column "price_eur_mwh": "1e308" EUR/MWh is outside'],
    ['hour-25-normal-day.csv', 'hour-25-normal-day.csv, row 26, column "Hour": hour 25 on 02/01/2023'],
  ];
  for (const [file, message] of refusals) {
    await page.getByTestId('csv-input').setInputFiles(fault(file));
    await expect(error).toContainText(message);
    expect(await error.textContent()).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    // The data loaded before stays.
    await expect(summary).toContainText('missing-markers.csv');
  }
  expect(errors).toEqual([]);
});
