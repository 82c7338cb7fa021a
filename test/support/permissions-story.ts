/**
 * The story the least-privilege test plays (test/integration/least-privilege.test.ts): every function of the stack,
 * with every customer-key option on (tableKmsKeyArn, scheduleKmsKeyArns, targetInput hash), doing each thing it is
 * deployed to do, on the local engines with IAM in the loop. Each part is a named scenario, so that a denial says
 * which one needed the statement.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleGroupCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { runDemoStory } from '../../functions/demo/story';
import { inputPolicy } from '../../functions/core/target-input';
import type { ExecutionSummary } from '../../functions/core/report';
import type { LocalDynamo } from '../../local/dynamodb';
import { captureMetrics } from '../../local/emf';
import { createHeartbeatSchedule, localHeartbeat } from '../../local/heartbeat';
import type { AuthorizationRecord } from '../../local/iam/authorizer';
import type { LocalIamConfig } from '../../local/iam/stack';
import { credentialsOf, startPipeline, type LocalPipeline } from '../../local/pipeline';
import { createLocalReconciler, type LocalReconciler } from '../../local/reconciler';
import { startLocalS3 } from '../../local/s3';
import { compareStoreWithTruth, scanStore } from '../../local/truth';

export const STORY_KEYS = {
  table: 'arn:aws:kms:us-east-1:123456789012:key/7ab1e000-0000-4000-8000-000000000001',
  schedules: 'arn:aws:kms:us-east-1:123456789012:key/5c4ed000-0000-4000-8000-000000000002',
};

/** Every option that adds a statement is on. */
export const EVERY_OPTION: LocalIamConfig = { tableKmsKeyArn: STORY_KEYS.table, scheduleKmsKeyArns: [STORY_KEYS.schedules] };

const DEMO_GROUP = 'scheduler-observer-demo';
const TARGET = { Arn: 'arn:aws:sqs:us-east-1:123456789012:orders', RoleArn: 'arn:aws:iam::123456789012:role/scheduler-observer-demo-scheduler' };

export interface StoryResult {
  /** The scenario each authorization decision was made in. */
  decisions: Array<AuthorizationRecord & { scenario: string }>;
  /** What went wrong, by scenario: failed executions, a store that does not match the truth, thrown errors. */
  failures: Array<{ scenario: string; message: string }>;
  /** The identity policies of every role, as the program builds them (nothing removed). */
  policies: ReadonlyMap<string, { Statement: Array<{ Sid?: string; Action: string | string[] }> }>;
}

const spec = (name: string, groupName: string, extra: Record<string, unknown> = {}) => ({
  Name: name,
  GroupName: groupName,
  ScheduleExpression: 'rate(1 hour)',
  FlexibleTimeWindow: { Mode: 'OFF' as const },
  Target: { ...TARGET, Input: `{"n":"${name}"}` },
  ...extra,
});

/**
 * Plays the story with the stack's policies, `without` one statement if given. `stopAtDenialOf`: end the story at
 * the first scenario in which that role was denied something (the least-privilege runs need nothing more).
 */
