// Registers the build's service worker (dist/sw.js) so the app works offline after the first visit. Production
// builds only: the dev server has no sw.js.
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('./sw.js').catch((e: unknown) => console.warn('service worker not registered:', e));
}
