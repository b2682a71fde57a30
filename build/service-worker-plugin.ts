// Writes dist/sw.js at build time: a cache-first service worker that precaches every emitted asset (JS, CSS, wasm,
// workers), index.html, the icon and the bundled samples, so after one visit the app works with no network.
// Dependency-free on purpose; URLs are relative to the worker, so the site may live under a sub-path.
// It also adds the Content-Security-Policy header (build/csp.ts) to what it serves when the host sent none (GitHub
// Pages and other hosts without custom headers): from the second visit on, the page and its workers are then
// protected by a header there too.
import type { Plugin } from 'vite';
import { PAGE_CSP, WORKER_CSP, WORKER_PATH } from './csp.ts';
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  try {
    walk(dir);
  } catch {
    /* no public dir */
  }
  return out;
}

export function serviceWorker(): Plugin {
  let publicDir = 'public';
  return {
    name: 'powerbidder-service-worker',
    apply: 'build',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    generateBundle(_options, bundle) {
      const assets = Object.keys(bundle).filter((f) => !f.endsWith('.map'));
      const files = [...new Set(['./', 'index.html', ...assets, ...filesUnder(publicDir)])]
        .filter((f) => f !== 'sw.js')
        .sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const source = `// Generated at build time by build/service-worker-plugin.ts.
const CACHE = 'powerbidder-${version}';
const FILES = ${JSON.stringify(files)};
const PAGE_CSP = ${JSON.stringify(PAGE_CSP)};
const WORKER_CSP = ${JSON.stringify(WORKER_CSP)};
const WORKER_PATH = ${WORKER_PATH.toString()};
// A host that sends no policy header (GitHub Pages) still gets one on what this worker serves.
function withCsp(res, url) {
  if (!res || res.type === 'opaque' || res.type === 'opaqueredirect' || res.headers.has('Content-Security-Policy')) return res;
  const headers = new Headers(res.headers);
  headers.set('Content-Security-Policy', WORKER_PATH.test(new URL(url).pathname) ? WORKER_CSP : PAGE_CSP);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES.map((f) => new URL(f, self.registration.scope).href))).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('powerbidder-') && k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});
self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const hit = await cache.match(req, { ignoreSearch: true, ignoreVary: true });
      if (hit) return withCsp(hit, req.url);
      if (req.mode === 'navigate') {
        const shell = await cache.match(new URL('index.html', self.registration.scope).href, { ignoreVary: true });
        try { return withCsp(await fetch(req), req.url); } catch { if (shell) return withCsp(shell, req.url); throw new Error('offline'); }
      }
      return withCsp(await fetch(req), req.url);
    }),
  );
});
`;
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
