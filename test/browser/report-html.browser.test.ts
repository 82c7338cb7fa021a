/**
 * The HTML drift report in a real headless Chromium (Debian's package): it renders, filters and sorts, and hostile
 * report content stays text. Run with `npm run test:browser`; not part of `npm test`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { renderHtml } from '../../functions/core/report-html';
import type { DriftReport } from '../../functions/core/report';
import { HOSTILE_DESCRIPTION, HOSTILE_GLOBAL, HOSTILE_INPUT, sampleReport } from '../fixtures/html-report';
import { CHROMIUM_PATH, INSTALL_HINT, chromiumInstalled, launchChromium, type Chromium } from './chromium';

/** What the page did besides rendering: every one of these must stay empty or hold only the page itself. */
interface PageLog {
  url: string;
  requests: string[];
  dialogs: string[];
  errors: string[];
}

describe('HTML drift report in Chromium', function () {
  this.timeout(60_000);
  let browser: Chromium | undefined;
  let dir = '';

  before(async function () {
    if (!chromiumInstalled()) {
      console.warn(`\n  SKIPPED: no ${CHROMIUM_PATH}; ${INSTALL_HINT}\n`);
      this.skip();
    }
    dir = await mkdtemp(join(tmpdir(), 'drift-report-html-'));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  async function open(report: DriftReport, file: string): Promise<{ page: Page; log: PageLog }> {
    const path = join(dir, file);
    await writeFile(path, renderHtml(report));
    const url = pathToFileURL(path).href;
    const page = await browser!.context.newPage();
    const log: PageLog = { url, requests: [], dialogs: [], errors: [] };
    page.on('request', (request) => log.requests.push(request.url()));
    page.on('dialog', (dialog) => {
      log.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    // A CSP violation (our own script or style refused) or a script error shows up here.
    page.on('console', (message) => {
      if (message.type() === 'error') log.errors.push(message.text());
    });
    page.on('pageerror', (error) => log.errors.push(error.message));
    await page.goto(url);
    return { page, log };
  }

  function expectQuiet(log: PageLog): void {
    expect(log.dialogs, 'dialogs').to.deep.equal([]);
    expect(log.errors, 'console errors').to.deep.equal([]);
    expect(log.requests, 'requests: only the page itself').to.deep.equal([log.url]);
  }

  const rowNames = (page: Page): Promise<string[]> =>
    page.locator('#items-body > tr').evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-kind')} ${row.children[1]?.textContent}/${row.children[2]?.textContent}`));

  it('renders the counts per kind and every item', async () => {
    // Act
    const { page, log } = await open(sampleReport(), 'counts.html');
    // Assess
    const counts = await page.locator('.count').evaluateAll((cards) => cards.map((card) => `${card.getAttribute('data-kind')}=${card.querySelector('.n')?.textContent}`));
    expect(counts).to.deep.equal(['IN_SYNC=41', 'MISSING_IN_STORE=2', 'MODIFIED=3', 'DELETED_LIVE=2', 'NOT_CHECKED=1']);
    expect(await rowNames(page)).to.have.length(8);
    expect(await page.locator('#shown').textContent()).to.equal('8 of 8 items shown');
    const diff = await page.locator('#items-body > tr', { hasText: 'invoice-hourly' }).locator('table.diff tbody tr').evaluateAll((rows) =>
      rows.map((row) => [...row.children].map((cell) => cell.textContent)));
    expect(diff).to.deep.equal([
      ['target.arn', 'arn:aws:lambda:eu-west-1:123456789012:function:invoice', 'arn:aws:lambda:eu-west-1:123456789012:function:invoice-v2'],
      ['flexibleTimeWindow', '{\n  "mode": "OFF"\n}', '{\n  "mode": "FLEXIBLE",\n  "maximumWindowInMinutes": 15\n}'],
      ['endDate', '2026-12-31T00:00:00.000Z', '(absent)'],
    ]);
    expectQuiet(log);
    await page.close();
  });

  it('shows only the chosen kind when filtered by kind', async () => {
    // Prepare
    const { page, log } = await open(sampleReport(), 'kind.html');
    // Act
    await page.selectOption('#kind-filter', 'DELETED_LIVE');
    // Assess
    expect(await rowNames(page)).to.deep.equal(['DELETED_LIVE analytics/export-weekly', 'DELETED_LIVE billing/trial-reminder-once']);
    expect(await page.locator('#shown').textContent()).to.equal('2 of 8 items shown');
    expectQuiet(log);
    await page.close();
  });

  it('matches names, properties and values when filtered by text', async () => {
    // Prepare
    const { page, log } = await open(sampleReport(), 'text.html');
    const cases = [
      { reason: 'a schedule name', text: 'NIGHTLY', rows: ['MISSING_IN_STORE ops/nightly-backup'] },
      { reason: 'a live value inside a difference', text: 'invoice-v2', rows: ['MODIFIED billing/invoice-hourly'] },
      { reason: 'a property path', text: 'state', rows: ['MODIFIED ops/disk-cleanup'] },
      { reason: 'combined with the kind filter', text: 'ops', kind: 'MISSING_IN_STORE', rows: ['MISSING_IN_STORE ops/nightly-backup'] },
    ];
    for (const { reason, text, kind, rows } of cases) {
      // Act
      await page.selectOption('#kind-filter', kind ?? '');
      await page.fill('#text-filter', text);
      // Assess
      expect(await rowNames(page), reason).to.deep.equal(rows);
    }
    await page.fill('#text-filter', 'no-such-schedule');
    expect(await page.locator('#items-body').textContent()).to.equal('No items match the filter.');
    expectQuiet(log);
    await page.close();
  });

  it('reorders the rows when a column header is clicked, and reverses on a second click', async () => {
    // Prepare
    const { page, log } = await open(sampleReport(), 'sort.html');
    const schedules = async (): Promise<string[]> => (await rowNames(page)).map((name) => name.split('/')[1] ?? '');
    const initial = await schedules();
    const ascending = [...initial].sort();
    // Act
    await page.click('th[data-sort="scheduleName"] button');
    const first = await schedules();
    await page.click('th[data-sort="scheduleName"] button');
    const second = await schedules();
    // Assess
    expect(initial).not.to.deep.equal(ascending);
    expect(first).to.deep.equal(ascending);
    expect(second).to.deep.equal([...ascending].reverse());
    expect(await page.getAttribute('th[data-sort="scheduleName"]', 'aria-sort')).to.equal('descending');
    expectQuiet(log);
    await page.close();
  });

  it('shows a hostile description and input as text, and runs none of it', async () => {
    // Act
    const { page, log } = await open(sampleReport(), 'hostile.html');
    // Assess
    const cells = page.locator('#items-body > tr', { hasText: 'newsletter-weekly' }).locator('table.diff td.live');
    expect(await cells.allTextContents()).to.deep.equal([HOSTILE_DESCRIPTION, HOSTILE_INPUT]);
    expect(await page.getByText(HOSTILE_DESCRIPTION, { exact: true }).isVisible()).to.equal(true);
    expect(await page.evaluate((name) => (globalThis as unknown as Record<string, unknown>)[name], HOSTILE_GLOBAL)).to.equal(undefined);
    expect(await page.locator('img').count(), 'no <img> from the data').to.equal(0);
    expect(await page.locator('script').count(), 'only the data block and the page script').to.equal(2);
    expectQuiet(log);
    await page.close();
  });

  it('shows the failure of a failed run as text', async () => {
    // Prepare
    const cause = `<img src=x onerror="window.${HOSTILE_GLOBAL}=3;alert(3)">`;
    // Act
    const { page, log } = await open(sampleReport({ status: 'FAILED', failure: { error: 'ReconcileFailed', cause } }), 'failed.html');
    // Assess
    expect(await page.locator('.failure').textContent()).to.equal(
      `The run failed (ReconcileFailed: ${cause}). The counts cover only what it checked before the failure.`,
    );
    expect(await page.locator('.status').textContent()).to.equal('FAILED');
    expect(await page.evaluate((name) => (globalThis as unknown as Record<string, unknown>)[name], HOSTILE_GLOBAL)).to.equal(undefined);
    expectQuiet(log);
    await page.close();
  });
});
