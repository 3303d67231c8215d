import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium: .ci/run installs it (`apt-get install chromium`); playwright-core brings no browser. */
export const CHROMIUM = '/usr/bin/chromium';

export const DESKTOP = { width: 1280, height: 800 };

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile in a temporary folder (removed on close), so no earlier run's
 * cache, storage or downloads leak in. Playwright refuses `--user-data-dir` among the arguments of
 * `launch()`; a persistent context is how it takes a profile folder. A missing browser fails the test
 * with the way to install it: skipping would let CI pass without ever opening the console.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: the console's end-to-end tests drive Debian's Chromium ` +
        '(apt-get install chromium; .ci/run installs it)',
    );
  const profile = mkdtempSync(join(tmpdir(), 'cekit-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      viewport: DESKTOP,
      deviceScaleFactor: 1,
      acceptDownloads: true,
      locale: 'en-US',
      timezoneId: 'UTC',
      reducedMotion: 'reduce',
      colorScheme: 'light',
    });
    return {
      context,
      close: async () => {
        try {
          await context.close();
        } finally {
          rmSync(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
