/**
 * The heartbeat canary (functions/core/heartbeat.ts): one schedule in a group of its own, `rate(heartbeatMinutes)`,
 * that invokes the heartbeat function; the function rewrites that very schedule's description with the time.
 * The observer records each rewrite like any other change, and the function's ObserverBlind metric (the
 * `observer-blind` alarm, infra/alarms.ts) says when the store stopped seeing them. Pulumi does not fight the
 * rewrites: the schedule ignores changes to its description.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { accountScope } from './account-scope';
import type { ObserverConfig } from './config';
import { HEARTBEAT_SCHEDULE } from '../functions/core/heartbeat';
import { BundledFunction } from './lambda-function';
import { physicalName } from './physical-names';
import { heartbeatPolicy, invokeFunctionPolicy, schedulerArn, schedulerAssumeRolePolicy } from './policies';
import type { StateTableRef } from './state-store';

export interface HeartbeatArgs extends Pick<ObserverConfig, 'heartbeatMinutes' | 'logRetentionDays' | 'logLevel' | 'metricsNamespace'>, StateTableRef {}

export class Heartbeat extends pulumi.ComponentResource {
  readonly groupName: pulumi.Output<string>;

  constructor(name: string, args: HeartbeatArgs, opts?: pulumi.ComponentResourceOptions) {
    super('scheduler-observer:index:Heartbeat', name, {}, opts);
    const parent = { parent: this };
    const scope = accountScope(this);
    const groupName = physicalName('scheduleGroup', name, pulumi.getStack());
    const group = new aws.scheduler.ScheduleGroup(`${name}-group`, { name: groupName }, parent);
    const invokeRole = new aws.iam.Role(`${name}-invoke-role`, { assumeRolePolicy: scope.apply((s) => JSON.stringify(schedulerAssumeRolePolicy(s.accountId))) }, parent);

    const fn = new BundledFunction(
      `${name}-function`,
      {
        entry: 'functions/handlers/heartbeat.ts',
        timeoutSeconds: 30,
        logRetentionDays: args.logRetentionDays,
        environment: {
          TABLE_NAME: args.tableName,
          HEARTBEAT_GROUP: groupName,
          HEARTBEAT_MINUTES: String(args.heartbeatMinutes),
          POWERTOOLS_SERVICE_NAME: 'scheduler-observer',
          POWERTOOLS_METRICS_NAMESPACE: args.metricsNamespace,
          LOG_LEVEL: args.logLevel,
        },
        policy: (logGroupArn) =>
          pulumi.all([scope, invokeRole.arn, args.tableArn, logGroupArn]).apply(([s, roleArn, tableArn, logGroup]) =>
            heartbeatPolicy({
              scheduleArn: schedulerArn(s, `schedule/${groupName}/${HEARTBEAT_SCHEDULE}`),
              scheduleRoleArn: roleArn,
              tableArn,
              region: s.region,
              logGroupArn: logGroup,
              ...(args.tableKmsKeyArn === undefined ? {} : { tableKmsKeyArn: args.tableKmsKeyArn }),
            }),
          ),
      },
      parent,
    );
    const invokePolicy = new aws.iam.RolePolicy(
      `${name}-invoke-policy`,
      { role: invokeRole.id, policy: fn.functionArn.apply((arn) => JSON.stringify(invokeFunctionPolicy(arn))) },
      parent,
    );
    new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        name: HEARTBEAT_SCHEDULE,
        groupName: group.name,
        description: 'scheduler-observer heartbeat (not yet beaten)',
        scheduleExpression: `rate(${args.heartbeatMinutes} ${args.heartbeatMinutes === 1 ? 'minute' : 'minutes'})`,
        flexibleTimeWindow: { mode: 'OFF' },
        // A missed beat is made good by the next one.
        target: { arn: fn.functionArn, roleArn: invokeRole.arn, retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 } },
      },
      // The function rewrites the description at every beat: Pulumi must not write it back.
      { parent: this, dependsOn: [invokePolicy], ignoreChanges: ['description'] },
    );
    this.groupName = group.name;
    this.registerOutputs({ groupName: this.groupName });
  }
}
