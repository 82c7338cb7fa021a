/**
 * `npm run docs:screenshot`: renders the sample report (every kind, one hostile schedule) and saves the page as
 * docs/drift-report.png for the README.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderHtml } from '../../functions/core/report-html';
import { sampleReport } from '../fixtures/html-report';
import { CHROMIUM_PATH, INSTALL_HINT, chromiumInstalled, launchChromium } from './chromium';

const OUTPUT = resolve(__dirname, '../../docs/drift-report.png');

async function main(): Promise<void> {
  if (!chromiumInstalled()) throw new Error(`no ${CHROMIUM_PATH}; ${INSTALL_HINT}`);
  const dir = await mkdtemp(join(tmpdir(), 'drift-report-screenshot-'));
  const browser = await launchChromium();
  try {
    const file = join(dir, 'report.html');
    await writeFile(file, renderHtml(sampleReport()));
    const page = await browser.context.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.screenshot({ path: OUTPUT, fullPage: true });
    console.log(`saved ${OUTPUT}`);
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
