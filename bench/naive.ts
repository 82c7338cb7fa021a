/**
 * The naive reconciler the benchmark compares with: list every group and every page, GetSchedule for EVERY
 * schedule, and rewrite EVERY store item with an unconditional PutItem of what GetSchedule answered. It reuses
 * the project's read adapter (real SDK client) and presentRecord, so only the strategy differs.
 *
 * It runs in-process, not on Step Functions. For a like-for-like cost, it is priced on the same batched state
 * machine as the reconciler: one "Reconcile a batch" Task per 50 listed pages of a group, which would GetSchedule
 * and rewrite every schedule of those pages; no sweep and no repair step. Its transitions are the reconciler's base
 * (start, choices, report) plus one Map iteration per group and two per batch; its history, the reconciler's
 * measured events per transition times those. These are derived, not measured: the benchmark marks them.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SchedulerLister } from '../functions/adapters/scheduler';
import { presentRecord } from '../functions/core/records';
import { CONFIRM_CONCURRENCY, mapLimit, PAGES_PER_BATCH } from '../functions/core/reconcile';
import type { SchedulerModel } from '../local/scheduler';

/** "Reconcile a batch" calls of the naive reconciler: one per 50 ListSchedules pages of each group. */
export function naiveBatchesOf(schedules: number, groups: number): number {
  const perGroup = Math.ceil(schedules / groups);
  return groups * Math.ceil(Math.max(1, Math.ceil(perGroup / 100)) / PAGES_PER_BATCH);
}

/** The naive reconciler's transitions on the reconciler's state machine: its base, the Map iterations, 2 per batch. */
export function naiveTransitionsOf(reportRow: { stateTransitions: number; groupsChecked?: number; batches: number; storeScanCalls: number }, batches: number): number {
  const base = reportRow.stateTransitions - (reportRow.groupsChecked ?? 0) - 2 * reportRow.batches - 2 * reportRow.storeScanCalls;
  return base + (reportRow.groupsChecked ?? 0) + 2 * batches;
}

export interface NaiveResult {
  schedules: number;
  wallMs: number;
}

export async function runNaiveReconciler(options: { scheduler: SchedulerModel; doc: DynamoDBDocumentClient; tableName: string }): Promise<NaiveResult> {
  const client = new SchedulerClient(options.scheduler.clientConfig({ maxAttempts: 8 }));
  const lister = new SchedulerLister(client);
  const started = Date.now();
  let schedules = 0;
  try {
    for (const group of await lister.listGroupNames()) {
      let nextToken: string | undefined;
      do {
        const page = await lister.listSchedulesPage(group, nextToken);
        if (page === null) break;
        nextToken = page.nextToken;
        await mapLimit(page.summaries, CONFIRM_CONCURRENCY, async (summary) => {
          const live = await lister.getSchedule(group, summary.name);
          if (live === null) return;
          schedules++;
          const now = new Date();
          const version = Date.parse(live.lastModificationDate ?? now.toISOString());
          await options.doc.send(new PutCommand({
            TableName: options.tableName,
            Item: presentRecord(live, { version, eventId: `naive-${version}`, readAt: now.getTime(), observedVia: 'reconcile', now }),
          }));
        });
      } while (nextToken !== undefined);
    }
  } finally {
    client.destroy();
  }
  return { schedules, wallMs: Date.now() - started };
}
