/**
 * `report list` and `report show`: the drift reports in the report bucket.
 */
import { S3ObjectStore } from '../../functions/adapters/objects';
import { DRIFT_KINDS, type DriftKind } from '../../functions/core/drift-types';
import { renderMarkdown, reportKeys, summarizedNote, type DriftReport } from '../../functions/core/report';
import type { Context } from '../context';
import { InvalidArgumentError } from 'commander';
import { CliError, EXIT } from '../errors';
import { line, renderCompactTable, renderJson } from '../output';
import { ReportArchive } from '../report-archive';
import { filterReport, renderReportTable, reportExitCode } from '../report-view';
import { loadHtmlRenderer } from '../html';

export const SHOW_FORMATS = ['table', 'json', 'md', 'html'] as const;
export type ShowFormat = (typeof SHOW_FORMATS)[number];
export const LIST_FORMATS = ['table', 'json'] as const;

function archive(ctx: Context): ReportArchive {
  return new ReportArchive(new S3ObjectStore(ctx.clients.s3, ctx.stack.require('bucket')));
}

export async function reportList(ctx: Context, options: { limit: number; format: (typeof LIST_FORMATS)[number] }): Promise<number> {
  const reports = archive(ctx);
  const refs = await reports.list();
  if (refs.length === 0) throw reports.empty();
  const read = await reports.readEach(refs.slice(0, options.limit));
  const shown = read.flatMap((r) => ('report' in r ? [r.report] : []));
  const unreadable = read.flatMap((r) => ('error' in r ? [r] : []));
  // The key order is by day and write time; the reports themselves say when each run started.
  shown.sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  if (options.format === 'json') {
    line(ctx.stdout, renderJson(shown.map(({ items: _items, ...summary }) => summary)));
  } else {
    const rows = shown.map((r) => [r.runId, r.startedAt, r.mode, r.status, ...DRIFT_KINDS.map((kind) => String(r.counts[kind])), String(r.driftCount)]);
    // An object that is not a readable report is listed as such, after the readable ones.
    for (const { ref } of unreadable) rows.push([ref.runId, `${ref.day} (day of key)`, '', 'UNREADABLE', ...DRIFT_KINDS.map(() => ''), '']);
    line(ctx.stdout, renderCompactTable(['run id', 'started', 'mode', 'status', ...DRIFT_KINDS, 'drift'], rows));
    if (refs.length > read.length) line(ctx.stdout, `(${read.length} newest of ${refs.length} reports; --limit ${refs.length} shows all)`);
  }
  for (const { ref, error } of unreadable) ctx.stderr.write(`warning: unreadable report ${reports.uri(ref.key)}: ${error}\n`);
  return EXIT.ok;
}

export interface ShowOptions {
  latest?: boolean;
  format: ShowFormat;
  kind?: DriftKind[];
}

export async function reportShow(ctx: Context, runId: string | undefined, options: ShowOptions): Promise<number> {
  if (runId !== undefined && options.latest) throw new CliError('pass either a RUN_ID or --latest, not both');
  const reports = archive(ctx);
  const report = runId === undefined ? await reports.latest() : await reports.byRunId(runId);
  const shown = filterReport(report, options.kind);
  const uri = new S3ObjectStore(ctx.clients.s3, ctx.stack.require('bucket')).uri(reportKeys(report.runId, report.startedAt).json);
  line(ctx.stdout, render(shown, options.format, uri));
  // On stderr, so that stdout stays the report (JSON stays parseable).
  const note = summarizedNote(report);
  if (note !== undefined) ctx.stderr.write(`note: ${note}\n`);
  if (report.status === 'FAILED') ctx.stderr.write(`error: run ${report.runId} failed: ${report.failure?.error ?? 'unknown error'}\n`);
  return reportExitCode(report, options.kind);
}

function render(report: DriftReport, format: ShowFormat, uri: string): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'md':
      return renderMarkdown(report);
    case 'html':
      return loadHtmlRenderer()(report);
    case 'table':
      return renderReportTable(report, uri);
  }
}

export function parseKind(value: string, previous: DriftKind[] | undefined): DriftKind[] {
  const kinds = value.split(',').map((k) => k.trim().toUpperCase()).filter(Boolean);
  for (const kind of kinds) {
    if (!(DRIFT_KINDS as readonly string[]).includes(kind)) throw new InvalidArgumentError(`unknown drift kind ${JSON.stringify(kind)}: one of ${DRIFT_KINDS.join(', ')}`);
  }
  return [...(previous ?? []), ...(kinds as DriftKind[])];
}
