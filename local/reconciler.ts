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
import { LOCAL_TOPIC_KEY_ARN } from './iam/stack';
import type { LocalPrincipal } from './iam/authorizer';
import { credentialsOf, inputKeyDenied, type LocalStackAccess } from './pipeline';
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
  /**
   * IAM in the loop (the pipeline's `access`): each function runs with its own role's credentials against the
   * gated engines, and the state machine's role must allow its invokes and its publish. Without it, every call
   * is served.
   */
  access?: LocalStackAccess;
  /**
   * Whether the store's first backfill already ran (the marker ReconcileStore.backfillCompleted reads). Default
   * true: most tests and the bench stand for a stack past its first run. False: the first run over every group is
   * the backfill, as after a first `pulumi up`.
   */
  backfilled?: boolean;
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
  if (options.backfilled !== false) await new ReconcileStore(options.dynamo.doc, options.tableName).markBackfilled('before-this-test', new Date(0));
  if (options.access) options.s3.enforce(options.access.iam.authorizer);
  const s3Client = new S3Client(options.s3.clientConfig());
  const clients: Array<{ destroy(): void }> = [s3Client];
  const objects = new S3ObjectStore(s3Client, options.bucket);
  const access = options.access;
  const roles = access?.iam.reconciler({ tableName: options.tableName, bucket: options.bucket });
  if (roles && access) await access.iam.stateMachineCreated(roles.stateMachine);
  const scanKeyReadable = !roles || !access || options.targetInput?.mode !== 'hash' || (await access.iam.inputKeyReadable(roles.scan));
  /** What one function reaches, with its role's credentials when IAM is in the loop. */
  const reach = (role: LocalPrincipal | undefined) => {
    const s3 = role ? new S3Client(options.s3.clientConfig(credentialsOf(role))) : s3Client;
    if (role) clients.push(s3);
    return {
      objects: role ? new S3ObjectStore(s3, options.bucket) : objects,
      store: new ReconcileStore(role && access ? access.dynamo.docFor(role) : options.dynamo.doc, options.tableName),
    };
  };
  const scan = reach(roles?.scan);
  const report = reach(roles?.report);
  const repair = reach(roles?.repair);
  // Only the scan reads Scheduler.
  const schedulerClient = new SchedulerClient(
    options.scheduler.clientConfig({ maxAttempts: options.schedulerMaxAttempts ?? 8, ...(roles ? { credentials: credentialsOf(roles.scan) } : {}) }),
  );
  clients.push(schedulerClient);
  /** The Lambda service writes each invocation's logs and traces with the function's role. */
  const invoked = <T>(role: LocalPrincipal | undefined, fn: (payload: any) => Promise<T>) =>
    role && access ? async (payload: any) => (await access.iam.invocationTelemetry(role), fn(payload)) : fn;
  const published: LocalReconciler['published'] = [];
  const metrics = options.metrics ?? captureMetrics().metrics;
  const functions: ReconcilerFunctions = {
    scan: invoked(roles?.scan, !scanKeyReadable ? inputKeyDenied : createScanHandler({ scheduler: new SchedulerLister(schedulerClient, options.targetInput ?? { mode: 'full' }), store: scan.store, objects: scan.objects, limits: options.limits })),
    report: invoked(roles?.report, createReportHandler({ objects: report.objects, store: report.store, metrics })),
    repair: invoked(roles?.repair, createRepairHandler({ objects: repair.objects, store: repair.store, tombstoneTtlDays: options.tombstoneTtlDays ?? 30, metrics })),
    publish: async (params) => {
      published.push(params);
      return { MessageId: `local-${published.length}` };
    },
  };
  return {
    objects,
    published,
    functions,
    run: async (input, runOptions) => {
      if (roles && access) await access.iam.executionTraced(roles.stateMachine);
      return runReconcilerExecution(input, functions, {
        ...runOptions,
        ...(roles && access
          ? {
              topicKeyArn: LOCAL_TOPIC_KEY_ARN,
              authorize: async (action: string, resource: string, context?: Record<string, string>) =>
                (await access.iam.authorizer.authorize({ caller: roles.stateMachine, action, resource, ...(context ? { context } : {}) })).allowed,
            }
          : {}),
      });
    },
    close() {
      for (const client of clients) client.destroy();
    },
  };
}
