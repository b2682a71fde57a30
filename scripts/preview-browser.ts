// The screenshot scripts' shared setup: serve the built dist/ with vite preview on a port of its own (in its own
// process group), wait until it answers, open Debian's Chromium (headless, the e2e flags) on a page of the given
// size, and stop the server (and the browser) however the script ends.
import { spawn } from 'node:child_process';
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../playwright.config.ts';

/** Runs `use` with a page at `viewport` (device scale 1) on the app served from dist/ at 127.0.0.1:`port`. */
export async function withPreviewPage(
  port: number,
  viewport: { width: number; height: number },
  use: (page: Page, url: string) => Promise<void>,
): Promise<void> {
  const url = `http://127.0.0.1:${port}/`;
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    stdio: 'ignore',
    detached: true,
  });
  let browser: Browser | undefined;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(url)).ok) break;
      } catch {
        if (i > 120) throw new Error('vite preview did not start');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
    await use(page, url);
  } finally {
    await browser?.close();
    process.kill(-server.pid!);
  }
}
