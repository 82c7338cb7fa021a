/**
 * Drift reports as the reconciler writes them (buildReport, reportKeys, S3ObjectStore), with fixed run ids and
 * times so that the outputs can be snapshotted. Item shapes follow the README's report schema.
 */
import { S3ObjectStore } from '../../../functions/adapters/objects';
import type { DriftItem } from '../../../functions/core/drift-types';
import { buildReport, renderMarkdown, reportKeys, type DriftReport } from '../../../functions/core/report';

export const GROUP = 'billing';
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:invoice';

export const DRIFT_ITEMS: DriftItem[] = [
  { kind: 'MISSING_IN_STORE', groupName: GROUP, scheduleName: 'dropped-event' },
  {
    kind: 'MODIFIED',
    groupName: GROUP,
    scheduleName: 'hourly-sync',
    differences: [
      { path: 'target.arn', expected: `${ARN}-v2`, actual: ARN },
      { path: 'state', expected: 'DISABLED', actual: 'ENABLED' },
    ],
    storeRead: { version: 1795552635000, lastEventId: 'e-1', status: 'PRESENT' },
  },
  { kind: 'DELETED_LIVE', groupName: GROUP, scheduleName: 'nightly-close', reason: 'UNKNOWN', storeRead: { version: 1795552630000, status: 'PRESENT' } },
  { kind: 'DELETED_LIVE', groupName: GROUP, scheduleName: 'reminder', reason: 'COMPLETED', expected: true, storeRead: { version: 1795552620000, status: 'PRESENT' } },
  { kind: 'NOT_CHECKED', groupName: 'marketing', scheduleName: 'campaign', reason: 'LIVE_CHANGED_AFTER_START' },
] as DriftItem[];

export const DRIFT_RUN = buildReport({
  runId: '0318a48b-665c-4a53-9fc7-1249d12d4e8a',
  mode: 'report',
  startedAt: '2026-11-24T20:37:19.120Z',
  finishedAt: '2026-11-24T20:37:19.410Z',
  inSync: 12,
  items: DRIFT_ITEMS,
});

export const REPAIR_RUN = buildReport({
  runId: '7c1d2e3f-aaaa-4bbb-8ccc-000000000002',
  mode: 'repair',
  startedAt: '2026-11-23T08:00:00.000Z',
  finishedAt: '2026-11-23T08:00:02.500Z',
  groups: [GROUP],
  inSync: 16,
  items: [{ ...DRIFT_ITEMS[0]!, repair: 'REPAIRED' }],
});

export const CLEAN_RUN = buildReport({
  runId: 'e1a1f936-1111-4222-8333-444455556666',
  mode: 'report',
  startedAt: '2026-11-22T09:00:00.000Z',
  finishedAt: '2026-11-22T09:00:01.000Z',
  inSync: 17,
  items: [],
});

/** Writes each report as the report Lambda does (JSON, Markdown); the last one also as reports/latest.json. */
export async function writeReports(objects: S3ObjectStore, reports: DriftReport[]): Promise<void> {
  for (const report of reports) {
    const keys = reportKeys(report.runId, report.startedAt);
    await objects.putJson(keys.json, report);
    await objects.putText(keys.markdown, renderMarkdown(report), 'text/markdown');
  }
  const latest = reports[reports.length - 1];
  if (latest) await objects.putJson(reportKeys(latest.runId, latest.startedAt).latest, latest);
}
