/**
 * The end of a run ("Write drift report", and "Record failure" when a step failed): assembles the chunks the
 * scan steps left in S3 (and the repair outcomes), writes the report as JSON and Markdown under
 * reports/<yyyy>/<mm>/<dd>/<runId> (and a self-contained HTML page), points reports/latest.json at it, emits one metric per drift kind, and
 * returns the short summary the execution outputs plus the SNS message.
 */
import { changedSinceRead, runWindow, type ChangeLogReader } from './change-log';
import { isAsRead } from './drift';
import { emptyCounts, type DriftItem } from './drift-types';
import type { ScheduleRecord } from './types';
import {
  buildReport,
  driftMessage,
  executionSummary,
  isExpectedDeletion,
  renderMarkdown,
  REPORT_ITEMS_PER_FILE,
  REPORT_LISTED_ITEMS,
  reportItemsKey,
  reportKeys,
  stripLive,
  type DriftReport,
  type ExecutionSummary,
  type ReportTotals,
} from './report';
import { renderHtml } from './report-html';
import { runKeys, type GroupChunk, type RunContext, type RunManifest } from './reconcile';
import { chunkKeys, type RepairOutcome, type RunObjects } from './repair';

export interface ReportObjects extends RunObjects {
  putText(key: string, body: string, contentType: string): Promise<void>;
  uri(key: string): string;
}

/** The store, as the report step re-checks drift: the change log of the run, then the few items it names. */
export interface StoreRecheckPort extends ChangeLogReader {
  batchGet(groupName: string, names: readonly string[]): Promise<Map<string, ScheduleRecord>>;
}

export interface ReportDeps {
  objects: ReportObjects;
  /**
   * Drift items whose store item changed after the run read it become NOT_CHECKED: the observer caught a change
   * during the run (a deletion, for one, carries no date, and this is the only way to tell). The change log
   * (functions/core/change-log.ts) says which items the observer may have written since the run read them; only
   * those are read again.
   */
  store?: StoreRecheckPort;
  /** Told of every report written (the handler turns it into metrics). */
  onReport?: (report: DriftReport) => void;
  now?: () => Date;
}

export async function finishRun(
  payload: { run: RunContext },
  deps: ReportDeps,
): Promise<{ summary: ExecutionSummary; notification: { subject: string; message: string } }> {
  const report = await assembleReport(payload.run, deps);
  const reportUri = await storeReport(report, deps);
  deps.onReport?.(report);
  return { summary: executionSummary(report, reportUri), notification: driftMessage(report, reportUri) };
}

/**
 * Records a failed run: whatever the chunks hold so far becomes a report with status FAILED and the error,
 * so a failure loses nothing the run had found. `state` is the failing state's input with `error`.
 */
export async function recordFailure(
  payload: { state: { run?: RunContext; error?: { Error?: string; Cause?: string } }; runId: string; startedAt: string },
  deps: ReportDeps,
): Promise<{ reportUri: string }> {
  const run: RunContext = payload.state.run ?? {
    runId: payload.runId,
    startedAt: payload.startedAt,
    startedAtMs: Date.parse(payload.startedAt),
    mode: 'report',
    scope: 'ALL',
  };
  const report = await assembleReport(run, deps);
  report.status = 'FAILED';
  report.failure = { error: payload.state.error?.Error ?? 'Unknown', cause: truncate(payload.state.error?.Cause ?? '', 4_000) };
  deps.onReport?.(report);
  return { reportUri: await storeReport(report, deps) };
}

/**
 * Reads the change log of the run's window once, then the run's chunks one at a time, never all of them at once:
 * each chunk's items get their repair outcome (the repair record of the same index) and the change-log re-check, are counted, and go to the report's listed items while
 * there are fewer than REPORT_LISTED_ITEMS and to NDJSON item files of REPORT_ITEMS_PER_FILE. Files are written only
 * when the run has more items than a report lists, so the memory and the size of one report stay bounded whatever
 * the run found (1,000,000 items: 20 files, 10,000 listed).
 */
