import { test, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { openLab, trainOnWasm } from './journey.ts';

// Nothing leaves the browser: every request of a journey (page, workers, wasm, samples) stays on the page's origin.
test('loading the app, its sample and the oracle sends no request beyond the page origin', async ({
  page,
  context,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  const foreign: string[] = [];
  const seen: string[] = [];
  context.on('request', (r) => {
    const url = r.url();
    seen.push(url);
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  await openLab(page, { oracle: /\d/ });
  await page.waitForLoadState('networkidle');
  expect(seen.some((u) => u.includes('samples/'))).toBe(true);
  expect(foreign).toEqual([]);
});

// Workers do not inherit the page's <meta> policy: each worker script must come with a policy header of its own.
// The probe is a same-origin module worker served with exactly the headers the server sends for the real trainer
// worker script; it tries to reach another origin (answered by a route, so without a policy it would get through)
// and to eval. The same probe without those headers shows both would work: the policy is what stops them.
test.describe('workers', () => {
  test.use({ serviceWorkers: 'block' });

  const PROBE = `
    const out = {};
    try { const r = await fetch('https://example.com/'); out.fetch = 'reached ' + r.status; } catch (e) { out.fetch = 'blocked'; }
    try { out.eval = 'ran ' + eval('6 * 7'); } catch (e) { out.eval = 'blocked'; }
    try { out.fn = 'ran ' + new Function('return 6 * 7')(); } catch (e) { out.fn = 'blocked'; }
    postMessage(out);`;

  test('the page and every worker script are served with a Content-Security-Policy header', async ({
    page,
    context,
  }) => {
    const headers = new Map<string, string | undefined>();
    context.on('response', (r) => headers.set(new URL(r.url()).pathname, r.headers()['content-security-policy']));
    await page.goto('/');
    await expect(page.getByTestId('oracle-profit')).toContainText(/\d/);
    await trainOnWasm(page, 'quick');
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('rl-share')).toHaveText(/%$/, { timeout: 120_000 });
    const page_ = headers.get('/');
    expect(page_).toContain("default-src 'self'");
    const workers = [...headers].filter(([path]) => /\.worker-[\w-]+\.js$/.test(path));
    // The workers this journey starts (the Site panel's starts too once it solves); each is checked below.
    expect(workers.map(([p]) => p.replace(/-[\w-]+\.js$/, ''))).toEqual(
      expect.arrayContaining(['/assets/oracle.worker', '/assets/parse.worker', '/assets/trainer.worker']),
    );
    for (const [path, csp] of workers) {
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("connect-src 'self'");
      expect(csp, path).not.toMatch(/'unsafe-eval'/);
    }
  });

  for (const withPolicy of [true, false]) {
    test(`a same-origin worker ${withPolicy ? 'served as the app serves its workers cannot' : 'served without a policy can'} fetch another origin or eval`, async ({
      page,
      context,
      baseURL,
    }) => {
      let reachedForeign = false;
      await context.route('https://example.com/**', (route) => {
        reachedForeign = true;
        return route.fulfill({ status: 200, body: 'reached', headers: { 'access-control-allow-origin': '*' } });
      });
      await page.goto('/');
      await expect(page.getByTestId('oracle-profit')).toContainText(/\d/);
      // The trainer worker script's URL, from the built page's own chunks.
      const trainerUrl = await page.evaluate(async () => {
        const entry = [...document.querySelectorAll('script[type="module"]')].map(
          (s) => (s as HTMLScriptElement).src,
        )[0];
        const text = await (await fetch(entry)).text();
        // Vite writes the worker's URL relative to the chunk that creates it.
        const m = /trainer\.worker-[\w-]+\.js/.exec(text);
        return m ? new URL(m[0], entry).href : null;
      });
      expect(trainerUrl).not.toBeNull();
      await context.route(`${baseURL}/csp-probe.worker-probe.js`, async (route) => {
        const real = await route.fetch({ url: trainerUrl! });
        const headers: Record<string, string> = { ...real.headers(), 'content-type': 'text/javascript' };
        if (!withPolicy) delete headers['content-security-policy'];
        else expect(headers['content-security-policy']).toContain("default-src 'none'");
        await route.fulfill({ status: 200, headers, body: PROBE });
      });
      const out = await page.evaluate(
        (url) =>
          new Promise<Record<string, string>>((resolve, reject) => {
            const w = new Worker(url, { type: 'module' });
            w.onmessage = (e) => resolve(e.data);
            w.onerror = (e) => reject(new Error(`probe failed: ${e.message}`));
          }),
        `${baseURL}/csp-probe.worker-probe.js`,
      );
      if (withPolicy) {
        expect(out).toEqual({ fetch: 'blocked', eval: 'blocked', fn: 'blocked' });
        expect(reachedForeign).toBe(false);
      } else {
        expect(out).toEqual({ fetch: 'reached 200', eval: 'ran 42', fn: 'ran 42' });
        expect(reachedForeign).toBe(true);
      }
    });
  }
});

// A host that sends no headers (GitHub Pages): a tiny static server over dist/ stands in for it. On the first
// visit only the page's meta tag applies, and a worker is unprotected; once the service worker controls the page,
// it adds the policy header to what it serves, worker scripts included.
test('on a host without headers the service worker gives workers their policy from the second visit on', async ({
  browser,
}) => {
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const { extname, join, normalize } = await import('node:path');
  const root = fileURLToPath(new URL('../dist/', import.meta.url));
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.wasm': 'application/wasm',
    '.json': 'application/json',
    '.svg': 'image/svg+xml',
    '.csv': 'text/csv',
  };
  const PROBE_JS = `const out = {};
    try { const r = await fetch('https://example.com/'); out.fetch = 'reached ' + r.status; } catch (e) { out.fetch = 'blocked'; }
    try { out.eval = 'ran ' + eval('6 * 7'); } catch (e) { out.eval = 'blocked'; }
    postMessage(out);`;
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/csp-probe.worker-probe.js')
      return res.writeHead(200, { 'content-type': 'text/javascript' }).end(PROBE_JS);
    try {
      const file = join(root, normalize(path === '/' ? '/index.html' : path));
      res
        .writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
        .end(await readFile(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const probeIn = async (serviceWorkers: 'allow' | 'block') => {
    const context = await browser.newContext({ serviceWorkers });
    let reachedForeign = 0;
    await context.route('https://example.com/**', (route) => {
      reachedForeign++;
      return route.fulfill({ status: 200, body: 'reached', headers: { 'access-control-allow-origin': '*' } });
    });
    const page = await context.newPage();
    const first = await page.goto(`${origin}/`);
    expect(first?.headers()['content-security-policy']).toBeUndefined();
    await expect(page.getByTestId('dataset-summary')).toContainText('8,760');
    if (serviceWorkers === 'allow') {
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller)
          await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
      });
      await page.reload();
      await expect(page.getByTestId('dataset-summary')).toContainText('8,760');
    }
    const out = await page.evaluate(
      () =>
        new Promise<Record<string, string>>((resolve, reject) => {
          const w = new Worker('./csp-probe.worker-probe.js', { type: 'module' });
          w.onmessage = (e) => resolve(e.data);
          w.onerror = (e) => reject(new Error(`probe failed: ${e.message}`));
        }),
    );
    await context.close();
    return { out, reachedForeign };
  };
  try {
    // The first visit, before a service worker is installed: the host's files alone, and the worker is open.
    expect(await probeIn('block')).toEqual({ out: { fetch: 'reached 200', eval: 'ran 42' }, reachedForeign: 1 });
    // Once the service worker controls the page, it serves the worker script with the workers' policy.
    expect(await probeIn('allow')).toEqual({ out: { fetch: 'blocked', eval: 'blocked' }, reachedForeign: 0 });
  } finally {
    await new Promise((r) => server.close(r));
  }
});
