/**
 * The drift report of one reconciler run: its versioned JSON schema, where it is stored, its Markdown rendering,
 * the short execution output and the SNS message. Pure: the handlers write what this module builds.
 */
import { z } from 'zod';
import { DRIFT_KINDS, emptyCounts } from './drift-types';
import { isHashedInput } from './target-input';
import type { DriftCounts, DriftItem, DriftKind, ReconcileMode } from './drift-types';

/** Bump when a reader written for the old version would misread a new report (README, "Drift report"). */
export const REPORT_SCHEMA_VERSION = 1;

/** A drift item as the report keeps it: without the live spec (the repair's payload, bulky and in Scheduler anyway). */
export type ReportItem = Omit<DriftItem, 'live'>;

export interface DriftReport {
  schemaVersion: number;
  /** The Step Functions execution name. */
  runId: string;
  mode: ReconcileMode;
  /** FAILED: a step failed; the report holds what the run had found until then (see `failure`). */
  status: 'COMPLETED' | 'FAILED';
  failure?: { error: string; cause: string };
  /** ISO-8601. */
  startedAt: string;
  finishedAt: string;
  scope: { groups: string[] | 'ALL' };
  /** How many schedule groups the run listed, when known. */
  groupsChecked?: number;
  /** Per kind, IN_SYNC included; DELETED_LIVE includes the expected deletions. */
  counts: DriftCounts;
  /** MISSING_IN_STORE + MODIFIED + DELETED_LIVE: every item on which the store is wrong, expected deletions included. */
  driftCount: number;
  /** DELETED_LIVE items with reason COMPLETED: the store is stale, but nothing went wrong. */
  expectedDeletions: number;
  /**
   * Every item except IN_SYNC, sorted by kind (DRIFT_KINDS order), group, schedule name; or, when the run found more
   * than REPORT_LISTED_ITEMS, the first of them in the order the run found them (see itemsSummarized).
   */
  items: ReportItem[];
  /**
   * Present when `items` lists only part of the run's items: every item (IN_SYNC excepted) is in `files`, NDJSON
   * (one ReportItem per line, in the order the run found them), beside the report. Counts always cover them all.
   */
  itemsSummarized?: { total: number; listed: number; files: string[] };
  /** Repair and backfill modes only. */
  repairs?: { repaired: number; skipped: number };
  /** Backfill mode only: why the run was a backfill (README, "The first deployment is a backfill"). */
  backfill?: BackfillReason;
}

export type BackfillReason = 'REQUESTED' | 'STORE_NEVER_BACKFILLED';

/** Items a report lists itself; a run with more lists the first ones and keeps them all in NDJSON files. */
export const REPORT_LISTED_ITEMS = 10_000;
/** Items per NDJSON file of a summarized report. */
export const REPORT_ITEMS_PER_FILE = 50_000;

/** What a report built from streamed chunks knows of the items it does not list. */
export interface ReportTotals {
  counts: DriftCounts;
  expectedDeletions: number;
  repairs: { repaired: number; skipped: number };
  /** Items other than IN_SYNC. */
  total: number;
  /** The NDJSON files holding every item; empty when `items` holds them all. */
  files: string[];
}

export interface BuildReportInput {
  runId: string;
  mode: ReconcileMode;
  startedAt: string;
  finishedAt: string;
  /** The groups the run was asked for; absent: every group. */
  groups?: string[];
  /** How many schedules were found in sync (they are counted, never listed). */
  inSync: number;
  /** The run's verdicts other than IN_SYNC, in any order; `repair` set on them in repair and backfill modes. */
  items: DriftItem[];
  backfill?: BackfillReason;
  /** Set when `items` is only part of the run's items (a large run): the counts and sums of them all. */
  totals?: ReportTotals;
}

/** A report that this tool cannot read: malformed, or written by a newer version of it. */
export class ReportSchemaError extends Error {
  override name = 'ReportSchemaError';
}

const DRIFT_COUNTED: readonly DriftKind[] = ['MISSING_IN_STORE', 'MODIFIED', 'DELETED_LIVE'];
const TOP_DRIFT = 10;

