/**
 * scheduler-observer: Scheduler API calls → CloudTrail → default bus rule → SQS → monitor Lambda → DynamoDB,
 * proven on a timer by the reconciler (Step Functions) → drift report (S3) + alert (SNS), watched by a dashboard
 * and alarms (→ the same alert topic).
 * Reads like DESIGN.md's data-flow diagram; each concern lives in its own component under infra/.
 */
import { targetInputKey } from './infra/input-key';
import * as pulumi from '@pulumi/pulumi';
import { loadConfig } from './infra/config';
import { DemoSeed, DEMO_GROUP_NAME } from './infra/demo-seed';
import { Monitoring } from './infra/monitoring';
import { Heartbeat } from './infra/heartbeat';
import { Member } from './infra/member';
import { Observer } from './infra/observer';
import { Reconciler } from './infra/reconciler';
import { StateStore } from './infra/state-store';
import { stackTags, tagTransformation } from './infra/tags';

const config = loadConfig();

// Every component gets the one tag transformation; their children inherit it (infra/tags.ts says why).
const tagged: pulumi.ComponentResourceOptions = {
  transformations: [tagTransformation(stackTags(pulumi.getStack(), config.tags))],
};

/** The standalone stack (and, later, the hub): the whole observer in this account and Region. */
function observerStack() {
  const store = new StateStore(
    'scheduler-observer',
    { deletionProtection: config.tableDeletionProtection, kmsKeyArn: config.tableKmsKeyArn },
    tagged,
  );

  // config targetInput hash: the key that hashes schedule inputs, read by the monitor and the reconciler's scan.
  const inputKeySecretArn = config.targetInput === 'hash' ? targetInputKey('scheduler-observer-input-key', tagged) : undefined;
  const tableRef = { tableName: store.tableName, tableArn: store.tableArn, ...(inputKeySecretArn ? { targetInputKeySecretArn: inputKeySecretArn } : {}) };

  const observer = new Observer('scheduler-observer', { ...config, ...tableRef }, tagged);

  const reconciler = new Reconciler(
    'scheduler-observer-reconciler',
    { ...config, ...tableRef },
    tagged,
  );

  const monitoring = new Monitoring(
    'scheduler-observer',
    {
      ...config,
      queueName: observer.queueName,
      dlqName: observer.dlqName,
      monitorFunctionName: observer.monitorFunctionName,
      stateMachineArn: reconciler.stateMachineArn,
      alertTopicArn: reconciler.alertTopicArn,
    },
    tagged,
  );

  // The canary: a schedule the stack rewrites every heartbeatMinutes, which the observer must record (observer-blind).
  const heartbeat = config.heartbeatMinutes > 0 ? new Heartbeat('scheduler-observer-heartbeat', { ...config, ...tableRef }, tagged) : undefined;

  if (config.demoSeed) {
    new DemoSeed('scheduler-observer-demo', { ...config, runAfter: [observer, store] }, tagged);
  }

  return {
    tableName: store.tableName,
    tableArn: store.tableArn,
    queueUrl: observer.queueUrl,
    dlqUrl: observer.dlqUrl,
    ruleArn: observer.ruleArn,
    monitorFunctionName: observer.monitorFunctionName,
    trailArn: observer.trailArn,
    stateMachineArn: reconciler.stateMachineArn,
    executionsConsoleUrl: reconciler.executionsConsoleUrl,
    reportBucketName: reconciler.reportBucketName,
    latestReportUri: reconciler.latestReportUri,
    alertTopicArn: reconciler.alertTopicArn,
    alertKeyArn: reconciler.alertKeyArn,
    timerGroupName: reconciler.timerGroupName,
    heartbeatGroup: heartbeat?.groupName,
    dashboardUrl: monitoring.dashboardUrl,
    demoGroup: config.demoSeed ? DEMO_GROUP_NAME : undefined,
  };
}

/**
 * A member account and Region (README "Organization"): its Scheduler events go to the hub's bus, and the hub's roles
 * may read its schedules. No store, queue or reconciler of its own: the hub has them.
 */
function memberStack() {
  const member = new Member(
    'scheduler-observer-member',
    {
      hubAccountId: config.hubAccountId!,
      hubRegion: config.hubRegion!,
      hubEventBusName: config.hubEventBusName!,
      hubRoleArns: config.hubRoleArns,
      ...(config.organizationId === undefined ? {} : { organizationId: config.organizationId }),
      ...(config.memberExternalId === undefined ? {} : { memberExternalId: config.memberExternalId }),
    },
    tagged,
  );
  return { memberRuleArn: member.ruleArn, memberReaderRoleArn: member.readerRoleArn, memberForwardRoleArn: member.forwardRoleArn };
}

const member = config.deployment === 'member' ? memberStack() : undefined;
const standalone = member ? undefined : observerStack();

export const tableName = standalone?.tableName;
export const tableArn = standalone?.tableArn;
export const queueUrl = standalone?.queueUrl;
export const dlqUrl = standalone?.dlqUrl;
export const ruleArn = standalone?.ruleArn;
export const monitorFunctionName = standalone?.monitorFunctionName;
export const trailArn = standalone?.trailArn;
export const stateMachineArn = standalone?.stateMachineArn;
export const executionsConsoleUrl = standalone?.executionsConsoleUrl;
export const reportBucketName = standalone?.reportBucketName;
export const latestReportUri = standalone?.latestReportUri;
export const alertTopicArn = standalone?.alertTopicArn;
export const alertKeyArn = standalone?.alertKeyArn;
export const timerGroupName = standalone?.timerGroupName;
export const heartbeatGroup = standalone?.heartbeatGroup;
export const dashboardUrl = standalone?.dashboardUrl;
export const demoGroup = standalone?.demoGroup;
export const memberRuleArn = member?.memberRuleArn;
export const memberReaderRoleArn = member?.memberReaderRoleArn;
export const memberForwardRoleArn = member?.memberForwardRoleArn;
