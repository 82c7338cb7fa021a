/**
 * A member account and Region of an organization deployment (README "Organization"): its Scheduler events go to the
 * hub's event bus, and the hub's roles may read (never change) its schedules.
 *
 * - A rule on this Region's default bus with the observer's own event pattern, whose target is the hub's bus, with
 *   an execution role EventBridge assumes to put the events there (needed for a bus in another account or Region:
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html).
 * - A read role, named from the Region (`memberReaderRoleName`) so that the hub knows its ARN in every member without
 *   being told, which only the hub's roles may assume, under the organization or the external id.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { accountScope } from './account-scope';
import { SCHEDULER_EVENT_PATTERN } from './event-pattern';
import { physicalName } from './physical-names';
import { memberForwardAssumeRolePolicy, memberForwardPolicy, memberReaderPolicy, memberReaderTrustPolicy } from './policies';

/** The read role's name in a member account, for one Region: the hub builds `arn:<partition>:iam::<member>:role/<name>`. */
export function memberReaderRoleName(region: string): string {
  return physicalName('iamRole', 'scheduler-observer-reader', region);
}

/** The hub's event bus ARN. */
export function hubEventBusArn(hub: { partition: string; region: string; accountId: string; busName: string }): string {
  return `arn:${hub.partition}:events:${hub.region}:${hub.accountId}:event-bus/${hub.busName}`;
}

export interface MemberArgs {
  hubAccountId: string;
  hubRegion: string;
  hubEventBusName: string;
  hubRoleArns: readonly string[];
  organizationId?: string;
  memberExternalId?: string;
}

export class Member extends pulumi.ComponentResource {
  readonly ruleArn: pulumi.Output<string>;
  readonly readerRoleArn: pulumi.Output<string>;
  readonly forwardRoleArn: pulumi.Output<string>;

  constructor(name: string, args: MemberArgs, opts?: pulumi.ComponentResourceOptions) {
    super('scheduler-observer:index:Member', name, {}, opts);
    const parent = { parent: this };
    const scope = accountScope(this);
    const busArn = scope.apply((s) => hubEventBusArn({ partition: s.partition, region: args.hubRegion, accountId: args.hubAccountId, busName: args.hubEventBusName }));

    const forwardRole = new aws.iam.Role(
      `${name}-forward-role`,
      { assumeRolePolicy: scope.apply((s) => JSON.stringify(memberForwardAssumeRolePolicy(s.accountId))) },
      parent,
    );
    const forwardPolicy = new aws.iam.RolePolicy(
      `${name}-forward-policy`,
      { role: forwardRole.id, policy: busArn.apply((arn) => JSON.stringify(memberForwardPolicy(arn))) },
      parent,
    );
    const rule = new aws.cloudwatch.EventRule(
      `${name}-rule`,
      {
        description: 'EventBridge Scheduler changes, as CloudTrail records them, forwarded to the scheduler-observer hub',
        eventPattern: JSON.stringify(SCHEDULER_EVENT_PATTERN),
      },
      parent,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-to-hub`,
      { rule: rule.name, arn: busArn, roleArn: forwardRole.arn },
      // The role's policy first: a target whose role may not put the events yet would drop the first ones.
      { parent: this, dependsOn: [forwardPolicy] },
    );

    const readerRole = new aws.iam.Role(
      `${name}-reader-role`,
      {
        name: scope.apply((s) => memberReaderRoleName(s.region)),
        description: 'scheduler-observer: the hub reads this Region\'s schedules (never changes them)',
        assumeRolePolicy: JSON.stringify(
          memberReaderTrustPolicy({
            hubRoleArns: args.hubRoleArns,
            ...(args.organizationId === undefined ? {} : { organizationId: args.organizationId }),
            ...(args.memberExternalId === undefined ? {} : { externalId: args.memberExternalId }),
          }),
        ),
        // The hub's reads are short: one hour sessions are plenty (the default and the minimum allowed is 1 hour).
        maxSessionDuration: 3600,
      },
      parent,
    );
    new aws.iam.RolePolicy(`${name}-reader-policy`, { role: readerRole.id, policy: scope.apply((s) => JSON.stringify(memberReaderPolicy(s))) }, parent);

    this.ruleArn = rule.arn;
    this.readerRoleArn = readerRole.arn;
    this.forwardRoleArn = forwardRole.arn;
    this.registerOutputs({ ruleArn: this.ruleArn, readerRoleArn: this.readerRoleArn, forwardRoleArn: this.forwardRoleArn });
  }
}
