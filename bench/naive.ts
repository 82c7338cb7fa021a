/**
 * The naive reconciler the benchmark compares with: list every group and every page, GetSchedule for EVERY
 * schedule, and rewrite EVERY store item with an unconditional PutItem of what GetSchedule answered. It reuses
 * the project's read adapter (real SDK client) and presentRecord, so only the strategy differs.
 *
 * It runs in-process, not on Step Functions. Its assumed Step Functions shape is an inline Map with one
 * iteration per schedule (iteration start, "Get and rewrite" Task, iteration end): 3 state transitions and one
 * Lambda invocation per schedule. Its history would hold the events of every iteration; the benchmark reports
 * that estimate (measured events per transition × transitions), not a measurement.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SchedulerLister } from '../functions/adapters/scheduler';
import { presentRecord } from '../functions/core/records';
import { CONFIRM_CONCURRENCY, mapLimit } from '../functions/core/reconcile';
import type { SchedulerModel } from '../local/scheduler';

export const NAIVE_TRANSITIONS_PER_SCHEDULE = 3;

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
