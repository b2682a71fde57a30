import { test, expect } from '@playwright/test';
import { pageErrors } from './journey.ts';

test('the page loads from its own origin with a Content-Security-Policy', async ({ page }) => {
  const errors = pageErrors(page);
  const response = await page.goto('/');
  expect(response?.ok()).toBe(true);
  await expect(page.locator('h1')).toContainText('PowerBidder');
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  expect(errors).toEqual([]);
});
