/**
 * The observer and the reconciler together on the local engines, for a mocha suite: one dynalite and one local
 * S3 for the suite, a fresh pipeline (its own table and Scheduler model) and reconciler (its own bucket) per
 * `start`, closed after each test. Scheduler's clock runs 10 s behind by default, so that a run never shares a
 * CloudTrail second with the changes before it.
 */
import type { InputPolicy } from '../../functions/core/target-input';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';
import { startPipeline, type LocalPipeline } from '../../local/pipeline';
import { createLocalReconciler, type LocalReconciler } from '../../local/reconciler';
import { startLocalS3, type LocalS3 } from '../../local/s3';
import type { SchedulerModelOptions } from '../../local/scheduler';

export interface LocalStack {
  dynamo: LocalDynamo;
  pipeline: LocalPipeline;
  reconciler: LocalReconciler;
}

export interface StackOptions {
  scheduler?: Omit<SchedulerModelOptions, 'onEvent'>;
  targetInput?: InputPolicy;
}

export function useLocalStack(): { start(options?: StackOptions): Promise<LocalStack> } {
  let dynamo: LocalDynamo;
  let s3: LocalS3;
  let started: LocalStack | undefined;
  before(async () => {
    dynamo = await startLocalDynamo();
    s3 = await startLocalS3();
  });
  after(async () => {
    await s3.close();
    await dynamo.close();
  });
  afterEach(async () => {
    started?.reconciler.close();
    await started?.pipeline.close();
    started = undefined;
  });
  return {
    async start(options = {}) {
      const scheduler = { now: () => new Date(Date.now() - 10_000), ...options.scheduler };
      const pipeline = await startPipeline({ dynamo, scheduler, ...(options.targetInput ? { targetInput: options.targetInput } : {}) });
      const reconciler = await createLocalReconciler({
        scheduler: pipeline.scheduler, dynamo, tableName: pipeline.store.tableName, s3, bucket: `reports-${pipeline.store.tableName}`.toLowerCase(),
        ...(options.targetInput ? { targetInput: options.targetInput } : {}),
      });
      started = { dynamo, pipeline, reconciler };
      return started;
    },
  };
}
