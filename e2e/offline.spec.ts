import { test, expect } from '@playwright/test';
import { openLab } from './journey.ts';

// After one visit the service worker has precached the app and its samples: offline, a reload still works.
test('after the first visit the app, its default sample and the oracle work offline', async ({ page, context }) => {
  await openLab(page);
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    return reg.active?.state;
  });
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('dataset-summary')).toContainText('8,760');
  await expect(page.getByTestId('oracle-profit')).toContainText(/\d/);
  await context.setOffline(false);
});
