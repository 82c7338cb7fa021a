/**
 * Demo data for a fresh account: a Lambda that runs functions/demo/story.ts once against the real Scheduler.
 *
 * The schedule group is deliberately not a Pulumi resource: the seed creates it, so that the pipeline sees a
 * CreateScheduleGroup event like any other client's. For the same reason `pulumi destroy` leaves the group
 * and its schedules in place (they then target a deleted queue): delete the group by hand.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { accountScope } from './account-scope';
import type { ObserverConfig } from './config';
import { BundledFunction } from './lambda-function';
import { demoSeedPolicy, queueSendPolicy, schedulerAssumeRolePolicy } from './policies';

export const DEMO_GROUP_NAME = 'scheduler-observer-demo';
/** The seed's Lambda timeout; the story's pause (DEMO_WAIT_MS) must fit inside it. */
export const DEMO_SEED_TIMEOUT_SECONDS = 120;

export interface DemoSeedArgs extends Pick<ObserverConfig, 'logRetentionDays' | 'logLevel'> {
  /** Pause between the story's creates and its update/delete. */
  waitMs?: number;
  /** What must exist before the story runs (the observer), or its events go unrecorded. */
  runAfter: pulumi.Input<pulumi.Resource>[];
}

export class DemoSeed extends pulumi.ComponentResource {
  readonly groupName = DEMO_GROUP_NAME;
  readonly targetQueueUrl: pulumi.Output<string>;

  constructor(name: string, args: DemoSeedArgs, opts?: pulumi.ComponentResourceOptions) {
    super('scheduler-observer:index:DemoSeed', name, {}, opts);
    const parent = { parent: this };
    const scope = accountScope(this);

    const target = new aws.sqs.Queue(
      `${name}-target`,
      { sqsManagedSseEnabled: true, messageRetentionSeconds: 24 * 60 * 60 },
      parent,
    );
    const schedulerRole = new aws.iam.Role(
      `${name}-scheduler-role`,
      { assumeRolePolicy: scope.apply((s) => JSON.stringify(schedulerAssumeRolePolicy(s.accountId))) },
      parent,
    );
    const schedulerRolePolicy = new aws.iam.RolePolicy(
      `${name}-scheduler-policy`,
      { role: schedulerRole.id, policy: target.arn.apply((arn) => JSON.stringify(queueSendPolicy(arn))) },
      parent,
    );

    const seed = new BundledFunction(
      `${name}-seed`,
      {
        entry: 'functions/handlers/demo-seed.ts',
        timeoutSeconds: DEMO_SEED_TIMEOUT_SECONDS,
        logRetentionDays: args.logRetentionDays,
        environment: {
          DEMO_GROUP: DEMO_GROUP_NAME,
          DEMO_TARGET_ARN: target.arn,
          DEMO_ROLE_ARN: schedulerRole.arn,
          DEMO_WAIT_MS: String(args.waitMs ?? 60_000),
          POWERTOOLS_SERVICE_NAME: 'scheduler-observer-demo',
          LOG_LEVEL: args.logLevel,
        },
        policy: (logGroupArn) =>
          pulumi.all([scope, schedulerRole.arn, logGroupArn]).apply(([s, schedulerRoleArn, logGroup]) =>
            demoSeedPolicy({ ...s, groupName: DEMO_GROUP_NAME, schedulerRoleArn, logGroupArn: logGroup }),
          ),
      },
      parent,
    );

    // Runs once, on create (the default lifecycle scope); `pulumi up --replace <urn>` runs the story again.
    new aws.lambda.Invocation(
      `${name}-run`,
      { functionName: seed.functionName, input: JSON.stringify({}) },
      { parent: this, dependsOn: [...args.runAfter, schedulerRolePolicy] },
    );

    this.targetQueueUrl = target.url;
    this.registerOutputs({ groupName: this.groupName, targetQueueUrl: this.targetQueueUrl });
  }
}
