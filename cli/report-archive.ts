/**
 * The drift reports in the report bucket, as the reconciler writes them (functions/core/report.ts reportKeys):
 * `reports/<yyyy>/<mm>/<dd>/<runId>.json` plus `reports/latest.json`.
 */
import type { ObjectStore, ObjectSummary } from '../functions/adapters/objects';
import { parseReport, type DriftReport } from '../functions/core/report';
import { CliError } from './errors';
import { printableDeep } from './printable';

const REPORTS_PREFIX = 'reports/';
const RUN_KEY = /^reports\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)\.json$/;
/** Execution names: 1-80 characters, no whitespace, '/', '\' or control characters (reportKeys checks the same). */
const RUN_ID = /^[^\s/\\\u0000-\u001f\u007f]{1,80}$/;

export interface StoredReportRef {
  runId: string;
  key: string;
  /** yyyy/mm/dd of the run start, from the key. */
  day: string;
  lastModified?: Date;
}

export class ReportArchive {
  constructor(private readonly objects: ObjectStore) {}

  where(): string {
    return this.objects.uri(REPORTS_PREFIX);
  }

  uri(key: string): string {
    return this.objects.uri(key);
  }

  /** Every run report in the bucket, newest first (by run day, then by when it was written). */
  async list(): Promise<StoredReportRef[]> {
    const refs: StoredReportRef[] = [];
    for await (const object of this.objects.list(REPORTS_PREFIX)) {
      const ref = toRef(object);
      if (ref) refs.push(ref);
    }
    return refs.sort((a, b) => compareDesc(a.day, b.day) || (b.lastModified?.getTime() ?? 0) - (a.lastModified?.getTime() ?? 0) || compareDesc(a.runId, b.runId));
  }

  /** The report at `key`, its text made safe for a terminal (names and causes come from the bucket). */
  async read(key: string): Promise<DriftReport> {
    const json = await this.objects.getJson(key);
    if (json === undefined) throw new CliError(`report ${this.objects.uri(key)} disappeared while reading (expired by the lifecycle rule?)`);
    return printableDeep(parseReport(json));
  }

  /**
   * Each report of `refs`, or why it could not be read (not JSON, not a drift report, gone): one corrupt object
   * must not hide the others.
   */
  async readEach(refs: readonly StoredReportRef[]): Promise<Array<{ ref: StoredReportRef; report: DriftReport } | { ref: StoredReportRef; error: string }>> {
    return Promise.all(
      refs.map(async (ref) => {
        try {
          return { ref, report: await this.read(ref.key) };
        } catch (error) {
          return { ref, error: printableDeep((error as Error).message ?? String(error)) };
        }
      }),
    );
  }

  async latest(): Promise<DriftReport> {
    const json = await this.objects.getJson(`${REPORTS_PREFIX}latest.json`);
    if (json === undefined) throw this.empty();
    return printableDeep(parseReport(json));
  }

  async byRunId(runId: string): Promise<DriftReport> {
    if (!RUN_ID.test(runId)) throw new CliError(`invalid run id ${JSON.stringify(runId)}: a run id is the execution name (1-80 characters, no '/' or spaces)`);
    const refs = await this.list();
    if (refs.length === 0) throw this.empty();
    const ref = refs.find((r) => r.runId === runId);
    if (!ref) throw new CliError(`no report for run id ${runId} in ${this.where()} (${refs.length} report(s) there; see 'scheduler-observer report list')`);
    return this.read(ref.key);
  }

  empty(): CliError {
    return new CliError(`no drift reports in ${this.where()} yet: the reconciler has not written one (start a run with 'scheduler-observer reconcile --wait')`);
  }
}

function toRef(object: ObjectSummary): StoredReportRef | undefined {
  const match = RUN_KEY.exec(object.key);
  if (!match) return undefined;
  return { runId: match[4]!, key: object.key, day: `${match[1]}/${match[2]}/${match[3]}`, ...(object.lastModified ? { lastModified: object.lastModified } : {}) };
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
