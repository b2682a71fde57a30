import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { cspFor, PAGE_CSP, PAGE_CSP_META, WORKER_CSP, WORKER_PATH } from './csp.ts';

const directives = (policy: string) =>
  new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );

describe('the Content-Security-Policy', () => {
  it('lets the page and its workers reach only their own origin, and allows no eval', () => {
    for (const policy of [PAGE_CSP, PAGE_CSP_META, WORKER_CSP]) {
      const d = directives(policy);
      expect(d.get('default-src')?.every((v) => v === "'self'" || v === "'none'")).toBe(true);
      expect(policy).not.toMatch(/'unsafe-eval'|https?:|\*/);
      expect(d.get('connect-src')?.every((v) => ["'self'", 'blob:', 'data:'].includes(v))).toBe(true);
    }
    expect(directives(WORKER_CSP).get('connect-src')).toEqual(["'self'"]);
    expect(directives(WORKER_CSP).get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(PAGE_CSP_META).not.toContain('frame-ancestors');
  });

  it("cspFor gives every worker script, in the dev server and in the build, the workers' policy", () => {
    const workers = readdirSync(new URL('../workers/', import.meta.url)).filter((f) => f.endsWith('.worker.ts'));
    expect(workers.length).toBeGreaterThan(0);
    for (const w of workers) {
      expect(cspFor(`/workers/${w}?worker_file&type=module`)).toBe(WORKER_CSP);
      expect(cspFor(`/assets/${w.replace('.ts', '')}-BWfjrVpW.js`)).toBe(WORKER_CSP);
    }
    for (const page of [
      '/',
      '/index.html',
      '/assets/index-DglVdHjj.js',
      '/samples/samples.json',
      '/sw.js',
      '/assets/tfjs-backend-wasm-BIA8cDLW.wasm',
    ]) {
      expect(cspFor(page)).toBe(PAGE_CSP);
    }
  });

  it('deploy/nginx.conf sends the same two policies, on the same paths, in every location with its own headers', () => {
    const conf = readFileSync(new URL('../deploy/nginx.conf', import.meta.url), 'utf8');
    const map = /map \$uri \$powerbidder_csp \{\s*"(.+?)" "(.+?)";\s*default "(.+?)";\s*\}/s.exec(conf);
    expect(map).not.toBeNull();
    const [, pattern, worker, page] = map!;
    expect(worker).toBe(WORKER_CSP);
    expect(page).toBe(PAGE_CSP);
    const re = new RegExp(pattern.replace(/^~/, '').replace(/\\w/g, '\\w'));
    expect(re.test('/assets/trainer.worker-BWfjrVpW.js')).toBe(true);
    expect(re.test('/assets/index-DglVdHjj.js')).toBe(false);
    expect(WORKER_PATH.test('/assets/trainer.worker-BWfjrVpW.js')).toBe(true);
    // nginx forgets inherited add_header lines in a location that has its own: each one must repeat the policy.
    for (const loc of conf.matchAll(/location [^{]+\{([^}]*)\}/g)) {
      if (loc[1].includes('add_header'))
        expect(loc[1]).toContain('add_header Content-Security-Policy $powerbidder_csp always;');
    }
  });
});
