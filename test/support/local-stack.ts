/**
 * The observer and the reconciler together on the local engines, for a mocha suite: one dynalite for the suite,
 * a fresh pipeline (its own table, Scheduler model and IAM), local S3 and reconciler per `start`, closed after
 * each test. IAM is in the loop: every function runs with its own role (local/iam/stack.ts). Scheduler's clock runs 10 s behind by default, so that a run never shares a
 * CloudTrail second with the changes before it.
 */
import type { InputPolicy } from '../../functions/core/target-input';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';
import { startPipeline, type LocalPipeline } from '../../local/pipeline';
import { createLocalReconciler, type LocalReconciler } from '../../local/reconciler';
import { startLocalS3, type LocalS3 } from '../../local/s3';
import type { SchedulerModelOptions } from '../../local/scheduler';
import type { LocalIamConfig } from '../../local/iam/stack';

export interface LocalStack {
  dynamo: LocalDynamo;
  pipeline: LocalPipeline;
  reconciler: LocalReconciler;
}

export interface StackOptions {
  scheduler?: Omit<SchedulerModelOptions, 'onEvent'>;
  targetInput?: InputPolicy;
  iam?: LocalIamConfig;
}

export function useLocalStack(): { start(options?: StackOptions): Promise<LocalStack> } {
  let dynamo: LocalDynamo;
  let s3: LocalS3 | undefined;
  let started: LocalStack | undefined;
  before(async () => {
    dynamo = await startLocalDynamo();
  });
  after(async () => {
    await dynamo.close();
  });
  afterEach(async () => {
    started?.reconciler.close();
    await started?.pipeline.close();
    await s3?.close();
    started = undefined;
    s3 = undefined;
  });
  return {
    async start(options = {}) {
      const scheduler = { now: () => new Date(Date.now() - 10_000), ...options.scheduler };
      const pipeline = await startPipeline({
        dynamo, scheduler, ...(options.targetInput ? { targetInput: options.targetInput } : {}), ...(options.iam ? { iam: options.iam } : {}),
      });
      s3 = await startLocalS3({ authorizer: pipeline.access!.iam.authorizer });
      const reconciler = await createLocalReconciler({
        scheduler: pipeline.scheduler, dynamo, tableName: pipeline.store.tableName, s3, bucket: `reports-${pipeline.store.tableName}`.toLowerCase(),
        access: pipeline.access,
        ...(options.targetInput ? { targetInput: options.targetInput } : {}),
      });
      started = { dynamo, pipeline, reconciler };
      return started;
    },
  };
}
