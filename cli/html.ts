/**
 * `--format html` uses the HTML report renderer (functions/core/report-html.ts, `renderHtml(report)`), the
 * same file the reconciler uploads. Looked up at run time so that the CLI works, html aside, in a checkout
 * that does not have it yet.
 */
import type { DriftReport } from '../functions/core/report';
import { CliError } from './errors';

type HtmlRenderer = (report: DriftReport) => string;

export function loadHtmlRenderer(): HtmlRenderer {
  const modulePath = '../functions/core/report-html';
  let loaded: { renderHtml?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(modulePath) as { renderHtml?: unknown };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') throw new CliError('--format html is not available: functions/core/report-html.ts is missing from this checkout');
    throw error;
  }
  if (typeof loaded.renderHtml !== 'function') throw new CliError('--format html is not available: functions/core/report-html.ts exports no renderHtml(report)');
  return loaded.renderHtml as HtmlRenderer;
}