export function buildReport(input: BuildReportInput): DriftReport {
  const items = input.items.map(stripLive).sort(byKindGroupName);
  const counts = emptyCounts();
  counts.IN_SYNC = input.inSync;
  for (const item of items) counts[item.kind]++;
  const report: DriftReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    runId: input.runId,
    mode: input.mode,
    status: 'COMPLETED',
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    scope: { groups: input.groups === undefined ? 'ALL' : [...input.groups].sort() },
    counts,
    driftCount: DRIFT_COUNTED.reduce((sum, kind) => sum + counts[kind], 0),
    expectedDeletions: items.filter(isExpectedDeletion).length,
    items,
  };
  if (input.backfill !== undefined) report.backfill = input.backfill;
  if (input.mode !== 'report') {
    report.repairs = {
      repaired: items.filter((i) => i.repair === 'REPAIRED').length,
      skipped: items.filter((i) => i.repair === 'SKIPPED_STORE_CHANGED').length,
    };
  }
  const totals = input.totals;
  if (totals && totals.files.length > 0) {
    report.counts = { ...totals.counts };
    report.driftCount = DRIFT_COUNTED.reduce((sum, kind) => sum + totals.counts[kind], 0);
    report.expectedDeletions = totals.expectedDeletions;
    if (input.mode !== 'report') report.repairs = { ...totals.repairs };
    report.itemsSummarized = { total: totals.total, listed: items.length, files: [...totals.files] };
  }
  return report;
}

// ---------------------------------------------------------------------------------------------------------------
// Schema

const driftItemSchema = z.object({
  kind: z.enum(['MISSING_IN_STORE', 'MODIFIED', 'DELETED_LIVE', 'NOT_CHECKED']),
  groupName: z.string(),
  scheduleName: z.string(),
  differences: z.array(z.object({ path: z.string(), expected: z.unknown(), actual: z.unknown() })).optional(),
  reason: z
    .enum(['COMPLETED', 'GROUP_DELETED', 'UNKNOWN', 'LIVE_CHANGED_AFTER_START', 'STORE_CHANGED_AFTER_START', 'DELETED_AFTER_LISTING', 'FUTURE_VERSION', 'KMS_ACCESS_DENIED', 'ACCESS_DENIED'])
    .optional(),
  expected: z.boolean().optional(),
  storeRead: z
    .object({ version: z.number().optional(), lastEventId: z.string().optional(), status: z.enum(['PRESENT', 'DELETED']) })
    .optional(),
  repair: z.enum(['REPAIRED', 'SKIPPED_STORE_CHANGED']).optional(),
});

const count = z.number().int().nonnegative();

const reportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  runId: z.string().min(1),
  mode: z.enum(['report', 'repair', 'backfill']),
  status: z.enum(['COMPLETED', 'FAILED']),
  failure: z.object({ error: z.string(), cause: z.string() }).optional(),
  startedAt: z.iso.datetime({ offset: true }),
  finishedAt: z.iso.datetime({ offset: true }),
  scope: z.object({ groups: z.union([z.literal('ALL'), z.array(z.string())]) }),
  groupsChecked: count.optional(),
  counts: z.object({ IN_SYNC: count, MISSING_IN_STORE: count, MODIFIED: count, DELETED_LIVE: count, NOT_CHECKED: count }),
  driftCount: count,
  expectedDeletions: count,
  items: z.array(driftItemSchema),
  repairs: z.object({ repaired: count, skipped: count }).optional(),
  backfill: z.enum(['REQUESTED', 'STORE_NEVER_BACKFILLED']).optional(),
  itemsSummarized: z.object({ total: count, listed: count, files: z.array(z.string()) }).optional(),
});

/**
 * Reads a stored report (`reports/latest.json`, the CLI). A newer schemaVersion is refused by name rather than
 * misread; anything else that does not match the schema is refused as malformed.
 */
