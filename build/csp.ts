// The Content-Security-Policy of the site, in one place: sent as a response header by `vite` and `vite preview`
// (the plugin below), written into index.html as a <meta> tag for hosts that cannot send headers, added by the
// service worker to what it serves, and copied into deploy/nginx.conf (a test holds that copy to this one).
//
// The page may load only its own files; 'wasm-unsafe-eval' lets tfjs and the oracle compile their WebAssembly
// (it does not allow eval); blob: covers downloads made in the page. Workers get a policy of their own, tighter
// still: a dedicated worker does not inherit the page's policy (its script's response decides it, CSP Level 3
// §"Workers"), so without a header on the worker script, a worker could fetch anything and run eval.
import type { Plugin } from 'vite';

const PAGE_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' blob: data:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
];

/** The page's policy as a <meta> tag may carry it (frame-ancestors is ignored there). */
export const PAGE_CSP_META = PAGE_DIRECTIVES.join('; ');

/** The page's policy as a response header: the meta policy plus what only a header can say. */
export const PAGE_CSP = [...PAGE_DIRECTIVES, "frame-ancestors 'self'"].join('; ');

/** Workers parse, solve and train: they need their own scripts, WebAssembly and same-origin fetches, nothing else. */
export const WORKER_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "worker-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Worker scripts by their path: `workers/x.worker.ts` in the dev server, `assets/x.worker-HASH.js` once built
 * (Vite keeps the source file's name). Every worker of the app is a `*.worker.ts` file (DESIGN.md layout).
 */
export const WORKER_PATH = /\.worker(?:-[\w-]+)?\.(?:js|ts)$/;

/** The policy for a request path (query and hash ignored). */
export function cspFor(url: string): string {
  const path = url.split(/[?#]/, 1)[0];
  return WORKER_PATH.test(path) ? WORKER_CSP : PAGE_CSP;
}

type Next = () => void;
type Res = { setHeader(name: string, value: string): void };

/** Sends the policy as a header from the dev server and `vite preview`, and writes the page's into index.html. */
export function cspHeaders(): Plugin {
  const middleware = (req: { url?: string }, res: Res, next: Next) => {
    res.setHeader('Content-Security-Policy', cspFor(req.url ?? '/'));
    next();
  };
  return {
    name: 'powerbidder-csp',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
    transformIndexHtml() {
      return [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: PAGE_CSP_META },
          injectTo: 'head-prepend',
        },
      ];
    },
  };
}