export async function playPermissionsStory(dynamo: LocalDynamo, options: { iam?: LocalIamConfig; stopAtDenialOf?: string } = {}): Promise<StoryResult> {
  const decisions: StoryResult['decisions'] = [];
  const failures: StoryResult['failures'] = [];
  const policy = inputPolicy('hash', randomBytes(32));
  const pipeline: LocalPipeline = await startPipeline({
    dynamo,
    iam: { ...EVERY_OPTION, ...options.iam },
    targetInput: policy,
    // Scheduler's clock runs behind, so that a reconciler run never shares a CloudTrail second with the changes before it.
    scheduler: { groupDeletion: 'deferred', now: () => new Date(Date.now() - 10_000) },
  });
  const s3 = await startLocalS3();
  let reconciler: LocalReconciler | undefined;
  const authorizer = pipeline.access!.iam.authorizer;
  let seen = 0;
  const scenario = async (name: string, play: () => Promise<void>): Promise<boolean> => {
    try {
      await play();
    } catch (error) {
      failures.push({ scenario: name, message: `${(error as Error).name}: ${(error as Error).message}` });
    }
    for (const record of authorizer.log.slice(seen)) decisions.push({ ...record, scenario: name });
    seen = authorizer.log.length;
    return options.stopAtDenialOf === undefined || !decisions.some((d) => !d.allowed && d.caller === options.stopAtDenialOf);
  };
  const execution = async (mode: 'report' | 'repair') => {
    const run = await reconciler!.run({ mode });
    if (run.status !== 'SUCCEEDED') throw new Error(`${mode} run ${run.status}: ${run.error?.name}: ${run.error?.message}`);
    return run.output as ExecutionSummary;
  };
  const storeMatches = async () => {
    const problems = compareStoreWithTruth(await scanStore(pipeline.dynamo.doc, pipeline.store.tableName), pipeline.scheduler.snapshot(), policy);
    if (problems.length > 0) throw new Error(`the store does not match the truth: ${problems.join('; ')}`);
  };
  try {
    const steps: Array<[string, () => Promise<void>]> = [
      ['demo seed: the demo story, as the demo seed function', async () => {
        const role = pipeline.access!.iam.demoSeed({ groupName: DEMO_GROUP, schedulerRoleArn: TARGET.RoleArn });
        const client = new SchedulerClient(pipeline.scheduler.clientConfig({ credentials: credentialsOf(role) }));
        await pipeline.access!.iam.invocationTelemetry(role);
        try {
          await runDemoStory(client, { groupName: DEMO_GROUP, targetArn: TARGET.Arn, roleArn: TARGET.RoleArn, waitMs: 0, sleep: async () => undefined });
        } finally {
          client.destroy();
        }
      }],
      ['observer: schedules created, updated, one under a customer managed key, recorded', async () => {
        await pipeline.client.send(new CreateScheduleCommand(spec('plain', 'default')));
        await pipeline.client.send(new CreateScheduleCommand(spec('sealed', 'default', { KmsKeyArn: STORY_KEYS.schedules })));
        await pipeline.client.send(new UpdateScheduleCommand(spec('plain', 'default', { State: 'DISABLED' })));
        const drained = await pipeline.settle();
        if (drained.failedInvocations > 0) throw new Error(`monitor invocations failed: ${drained.failureReasons.join('; ')}`);
        if (pipeline.dlq.stats.approximateNumberOfMessages > 0) throw new Error(`${pipeline.dlq.stats.approximateNumberOfMessages} events in the DLQ`);
        await storeMatches();
      }],
      ['observer: a late create in a group being deleted', async () => {
        await pipeline.client.send(new CreateScheduleGroupCommand({ Name: 'doomed' }));
        await pipeline.client.send(new CreateScheduleCommand(spec('early', 'doomed')));
        await pipeline.settle();
        await pipeline.client.send(new CreateScheduleCommand(spec('late', 'doomed')));
        const late = pipeline.holdDelivered().filter((body) => body.includes('"CreateSchedule"'));
        await pipeline.client.send(new DeleteScheduleGroupCommand({ Name: 'doomed' }));
        await pipeline.settle();
        for (const body of late) pipeline.queue.sendMessage(body);
        await pipeline.mapping.drain();
        pipeline.scheduler.completeGroupDeletions();
        await storeMatches();
      }],
      ['reconciler: the state machine is created with logging, and a report run finds drift and alerts', async () => {
        reconciler = await createLocalReconciler({
          scheduler: pipeline.scheduler, dynamo, tableName: pipeline.store.tableName, s3, bucket: `reports-${pipeline.store.tableName}`.toLowerCase(),
          targetInput: policy, access: pipeline.access,
          // Batches as small as a group of 1,000,000 schedules makes them: a group's sweep reads the names its listing
          // wrote in earlier calls back from the run's chunks.
          limits: { pagesPerBatch: 1, sweepItemsPerBatch: 1, scanItemsPerBatch: 1 },
        });
        // Lost by CloudTrail, and under the customer managed key: the scan reads it to report it.
        await pipeline.client.send(new CreateScheduleCommand(spec('unseen', 'default', { KmsKeyArn: STORY_KEYS.schedules })));
        pipeline.loseEvents();
        const summary = await execution('report');
        if (summary.driftCount !== 1) throw new Error(`expected 1 drift item, found ${summary.driftCount}`);
        if (reconciler.published.length !== 1) throw new Error('the drift alert was not published');
      }],
      ['reconciler: a repair run, then a report run in sync', async () => {
        await execution('repair');
        const after = await execution('report');
        if (after.driftCount !== 0) throw new Error(`drift remains after repair: ${after.driftCount}`);
        await storeMatches();
      }],
      ['reconciler: a group of more than one page, listed over several calls, repaired', async () => {
        // Seeded directly (no events): 101 schedules the store never saw, more than one ListSchedules page of 100.
        const at = Date.now() - 60_000;
        pipeline.scheduler.seed(Array.from({ length: 101 }, (_, i) => ({
          name: `wide-${String(i).padStart(3, '0')}`,
          spec: { GroupName: 'wide', ScheduleExpression: 'rate(1 hour)', ScheduleExpressionTimezone: 'UTC', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { ...TARGET, Input: `{"i":${i}}`, RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 } }, State: 'ENABLED', ActionAfterCompletion: 'NONE' },
          creationDate: at,
          lastModificationDate: at,
        })));
        await execution('repair');
        const after = await execution('report');
        if (after.driftCount !== 0) throw new Error(`drift remains after repairing the wide group: ${after.driftCount}`);
        await storeMatches();
      }],
      ['reconciler: a run that fails before its run file exists still writes a FAILED report', async () => {
        pipeline.scheduler.failNext('ListScheduleGroups', 1, 'ValidationException');
        await reconciler!.run({ mode: 'report' });
        const report = (await reconciler!.objects.getJson('reports/latest.json')) as { status?: string };
        if (report.status !== 'FAILED') throw new Error(`the latest report is ${report.status}, not FAILED`);
      }],
      ['heartbeat: two beats, the observer records the first', async () => {
        await createHeartbeatSchedule(pipeline.client, 'scheduler-observer-heartbeat');
        const heartbeat = localHeartbeat(pipeline, 'scheduler-observer-heartbeat');
        try {
          await heartbeat.beat({ metrics: captureMetrics().metrics });
          await pipeline.settle();
          const second = await heartbeat.beat({ metrics: captureMetrics().metrics, now: () => new Date(Date.now() + 300_000) });
          if (second.lagSeconds === undefined) throw new Error('the store holds no beat');
        } finally {
          heartbeat.close();
        }
      }],
    ];
    for (const [name, play] of steps) {
      if (!(await scenario(name, play))) break;
    }
  } finally {
    reconciler?.close();
    await pipeline.close();
    await s3.close();
  }
  return { decisions, failures, policies: pipeline.access!.iam.policies() };
}
