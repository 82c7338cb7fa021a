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
import { Observer } from './infra/observer';
import { Reconciler } from './infra/reconciler';
import { StateStore } from './infra/state-store';
import { stackTags, tagTransformation } from './infra/tags';

const config = loadConfig();

// Every component gets the one tag transformation; their children inherit it (infra/tags.ts says why).
const tagged: pulumi.ComponentResourceOptions = {
  transformations: [tagTransformation(stackTags(pulumi.getStack(), config.tags))],
};

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

export const tableName = store.tableName;
export const tableArn = store.tableArn;
export const queueUrl = observer.queueUrl;
export const dlqUrl = observer.dlqUrl;
export const ruleArn = observer.ruleArn;
export const monitorFunctionName = observer.monitorFunctionName;
export const trailArn = observer.trailArn;
export const stateMachineArn = reconciler.stateMachineArn;
export const executionsConsoleUrl = reconciler.executionsConsoleUrl;
export const reportBucketName = reconciler.reportBucketName;
export const latestReportUri = reconciler.latestReportUri;
export const alertTopicArn = reconciler.alertTopicArn;
export const alertKeyArn = reconciler.alertKeyArn;
export const timerGroupName = reconciler.timerGroupName;
export const heartbeatGroup = heartbeat?.groupName;
export const dashboardUrl = monitoring.dashboardUrl;
export const demoGroup = config.demoSeed ? DEMO_GROUP_NAME : undefined;
