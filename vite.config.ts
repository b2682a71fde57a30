import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { serviceWorker } from './build/service-worker-plugin.ts';
import { cspHeaders } from './build/csp.ts';

// A static site: everything (samples, tfjs wasm files) is served from the page's own origin.
export default defineConfig({
  base: './',
  // cspHeaders: the Content-Security-Policy as a response header (page and workers) and as index.html's meta tag.
  plugins: [svelte(), cspHeaders(), serviceWorker()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 4000 },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
