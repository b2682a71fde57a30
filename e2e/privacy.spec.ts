import { test, expect } from '@playwright/test';

// Nothing leaves the browser: every request of a journey (page, workers, wasm, samples) stays on the page's origin.
test('loading the app, its sample and the oracle sends no request beyond the page origin', async ({ page, context, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const foreign: string[] = [];
  const seen: string[] = [];
  context.on('request', (r) => {
    const url = r.url();
    seen.push(url);
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  await page.goto('/');
  await expect(page.getByTestId('dataset-summary')).toContainText('8,760');
  await expect(page.getByTestId('oracle-profit')).toContainText(/\d/);
  await page.waitForLoadState('networkidle');
  expect(seen.some((u) => u.includes('samples/'))).toBe(true);
  expect(foreign).toEqual([]);
});