export function parseReport(json: unknown): DriftReport {
  if (typeof json === 'object' && json !== null && 'schemaVersion' in json) {
    const version = json.schemaVersion;
    if (typeof version === 'number' && version > REPORT_SCHEMA_VERSION) {
      throw new ReportSchemaError(`report schema version ${version} is newer than this tool understands (${REPORT_SCHEMA_VERSION})`);
    }
  }
  const parsed = reportSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ReportSchemaError(`malformed drift report: ${first.join('; ')}`, { cause: parsed.error });
  }
  return parsed.data as DriftReport;
}

// ---------------------------------------------------------------------------------------------------------------
// Storage keys

export interface ReportKeys {
  json: string;
  markdown: string;
  html: string;
  latest: string;
}

/** `reports/<yyyy>/<mm>/<dd>/<runId>.json|md|html` by the UTC date of the run start, plus the fixed `reports/latest.json`. */
export function reportKeys(runId: string, startedAtIso: string): ReportKeys {
  // Execution names exclude '/', whitespace and control characters; a run id with them would escape its folder.
  if (!/^[^\s/\\\u0000-\u001f\u007f]{1,80}$/.test(runId)) throw new RangeError(`invalid run id for a report key: ${JSON.stringify(runId)}`);
  const started = Date.parse(startedAtIso);
  if (Number.isNaN(started)) throw new RangeError(`invalid run start time: ${JSON.stringify(startedAtIso)}`);
  const day = new Date(started).toISOString().slice(0, 10).replaceAll('-', '/');
  const base = `reports/${day}/${runId}`;
  return { json: `${base}.json`, markdown: `${base}.md`, html: `${base}.html`, latest: 'reports/latest.json' };
}

/** The n-th NDJSON item file (from 1) of a summarized report: `reports/<yyyy>/<mm>/<dd>/<runId>.items/<n>.ndjson`. */
export function reportItemsKey(runId: string, startedAtIso: string, n: number): string {
  return `${reportKeys(runId, startedAtIso).json.replace(/\.json$/, '')}.items/${String(n).padStart(6, '0')}.ndjson`;
}

/** One line saying which items a summarized report lists, or undefined when it lists them all. */
export function summarizedNote(report: DriftReport): string | undefined {
  const s = report.itemsSummarized;
  if (!s) return undefined;
  return `This report lists the first ${s.listed.toLocaleString('en-US')} of ${s.total.toLocaleString('en-US')} items, in the order the run found them; all of them are in ${s.files.length} NDJSON file(s) beside it: ${s.files.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown

const SECTION_TITLES: Record<Exclude<DriftKind, 'IN_SYNC'>, string> = {
  MISSING_IN_STORE: 'Missing in store: live schedules the store does not hold',
  MODIFIED: 'Modified: the store differs from the live schedule (store → live)',
  DELETED_LIVE: 'Deleted live: the store holds schedules that no longer exist',
  NOT_CHECKED: 'Not checked: changed while the run was going on (checked again next run)',
};

export const BACKFILL_REASONS: Record<BackfillReason, string> = {
  REQUESTED: 'asked for by the run input',
  STORE_NEVER_BACKFILLED: 'the first run over every group of a store that was never backfilled (a new stack)',
};

export function renderMarkdown(report: DriftReport): string {
  const lines: string[] = [
    `# Scheduler drift report ${escapeCell(report.runId)}`,
    '',
    `- Mode: ${report.mode}`,
    `- Started: ${escapeCell(report.startedAt)}, finished: ${escapeCell(report.finishedAt)}`,
    `- Scope: ${report.scope.groups === 'ALL' ? 'all schedule groups' : report.scope.groups.map(escapeCell).join(', ') || 'no groups'}` +
      (report.groupsChecked === undefined ? '' : ` (${report.groupsChecked} checked)`),
    `- Drift: ${report.driftCount} (expected deletions: ${report.expectedDeletions})`,
  ];
  if (report.backfill !== undefined) lines.push(`- Backfill: ${BACKFILL_REASONS[report.backfill]}; every live schedule found missing or different was written to the store, and no drift alarm is raised`);
  if (report.repairs !== undefined) lines.push(`- Repairs: ${report.repairs.repaired} repaired, ${report.repairs.skipped} skipped (store changed since read)`);
  if (report.status === 'FAILED') {
    const failure = report.failure === undefined ? 'unknown error' : `${report.failure.error}: ${report.failure.cause}`;
    lines.push('', `**The run failed** (${escapeCell(failure)}). The counts cover only what it checked before the failure.`);
  }
  lines.push('', '| Kind | Count |', '| --- | ---: |', ...DRIFT_KINDS.map((kind) => `| ${kind} | ${report.counts[kind]} |`), '');
  const note = summarizedNote(report);
  if (note) lines.push(`**${escapeCell(note)}**`, '');
  if (report.driftCount === 0) lines.push(report.status === 'FAILED' ? 'No drift found in what was checked.' : 'No drift found.', '');

  for (const kind of DRIFT_KINDS) {
    if (kind === 'IN_SYNC') continue;
    const items = report.items.filter((i) => i.kind === kind);
    if (items.length === 0) continue;
    lines.push(`## ${SECTION_TITLES[kind]} (${items.length})`, '', '| Group | Schedule | Details |', '| --- | --- | --- |');
    for (const item of items) {
      const details = [...itemDetails(item, 200), ...(item.repair === undefined ? [] : [`repair: ${item.repair}`])];
      const cell = details.map(escapeCell).join('<br>');
      lines.push(`| ${escapeCell(item.groupName)} | ${escapeCell(item.scheduleName)} | ${cell} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * Makes untrusted text (descriptions, target inputs) safe inside one Markdown table cell: no column break (`|`),
 * no row break (newline), no code span (backtick), no link or HTML.
 */
export function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\|`[\]]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, '<br>')
    .replace(/[\u0000-\u001f\u007f]/g, ' ');
}

