import { describe, expect, it } from 'vitest';
import { serviceWorker } from './service-worker-plugin.ts';
import { PAGE_CSP, WORKER_CSP } from './csp.ts';

/** The generated sw.js, evaluated with stand-ins for the worker globals; returns its withCsp(). */
function generatedWithCsp(): (res: Response, url: string) => Response {
  const plugin = serviceWorker() as unknown as {
    configResolved(c: { publicDir: string }): void;
    generateBundle(this: unknown, o: object, b: object): void;
  };
  plugin.configResolved({ publicDir: '/nonexistent' });
  let source = '';
  plugin.generateBundle.call(
    { emitFile: (f: { source: string }) => (source = f.source) },
    {},
    { 'index.html': {}, 'assets/trainer.worker-Ab1.js': {} },
  );
  return new Function('self', 'caches', `${source}\nreturn withCsp;`)({ addEventListener() {} }, {});
}

describe('service worker', () => {
  it("adds the policy header (the workers' own for worker scripts) to what it serves when the host sent none", async () => {
    const withCsp = generatedWithCsp();
    const worker = withCsp(
      new Response('postMessage(1)', { headers: { 'content-type': 'text/javascript' } }),
      'https://user.github.io/app/assets/trainer.worker-Ab1.js',
    );
    expect(worker.headers.get('content-security-policy')).toBe(WORKER_CSP);
    expect(worker.headers.get('content-type')).toBe('text/javascript');
    expect(await worker.text()).toBe('postMessage(1)');
    const page = withCsp(
      new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html' } }),
      'https://user.github.io/app/',
    );
    expect(page.headers.get('content-security-policy')).toBe(PAGE_CSP);
  });

  it('keeps a policy the host sent', () => {
    const withCsp = generatedWithCsp();
    const res = withCsp(
      new Response('x', { headers: { 'content-security-policy': "default-src 'none'" } }),
      'https://h/assets/index-1.js',
    );
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
  });
});
