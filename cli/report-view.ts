/**
 * How `report show` and `reconcile` print a drift report or an execution summary in a terminal, and the exit
 * code a report gives (0 no drift, 2 drift, 1 a failed run).
 */
import { DRIFT_KINDS, type DriftKind } from '../functions/core/drift-types';
import { itemDetails as coreItemDetails, type DriftReport, type ExecutionSummary, type ReportItem } from '../functions/core/report';
import { EXIT } from './errors';
import { renderCompactTable, renderTable } from './output';
import { printable } from './printable';

/** The kinds that are drift (the store is wrong); IN_SYNC and NOT_CHECKED are not. */
export const DRIFT_COUNTED: readonly DriftKind[] = ['MISSING_IN_STORE', 'MODIFIED', 'DELETED_LIVE'];

/** The report with only the items of `kinds` (counts stay whole: they describe the run). */
export function filterReport(report: DriftReport, kinds: readonly DriftKind[] | undefined): DriftReport {
  if (!kinds || kinds.length === 0) return report;
  return { ...report, items: report.items.filter((item) => kinds.includes(item.kind)) };
}

/**
 * 1 when the run failed; otherwise 2 when drift of the selected kinds (all drift kinds by default) was found, 0
 * when none: a CI job can gate on `--kind MODIFIED` alone.
 */
export function reportExitCode(report: DriftReport, kinds?: readonly DriftKind[]): number {
  if (report.status === 'FAILED') return EXIT.error;
  const selected = DRIFT_COUNTED.filter((kind) => !kinds || kinds.length === 0 || kinds.includes(kind));
  return selected.some((kind) => report.counts[kind] > 0) ? EXIT.drift : EXIT.ok;
}

export function countsTable(counts: Record<DriftKind, number>): string {
  return renderTable([...DRIFT_KINDS], [DRIFT_KINDS.map((kind) => String(counts[kind]))]);
}

export function renderReportTable(report: DriftReport, uri?: string): string {
  const scope = report.scope.groups === 'ALL' ? 'all groups' : `groups ${report.scope.groups.join(', ')}`;
  const checked = report.groupsChecked === undefined ? '' : ` (${report.groupsChecked} checked)`;
  const lines = [
    `Drift report ${report.runId}: ${report.mode} mode, ${report.status}`,
    `Started ${report.startedAt}, finished ${report.finishedAt}; scope: ${scope}${checked}`,
    `Drift: ${report.driftCount}` + (report.expectedDeletions > 0 ? ` (${report.expectedDeletions} expected deletion${report.expectedDeletions === 1 ? '' : 's'})` : ''),
  ];
  if (report.repairs) lines.push(`Repairs: ${report.repairs.repaired} repaired, ${report.repairs.skipped} skipped (store changed since read)`);
  if (report.status === 'FAILED') lines.push(`The run failed: ${report.failure ? `${report.failure.error}: ${report.failure.cause}` : 'unknown error'}`);
  lines.push(countsTable(report.counts));
  if (report.items.length === 0) {
    lines.push(report.driftCount === 0 ? 'No drift found.' : 'No items of the selected kinds.');
  } else {
    const rows = report.items.map((item) => [item.kind, item.groupName, item.scheduleName, itemDetails(item).join('\n')]);
    lines.push(renderCompactTable(['kind', 'group', 'schedule', 'details'], rows));
  }
  if (uri) lines.push(`Report: ${uri}`);
  return lines.join('\n');
}

/** The core's details of one item (values quoted, control characters blanked), plus the repair outcome. */
export function itemDetails(item: ReportItem): string[] {
  return [...coreItemDetails(item, value), ...(item.repair ? [`repair: ${item.repair}`] : [])];
}

const MAX_VALUE = 60;

/** Long values keep both ends (an ARN's distinguishing part is its tail); control characters are escaped. */
function value(v: unknown): string {
  if (v === undefined) return '(absent)';
  const text = printable(typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v)));
  if (text.length <= MAX_VALUE) return text;
  const head = Math.ceil((MAX_VALUE - 1) / 3);
  return `${text.slice(0, head)}…${text.slice(text.length - (MAX_VALUE - 1 - head))}`;
}

/** The execution output of a reconciler run (functions/core/report.ts ExecutionSummary). */
export function renderSummary(summary: ExecutionSummary): string {
  const lines = [`Result: ${summary.result}, drift ${summary.driftCount}` + (summary.expectedDeletions > 0 ? ` (${summary.expectedDeletions} expected deletion${summary.expectedDeletions === 1 ? '' : 's'})` : '')];
  if (summary.repairs) lines.push(`Repairs: ${summary.repairs.repaired} repaired, ${summary.repairs.skipped} skipped (store changed since read)`);
  lines.push(countsTable(summary.counts));
  for (const drift of summary.topDrift) lines.push(`  ${drift}`);
  const more = summary.driftCount - summary.topDrift.length;
  if (more > 0) lines.push(`  … and ${more} more in the report`);
  lines.push(`Report: ${summary.reportUri}`);
  return lines.join('\n');
}
