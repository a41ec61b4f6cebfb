// What every end-to-end spec shares: where screenshots go, how long the UI may take, and
// Debian's Chromium started with the flags that work on these machines (see STACK.md).
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const REPO_ROOT = join(__dirname, '../..');
export const SCREENSHOTS_DIR = join(REPO_ROOT, 'test-output/screenshots');
/** Longest wait for one thing to appear in the UI on a loaded 2-core machine. */
export const UI_WAIT_MS = 120_000;

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium (never a downloaded one), with a fresh profile per launch. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
