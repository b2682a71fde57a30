#!/usr/bin/env node
// End-to-end tests run in Debian's Chromium (Playwright cannot download its own browser here). Finds it, installs it
// with apt-get when missing and we are root, and otherwise says how to get it.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
const found = candidates.find((p) => existsSync(p));
if (found) {
  console.log(`chromium: ${found}`);
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(
    'Chromium not found. Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium/Chrome binary.',
  );
  process.exit(1);
}
console.log("chromium not found: installing Debian's chromium with apt-get ...");
const run = (cmd, args) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status;
if (
  run('apt-get', ['update', '-qq']) !== 0 ||
  run('apt-get', ['install', '-y', '-qq', 'chromium']) !== 0 ||
  !existsSync('/usr/bin/chromium')
) {
  console.error('Installing chromium with apt-get failed; install it by hand or set CHROMIUM_PATH.');
  process.exit(1);
}
console.log('chromium: /usr/bin/chromium');