// ---------------------------------------------------------------------------------------------------------------
// Execution output and notification

export interface ExecutionSummary {
  runId: string;
  mode: ReconcileMode;
  /** BACKFILLED: a backfill run, whatever it wrote (its "drift" is the store being filled, and alerts nobody). */
  result: 'IN_SYNC' | 'DRIFT_FOUND' | 'BACKFILLED';
  counts: DriftCounts;
  driftCount: number;
  expectedDeletions: number;
  reportUri: string;
  /** The first drift items (NOT_CHECKED left out), one short line each. */
  topDrift: string[];
  repairs?: { repaired: number; skipped: number };
  backfill?: BackfillReason;
}

/**
 * The execution's output: what a console user sees without opening S3. Its size does not depend on the report's:
 * at most TOP_DRIFT lines of bounded length, far below the 256 KiB payload quota
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-task-executions).
 */
export function executionSummary(report: DriftReport, reportUri: string): ExecutionSummary {
  return {
    runId: report.runId,
    mode: report.mode,
    result: report.mode === 'backfill' ? 'BACKFILLED' : report.driftCount > 0 ? 'DRIFT_FOUND' : 'IN_SYNC',
    counts: { ...report.counts },
    driftCount: report.driftCount,
    expectedDeletions: report.expectedDeletions,
    reportUri,
    topDrift: topDriftLines(report),
    ...(report.repairs === undefined ? {} : { repairs: { ...report.repairs } }),
    ...(report.backfill === undefined ? {} : { backfill: report.backfill }),
  };
}

/** The drift the store has that needs a look: expected deletions alone need none. */
export function actionableDrift(report: DriftReport): number {
  return report.driftCount - report.expectedDeletions;
}

/** SNS subjects are ASCII without control characters and under 100 characters (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html). */
const SUBJECT_MAX = 99;

/** The one SNS message of a run that found drift: a plain-text digest pointing at the full report. */
export function driftMessage(report: DriftReport, reportUri: string): { subject: string; message: string } {
  const expected = report.expectedDeletions > 0 ? ` (${report.expectedDeletions} expected)` : '';
  const subject = asciiSubject(`Scheduler drift: ${report.driftCount} found${expected}, run ${report.runId}`);
  const top = topDriftLines(report);
  const more = report.driftCount - top.length;
  const lines = [
    `The reconciler found ${report.driftCount} drift item(s) between EventBridge Scheduler and the state store` +
      (report.expectedDeletions > 0 ? `, ${report.expectedDeletions} of them expected deletions of completed schedules.` : '.'),
    '',
    `Run: ${report.runId} (mode ${report.mode}, ${report.startedAt} to ${report.finishedAt})`,
    ...DRIFT_KINDS.map((kind) => `  ${kind.padEnd(18)} ${report.counts[kind]}`),
  ];
  if (report.repairs !== undefined) lines.push(`Repairs: ${report.repairs.repaired} repaired, ${report.repairs.skipped} skipped`);
  lines.push('', ...top.map((line) => `- ${line}`));
  if (more > 0) lines.push(`... and ${more} more in the report.`);
  lines.push('', `Full report: ${reportUri}`);
  return { subject, message: lines.join('\n') };
}

