import { defineConfig } from 'vite';

// The RL browser bench page (bench/rl-browser.bench.ts builds it): only this page and the real trainer worker,
// bundled as the app bundles its workers; the app's own build (../../vite.config.ts) is untouched. Output in
// bench/browser/dist/ (git-ignored, like every dist/).
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: false,
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    // The bench's own build runs on a busy machine; its plugin-timing hints are noise in the bench output.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
