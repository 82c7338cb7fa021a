/**
 * Operations (issue 7): the CloudWatch dashboard (infra/dashboard.ts) and the alarms (infra/alarms.ts), which
 * notify the reconciler's alert topic when they fire and when they clear.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { physicalName } from './physical-names';
import { accountScope } from './account-scope';
import { alarmSpecs, type AlarmSpec } from './alarms';
import type { ObserverConfig } from './config';
import { dashboardBody, dashboardName, dashboardUrl } from './dashboard';
import { METRICS_SERVICE } from './metrics';

export type MonitoringSettings = Pick<
  ObserverConfig,
  'queueAgeAlarmSeconds' | 'driftAlarm' | 'metricsNamespace' | 'reconcileSchedule' | 'reconcileEnabled' | 'heartbeatMinutes'
>;

export interface MonitoringArgs extends MonitoringSettings {
  queueName: pulumi.Input<string>;
  dlqName: pulumi.Input<string>;
  monitorFunctionName: pulumi.Input<string>;
  stateMachineArn: pulumi.Input<string>;
  /** Where every alarm sends its ALARM and OK notifications (the reconciler's KMS-encrypted topic). */
  alertTopicArn: pulumi.Input<string>;
}

export class Monitoring extends pulumi.ComponentResource {
  readonly dashboardName: pulumi.Output<string>;
  readonly dashboardUrl: pulumi.Output<string>;
  readonly alarmNames: pulumi.Output<string>[];

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('scheduler-observer:index:Monitoring', name, {}, opts);
    const scope = accountScope(this);
    const stack = pulumi.getStack();

    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        // Dashboards are global to the account: the stack name keeps two stacks' dashboards apart.
        dashboardName: dashboardName(name, stack),
        dashboardBody: pulumi
          .all([scope, args.queueName, args.dlqName, args.monitorFunctionName, args.stateMachineArn])
          .apply(([s, queueName, dlqName, monitorFunctionName, stateMachineArn]) =>
            JSON.stringify(
              dashboardBody({
                region: s.region,
                queueName,
                dlqName,
                monitorFunctionName,
                stateMachineArn,
                namespace: args.metricsNamespace,
                service: METRICS_SERVICE,
              }),
            ),
          ),
      },
      { parent: this },
    );

    const specs = alarmSpecs<pulumi.Input<string>>({
      queueName: args.queueName,
      dlqName: args.dlqName,
      monitorFunctionName: args.monitorFunctionName,
      stateMachineArn: args.stateMachineArn,
      namespace: args.metricsNamespace,
      service: METRICS_SERVICE,
      queueAgeAlarmSeconds: args.queueAgeAlarmSeconds,
      driftAlarm: args.driftAlarm,
      reconcileSchedule: args.reconcileSchedule,
      heartbeatMinutes: args.heartbeatMinutes,
    });
    const alarms = specs.map(
      (spec) =>
        new aws.cloudwatch.MetricAlarm(
          `${name}-${spec.key}`,
          {
            ...alarmArgs(spec),
            // A readable name, since it is the subject of every notification.
            name: physicalName('alarm', name, stack, spec.key),
            alarmActions: [args.alertTopicArn],
            okActions: [args.alertTopicArn],
            // With the timer off, no run is due: the staleness alarm still shows its state, but notifies no one.
            actionsEnabled: spec.key === 'reconcile-stale' ? args.reconcileEnabled : true,
          },
          { parent: this },
        ),
    );

    this.dashboardName = dashboard.dashboardName;
    this.dashboardUrl = pulumi.all([scope, dashboard.dashboardName]).apply(([s, n]) => dashboardUrl(s.region, n));
    this.alarmNames = alarms.map((alarm) => alarm.name);
    this.registerOutputs({ dashboardName: this.dashboardName, dashboardUrl: this.dashboardUrl, alarmNames: this.alarmNames });
  }
}

/** A spec in aws.cloudwatch.MetricAlarm's shape (its input for a statistic is `statistic`, for a query `stat`). */
function alarmArgs(spec: AlarmSpec<pulumi.Input<string>>): aws.cloudwatch.MetricAlarmArgs {
  const { key: _key, ...common } = spec;
  return common;
}
