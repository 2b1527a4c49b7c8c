// The real browser of the console tests: Debian's Chromium driven by playwright-core (its own browser
// download cannot work here). Where Chromium is missing the tests say why; CI requires it.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from './repo';

export const CHROMIUM = process.env.VPP_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots of every page the tests walk (gitignored). */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output', 'console');

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserUnavailable(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return (
    `Chromium is not at ${CHROMIUM} (set VPP_CHROMIUM to another path): npm start and npm test install ` +
    "Debian's chromium package with apt-get when they run as root; otherwise run 'sudo apt-get install chromium'"
  );
}

/** Whether a missing browser fails the run (CI sets VPP_REQUIRE_BROWSER=1) rather than skipping. */
export const browserRequired = (): boolean => process.env.VPP_REQUIRE_BROWSER === '1';

export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    // Root in CI has no user namespace sandbox; the rest keeps Chromium off the (closed) internet.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