async function assembleReport(run: RunContext, deps: ReportDeps): Promise<DriftReport> {
  const manifest = await readIfListed<RunManifest>(deps.objects, runKeys.manifest(run.runId));
  const keys = await chunkKeys(deps.objects, run.runId);
  const repairKeys = new Set<string>();
  for await (const { key } of deps.objects.list(runKeys.repairPrefix(run.runId))) repairKeys.add(key);
  const counts = emptyCounts();
  const totals: ReportTotals = { counts, expectedDeletions: 0, repairs: { repaired: 0, skipped: 0 }, total: 0, files: [] };
  const listed: DriftItem[] = [];
  const window = runWindow(run.startedAtMs, (deps.now ? deps.now() : new Date()).getTime());
  const changes = deps.store ? await deps.store.changesBetween(window.fromMs, window.toMs) : undefined;
  let pending: string[] = [];
  const flush = async () => {
    const key = reportItemsKey(run.runId, run.startedAt, totals.files.length + 1);
    await deps.objects.putText(key, `${pending.join('\n')}\n`, 'application/x-ndjson');
    totals.files.push(key);
    pending = [];
  };
  for (const [index, key] of keys.entries()) {
    const chunk = await deps.objects.getJson<GroupChunk>(key);
    if (!chunk) continue;
    counts.IN_SYNC += chunk.counts.IN_SYNC;
    // "Apply repairs" writes the outcomes of the index-th chunk (in this same key order) to repair record `index`.
    const repairs = new Map<string, RepairOutcome['repair']>();
    const repairKey = runKeys.repair(run.runId, index);
    if (repairKeys.has(repairKey)) {
      const record = await deps.objects.getJson<{ outcomes: RepairOutcome[] }>(repairKey);
      for (const o of record?.outcomes ?? []) repairs.set(`${o.groupName}/${o.scheduleName}/${o.kind}`, o.repair);
    }
    const items = chunk.items.map((item) => {
      const repair = repairs.get(`${item.groupName}/${item.scheduleName}/${item.kind}`);
      return repair ? { ...item, repair } : item;
    });
    for (const item of changes && deps.store ? await recheck(items, deps.store, changes, chunk.batchStartedAtMs) : items) {
      counts[item.kind]++;
      totals.total++;
      if (isExpectedDeletion(item)) totals.expectedDeletions++;
      if (item.repair === 'REPAIRED') totals.repairs.repaired++;
      if (item.repair === 'SKIPPED_STORE_CHANGED') totals.repairs.skipped++;
      if (listed.length < REPORT_LISTED_ITEMS) listed.push(item);
      pending.push(JSON.stringify(stripLive(item)));
      if (pending.length === REPORT_ITEMS_PER_FILE) await flush();
    }
  }
  // A run whose items all fit in the report needs no files (and none was written: a file holds more than the list).
  if (totals.total > REPORT_LISTED_ITEMS && pending.length > 0) await flush();
  const report = buildReport({
    runId: run.runId,
    mode: run.mode,
    startedAt: run.startedAt,
    finishedAt: (deps.now ? deps.now() : new Date()).toISOString(),
    ...(run.scope === 'ALL' ? {} : { groups: run.scope }),
    inSync: counts.IN_SYNC,
    items: listed,
    ...(run.backfill ? { backfill: run.backfill } : {}),
    totals,
  });
  report.status = 'COMPLETED';
  if (manifest) report.groupsChecked = manifest.groups.length;
  return report;
}

const RECHECKED: ReadonlySet<DriftItem['kind']> = new Set(['MISSING_IN_STORE', 'MODIFIED', 'DELETED_LIVE']);

/**
 * Turns into NOT_CHECKED (STORE_CHANGED_AFTER_START) every drift item of a chunk whose store item is no longer as
 * the run read it and that no repair of this run wrote. Only the items the change log shows written around the
 * chunk's read or later (a writer of their key or group was at work then) can have changed; only those are read
 * again (one BatchGetItem per 100), so a run whose drift the observer did not touch reads no store item twice.
 */
async function recheck(items: DriftItem[], store: StoreRecheckPort, changes: ReadonlyMap<string, number>, readFromMs: number): Promise<DriftItem[]> {
  if (changes.size === 0) return items;
  // Decided once per item: the items to read again, by group.
  const written = new Set(items.filter((item) => RECHECKED.has(item.kind) && item.repair === undefined && changedSinceRead(changes, item, readFromMs)));
  if (written.size === 0) return items;
  const byGroup = new Map<string, string[]>();
  for (const item of written) {
    // Appended in place: copying the group's array per item made this quadratic (30,000 items took 125 s).
    const names = byGroup.get(item.groupName);
    if (names) names.push(item.scheduleName);
    else byGroup.set(item.groupName, [item.scheduleName]);
  }
  const now = new Map<string, ScheduleRecord>();
  for (const [group, names] of byGroup) {
    for (const [name, record] of await store.batchGet(group, names)) now.set(`${group}/${name}`, record);
  }
  return items.map((item) => {
    if (!written.has(item) || isAsRead(now.get(`${item.groupName}/${item.scheduleName}`), item.storeRead)) return item;
    return { kind: 'NOT_CHECKED', groupName: item.groupName, scheduleName: item.scheduleName, reason: 'STORE_CHANGED_AFTER_START' };
  });
}

/**
 * Reads `key` only if a listing shows it: a run that failed before "Start run" wrote its manifest has none, and
 * S3 answers a GetObject of a missing key with 403 AccessDenied (not NoSuchKey) to a role that may list only
 * under a prefix (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Permissions"), which
 * would fail "Record failure" itself.
 */
async function readIfListed<T>(objects: RunObjects, key: string): Promise<T | undefined> {
  for await (const object of objects.list(key)) if (object.key === key) return objects.getJson<T>(key);
  return undefined;
}

/** Writes JSON, Markdown and latest.json; returns the JSON report's URI. */
async function storeReport(report: DriftReport, deps: ReportDeps): Promise<string> {
  const keys = reportKeys(report.runId, report.startedAt);
  await deps.objects.putJson(keys.json, report);
  await deps.objects.putText(keys.markdown, renderMarkdown(report), 'text/markdown; charset=utf-8');
  await deps.objects.putText(keys.html, renderHtml(report), 'text/html; charset=utf-8');
  await deps.objects.putJson(keys.latest, report);
  return deps.objects.uri(keys.json);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
