/**
 * Debian's Chromium driven by playwright-core, which brings no browser of its own (a test tool's browser download
 * fails on this network). Used by `npm run test:browser` and `npm run docs:screenshot`, never by `npm test`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const INSTALL_HINT = 'install Debian chromium: apt-get install chromium';

/**
 * Headless as root, and without the background connections (updates, sync, field trials, QUIC probes) that a
 * closed network refuses by the dozen at every start.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A browser with a fresh, empty profile (`--user-data-dir`, which playwright takes as its own parameter), removed on close. */
export async function launchChromium(): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), 'drift-report-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
