// The browser benches' host: builds bench/browser/ (its own Vite config, output in bench/browser/dist/, git-ignored),
// serves it on 127.0.0.1, launches Debian's Chromium with WebGPU enabled, and opens pages that can reach nothing
// but 127.0.0.1.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { build } from 'vite';
import { chromiumArgs, chromiumPath } from '../playwright.config.ts';

const PAGE_DIR = fileURLToPath(new URL('browser/', import.meta.url));

// The trainer's WebGPU needs a GPU process: no --disable-gpu. SwiftShader provides the adapter on a GPU-less machine.
export const ARGS = [...chromiumArgs.filter((a) => a !== '--disable-gpu'), '--enable-unsafe-webgpu'];

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** Serves `root` on 127.0.0.1 (a free port); nothing outside it. */
async function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
    const file = join(root, path === '' || path.endsWith(sep) ? join(path, 'index.html') : path);
    if (file !== root && !file.startsWith(root + sep)) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res
        .writeHead(200, {
          'content-type': MIME[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('bench server has no port');
  return { server, url: `http://127.0.0.1:${addr.port}/` };
}

/** Builds the bench page, serves it and launches Chromium; `close` undoes all three. */
export async function startBenchHost(): Promise<{
  browser: Browser;
  url: string;
  buildS: number;
  version: string;
  close: () => Promise<void>;
}> {
  const t0 = performance.now();
  await build({ configFile: join(PAGE_DIR, 'vite.config.ts') });
  const buildS = (performance.now() - t0) / 1000;
  const { server, url } = await serve(join(PAGE_DIR, 'dist'));
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ARGS });
  return {
    browser,
    url,
    buildS,
    version: browser.version(),
    close: async () => {
      await browser.close();
      await new Promise((ok) => server.close(ok));
    },
  };
}

/** A new page in `context` on the bench page, with requests beyond 127.0.0.1 blocked and page errors logged. */
export async function openBenchPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.route('**/*', (route) =>
    new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
  );
  page.on('console', (m) => {
    if (m.type() === 'error') process.stderr.write(`  [page] ${m.text()}\n`);
  });
  await page.exposeFunction('powerbidderBenchLog', (line: string) => process.stderr.write(`  ${line}\n`));
  await page.goto(url);
  await page.waitForFunction(() => typeof window.powerbidderBench === 'function');
  return page;
}
