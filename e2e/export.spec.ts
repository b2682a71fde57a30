import { test, expect } from '@playwright/test';
import { readFileSync, mkdirSync, copyFileSync } from 'node:fs';

test('the price and SOC charts export as a PNG image and as an SVG document', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('oracle-profit')).toContainText(/\d/);
  await expect(page.getByTestId('soc-chart')).toBeVisible();

  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export price and SOC charts as PNG' }).click(),
  ]);
  expect(png.suggestedFilename()).toBe('prices-and-soc.png');
  const pngBytes = readFileSync((await png.path())!);
  expect(Array.from(pngBytes.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // Width and height from the IHDR chunk: the whole chart panel, not an empty canvas.
  expect(pngBytes.readUInt32BE(16)).toBeGreaterThan(600);
  expect(pngBytes.readUInt32BE(20)).toBeGreaterThan(300);
  mkdirSync('e2e/screenshots', { recursive: true });
  copyFileSync((await png.path())!, 'e2e/screenshots/exported-chart.png');

  const [svg] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export price and SOC charts as SVG' }).click(),
  ]);
  expect(svg.suggestedFilename()).toBe('prices-and-soc.svg');
  const text = readFileSync((await svg.path())!, 'utf8');
  expect(text).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
  expect(text).toContain('href="data:image/png;base64,'); // the canvas price line
  expect(text).toMatch(/<text[^>]*>[^<]*(February|Mar|2023)/); // axis labels came along
});