// ---------------------------------------------------------------------------------------------------------------
// Shared item wording

function topDriftLines(report: DriftReport): string[] {
  const lines: string[] = [];
  for (const item of report.items) {
    if (lines.length === TOP_DRIFT) break;
    if (item.kind === 'NOT_CHECKED') continue;
    lines.push(shortLine(item));
  }
  return lines;
}

/** "MODIFIED billing/invoice: target.arn arn:…:old → arn:…:new (+1 more)", at most ~300 characters. */
function shortLine(item: ReportItem): string {
  const head = `${item.kind} ${item.groupName}/${item.scheduleName}`;
  const diffs = item.differences ?? [];
  let detail: string;
  if (item.kind === 'MODIFIED' && diffs.length > 0) {
    const [first] = diffs as [NonNullable<DriftItem['differences']>[number]];
    detail = `${truncate(first.path, 80)} ${formatValue(first.actual, 60)} → ${formatValue(first.expected, 60)}`;
    if (diffs.length > 1) detail += ` (+${diffs.length - 1} more)`;
  } else {
    detail = itemDetails(item, 60).join('; ');
  }
  const repair = item.repair === undefined ? '' : ` [${item.repair}]`;
  return truncate(`${head}: ${detail}${repair}`, 300);
}

/**
 * The human details of one item, one entry per line; `formatValue` renders a property's value (a number for the
 * values shortened to that many characters, the renderers here; the CLI passes its own).
 */
export function itemDetails(item: ReportItem, format: number | ((value: unknown) => string)): string[] {
  const show = typeof format === 'number' ? (value: unknown) => formatValue(value, format) : format;
  const details: string[] = [];
  switch (item.kind) {
    case 'MISSING_IN_STORE':
      details.push(item.storeRead?.status === 'DELETED' ? 'the store holds a tombstone' : 'no store item');
      break;
    case 'MODIFIED':
      for (const d of item.differences ?? []) {
        // Keyed hashes of the input (config targetInput hash) say that it changed, not what it is.
        if (isHashedInput(d.expected) || isHashedInput(d.actual)) details.push(`${d.path}: input changed`);
        else details.push(`${d.path}: ${show(d.actual)} → ${show(d.expected)}`);
      }
      break;
    case 'DELETED_LIVE':
      details.push(item.expected === true ? `${item.reason ?? 'UNKNOWN'} (expected deletion)` : (item.reason ?? 'UNKNOWN'));
      break;
    case 'NOT_CHECKED':
      details.push(item.reason ?? 'changed during the run');
      break;
  }
  return details;
}

function formatValue(value: unknown, max: number): string {
  if (value === undefined) return '(absent)';
  return truncate(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)), max);
}

/** Keeps both ends of a long value (an ARN's distinguishing part is its tail). */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) / 3);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
}

function asciiSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= SUBJECT_MAX ? ascii : `${ascii.slice(0, SUBJECT_MAX - 3)}...`;
}

export function stripLive(item: DriftItem): ReportItem {
  const { live: _live, ...rest } = item;
  return rest;
}

export function isExpectedDeletion(item: ReportItem): boolean {
  return item.kind === 'DELETED_LIVE' && item.expected === true;
}

function byKindGroupName(a: ReportItem, b: ReportItem): number {
  return DRIFT_KINDS.indexOf(a.kind) - DRIFT_KINDS.indexOf(b.kind) || compare(a.groupName, b.groupName) || compare(a.scheduleName, b.scheduleName);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
