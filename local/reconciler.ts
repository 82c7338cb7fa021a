/**
 * The reconciler on the local engines: the real ASL file on aws-local-stepfunctions, its Task states bound
 * to the real handlers, which talk through the real SDK clients to the local Scheduler model, dynalite and
 * the local S3. SNS publishes are recorded (no SNS model is needed: the state machine only publishes).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { S3ObjectStore } from '../functions/adapters/objects';
import { SchedulerLister } from '../functions/adapters/scheduler';
import { ReconcileStore } from '../functions/adapters/store';
import { createRepairHandler, createReportHandler, createScanHandler } from '../functions/handlers/reconciler-handlers';
import type { BatchLimits } from '../functions/core/reconcile';
import type { InputPolicy } from '../functions/core/target-input';
import type { LocalDynamo } from './dynamodb';
import { captureMetrics } from './emf';
import type { LocalS3 } from './s3';
import type { SchedulerModel } from './scheduler';
import { runReconcilerExecution, type ExecutionRecord, type ReconcilerFunctions } from './stepfunctions';

export interface LocalReconcilerOptions {
  scheduler: SchedulerModel;
  dynamo: LocalDynamo;
  tableName: string;
  s3: LocalS3;
  bucket: string;
  metrics?: Metrics;
  /** SDK attempts for Scheduler calls (the Lambda uses 8). */
  schedulerMaxAttempts?: number;
  tombstoneTtlDays?: number;
  limits?: Partial<BatchLimits>;
  /** What the scan keeps of target inputs (config targetInput); `full` by default here. */
  targetInput?: InputPolicy;
}

export interface LocalReconciler {
  run(input: unknown, options?: { executionName?: string; startTime?: Date }): Promise<ExecutionRecord>;
  objects: S3ObjectStore;
  published: Array<{ TopicArn: string; Subject?: string; Message: string }>;
  /** Replace a function to inject faults or observe calls (tests). */
  functions: ReconcilerFunctions;
  close(): void;
}

export async function createLocalReconciler(options: LocalReconcilerOptions): Promise<LocalReconciler> {
  await options.s3.createBucket(options.bucket);
  const s3Client = new S3Client(options.s3.clientConfig());
  const schedulerClient = new SchedulerClient(options.scheduler.clientConfig({ maxAttempts: options.schedulerMaxAttempts ?? 8 }));
  const objects = new S3ObjectStore(s3Client, options.bucket);
  const store = new ReconcileStore(options.dynamo.doc, options.tableName);
  const published: LocalReconciler['published'] = [];
  const functions: ReconcilerFunctions = {
    scan: createScanHandler({ scheduler: new SchedulerLister(schedulerClient, options.targetInput ?? { mode: 'full' }), store, objects, limits: options.limits }),
    report: createReportHandler({ objects, store, metrics: options.metrics ?? captureMetrics().metrics }),
    repair: createRepairHandler({ objects, store, tombstoneTtlDays: options.tombstoneTtlDays ?? 30 }),
    publish: async (params) => {
      published.push(params);
      return { MessageId: `local-${published.length}` };
    },
  };
  return {
    objects,
    published,
    functions,
    run: (input, runOptions) => runReconcilerExecution(input, functions, runOptions),
    close() {
      s3Client.destroy();
      schedulerClient.destroy();
    },
  };
}
