import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import {
  alertKeyPolicy,
  demoSeedPolicy,
  lambdaAssumeRolePolicy,
  monitorPolicy,
  queuePolicy,
  queueSendPolicy,
  reconcilerRepairPolicy,
  reconcilerReportPolicy,
  reconcilerScanPolicy,
  reportBucketPolicy,
  heartbeatPolicy,
  invokeFunctionPolicy,
  scheduleKeyStatements,
  schedulerArn,
  schedulerAssumeRolePolicy,
  stateMachineAssumeRolePolicy,
  stateMachinePolicy,
  timerPolicy,
  tlsOnlyBucketStatement,
  trailBucketPolicy,
  type PolicyDocument,
  type Statement,
} from '../../infra/policies';

const scope = { partition: 'aws', region: 'us-east-1', accountId: '123456789012' };
const tableArn = 'arn:aws:dynamodb:us-east-1:123456789012:table/store';
const queueArn = 'arn:aws:sqs:us-east-1:123456789012:changes';
const ruleArn = 'arn:aws:events:us-east-1:123456789012:rule/observer';
const logGroupArn = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/monitor';
const bucketArn = 'arn:aws:s3:::trail-bucket';
const trailArn = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/observer';
const schedulerRoleArn = 'arn:aws:iam::123456789012:role/demo-scheduler';
const XRAY_PAGE = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html';
const reportBucketArn = 'arn:aws:s3:::reports-bucket';
const stateMachineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:reconciler';
const stateMachineRoleArn = 'arn:aws:iam::123456789012:role/reconciler';
const topicArn = 'arn:aws:sns:us-east-1:123456789012:alerts';
const functionArns = ['scan', 'report', 'repair'].map((n) => `arn:aws:lambda:us-east-1:123456789012:function:${n}`);
const reconcilerArgs = { ...scope, tableArn, bucketArn: reportBucketArn, logGroupArn };

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const allows = (doc: PolicyDocument) => doc.Statement.filter((s) => s.Effect === 'Allow');
/** Every (action, resource) pair the document allows. */
const grants = (doc: PolicyDocument) =>
  allows(doc).flatMap((s) => list(s.Action).flatMap((action) => list(s.Resource).map((resource) => `${action} ${resource}`)));
const statementFor = (doc: PolicyDocument, action: string): Statement => {
  const found = doc.Statement.find((s) => list(s.Action).includes(action));
  if (!found) throw new Error(`no statement for ${action}`);
  return found;
};

const documents: Record<string, PolicyDocument> = {
  monitorPolicy: monitorPolicy({ tableArn, queueArn, logGroupArn, schedulerScheduleArnPattern: schedulerArn(scope, 'schedule/*/*'), schedulerGroupArnPattern: schedulerArn(scope, 'schedule-group/*'), region: 'us-east-1', partition: 'aws', accountId: '123456789012' }),
  queuePolicy: queuePolicy({ queueArn, ruleArn }),
  trailBucketPolicy: trailBucketPolicy({ bucketArn, trailArn, accountId: scope.accountId }),
  demoSeedPolicy: demoSeedPolicy({ ...scope, groupName: 'scheduler-observer-demo', schedulerRoleArn, logGroupArn }),
  queueSendPolicy: queueSendPolicy(queueArn),
  lambdaAssumeRolePolicy: lambdaAssumeRolePolicy(),
  schedulerAssumeRolePolicy: schedulerAssumeRolePolicy(scope.accountId),
  reconcilerScanPolicy: reconcilerScanPolicy(reconcilerArgs),
  reconcilerReportPolicy: reconcilerReportPolicy(reconcilerArgs),
  reconcilerRepairPolicy: reconcilerRepairPolicy(reconcilerArgs),
  stateMachinePolicy: stateMachinePolicy({ functionArns, topicArn }),
  timerPolicy: timerPolicy(stateMachineArn),
  stateMachineAssumeRolePolicy: stateMachineAssumeRolePolicy(scope.accountId),
  reportBucketPolicy: reportBucketPolicy(reportBucketArn),
  alertKeyPolicy: alertKeyPolicy({ ...scope, stateMachineRoleArn }),
};

/** KMS's default key policy statement (account root, `kms:*`): the one Allow of a wildcard action, tested below. */
const isKeyRootStatement = (s: Statement) => s.Sid === 'EnableIamPolicies';
/** Statements of the IAM (identity) policies, where `*` resources are the exception; a key policy's `*` is its key. */
const identityDocuments = Object.entries(documents).filter(([name]) => name !== 'alertKeyPolicy').map(([, doc]) => doc);

describe('IAM policy builders', () => {
  for (const [name, doc] of Object.entries(documents)) {
    it(`${name} allows no wildcard action and uses version 2012-10-17`, () => {
      expect(doc.Version).to.equal('2012-10-17');
      for (const statement of doc.Statement) expect(list(statement.Action)).not.to.include('*');
      for (const statement of allows(doc).filter((s) => !isKeyRootStatement(s))) {
        for (const action of list(statement.Action)) expect(action).not.to.include('*');
      }
    });
  }

  it('allows a * resource only for actions AWS documents without resource-level permissions', () => {
    const starGrants = identityDocuments.flatMap(grants).filter((g) => g.endsWith(' *'));
    expect([...new Set(starGrants)]).to.have.members([
      'xray:PutTraceSegments *',
      'xray:PutTelemetryRecords *',
      'xray:GetSamplingRules *',
      'xray:GetSamplingTargets *',
      'scheduler:ListScheduleGroups *',
      'scheduler:ListSchedules *',
      ...STATE_MACHINE_LOG_DELIVERY.map((action) => `${action} *`),
    ]);
  });

  it('links the AWS page that says so next to every * resource in the source', () => {
    const source = readFileSync(path.resolve(__dirname, '..', '..', 'infra', 'policies.ts'), 'utf8');
    const lines = source.split('\n');
    const starLines = lines.flatMap((line, i) => (/Resource: '\*'/.test(line) ? [i] : []));

    expect(starLines).to.have.length(4);
    for (const i of starLines) {
      const context = lines.slice(Math.max(0, i - 12), i + 1).join('\n');
      expect(context, `line ${i + 1}: ${lines[i]}`).to.match(/https:\/\/(docs\.aws\.amazon\.com|repost\.aws)\//);
    }
    expect(source).to.include(XRAY_PAGE);
    expect(source).to.include('https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridgescheduler.html');
    expect(source).to.include('https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html');
    expect(source).to.include('https://docs.aws.amazon.com/step-functions/latest/dg/xray-iam.html');
  });
});

describe('monitorPolicy', () => {
  it('grants exactly the table, queue, schedule-read, log and trace actions on exact resources', () => {
    expect(grants(documents.monitorPolicy!)).to.have.members([
      `dynamodb:GetItem ${tableArn}`,
      `dynamodb:PutItem ${tableArn}`,
      `dynamodb:UpdateItem ${tableArn}`,
      `dynamodb:Query ${tableArn}`,
      `sqs:ReceiveMessage ${queueArn}`,
      `sqs:DeleteMessage ${queueArn}`,
      `sqs:GetQueueAttributes ${queueArn}`,
      'scheduler:GetSchedule arn:aws:scheduler:us-east-1:123456789012:schedule/*/*',
      'scheduler:GetScheduleGroup arn:aws:scheduler:us-east-1:123456789012:schedule-group/*',
      `logs:CreateLogStream ${logGroupArn}:*`,
      `logs:PutLogEvents ${logGroupArn}:*`,
      'xray:PutTraceSegments *',
      'xray:PutTelemetryRecords *',
    ]);
  });

  it('never writes to Scheduler when it reads the truth', () => {
    expect(grants(documents.monitorPolicy!).filter((g) => g.startsWith('scheduler:'))).to.deep.equal([
      'scheduler:GetSchedule arn:aws:scheduler:us-east-1:123456789012:schedule/*/*',
      'scheduler:GetScheduleGroup arn:aws:scheduler:us-east-1:123456789012:schedule-group/*',
    ]);
  });
});

describe('queuePolicy', () => {
  it('lets only EventBridge send, only for the observer rule (aws:SourceArn)', () => {
    const doc = documents.queuePolicy!;

    expect(doc.Statement).to.have.length(1);
    expect(doc.Statement[0]).to.deep.equal({
      Sid: 'AllowObserverRuleOnly',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: queueArn,
      Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
    });
  });
});

describe('tlsOnlyBucketStatement', () => {
  it('denies every S3 request without TLS on the bucket and its objects', () => {
    const statement = tlsOnlyBucketStatement(bucketArn);

    expect(statement.Effect).to.equal('Deny');
    expect(statement.Principal).to.equal('*');
    expect(statement.Action).to.equal('s3:*');
    expect(list(statement.Resource)).to.have.members([bucketArn, `${bucketArn}/*`]);
    expect(statement.Condition).to.deep.equal({ Bool: { 'aws:SecureTransport': 'false' } });
  });
});

describe('trailBucketPolicy', () => {
  const doc = documents.trailBucketPolicy!;

  it('lets CloudTrail check the ACL and write under AWSLogs/<account>/, only for this trail', () => {
    expect(grants(doc)).to.have.members([
      `s3:GetBucketAcl ${bucketArn}`,
      `s3:PutObject ${bucketArn}/AWSLogs/123456789012/*`,
    ]);
    for (const statement of allows(doc)) {
      expect(statement.Principal).to.deep.equal({ Service: 'cloudtrail.amazonaws.com' });
      expect(statement.Condition?.StringEquals?.['aws:SourceArn']).to.equal(trailArn);
    }
  });

  it('requires bucket-owner-full-control on writes, as CloudTrail sends it', () => {
    expect(statementFor(doc, 's3:PutObject').Condition?.StringEquals?.['s3:x-amz-acl']).to.equal('bucket-owner-full-control');
  });

  it('includes the TLS-only deny', () => {
    expect(doc.Statement).to.deep.include(tlsOnlyBucketStatement(bucketArn));
  });
});

describe('demoSeedPolicy', () => {
  const doc = documents.demoSeedPolicy!;
  const demoGroupArn = 'arn:aws:scheduler:us-east-1:123456789012:schedule-group/scheduler-observer-demo';
  const demoSchedules = 'arn:aws:scheduler:us-east-1:123456789012:schedule/scheduler-observer-demo/*';

  it('allows no Scheduler write outside the demo group', () => {
    const schedulerGrants = grants(doc).filter((g) => g.startsWith('scheduler:'));

    expect(schedulerGrants).to.have.members([
      `scheduler:CreateScheduleGroup ${demoGroupArn}`,
      `scheduler:CreateSchedule ${demoSchedules}`,
      `scheduler:UpdateSchedule ${demoSchedules}`,
      `scheduler:DeleteSchedule ${demoSchedules}`,
      `scheduler:GetSchedule ${demoSchedules}`,
    ]);
    for (const grant of schedulerGrants) expect(grant).to.match(/(schedule-group|schedule)\/scheduler-observer-demo(\/\*)?$/);
  });

  it('passes only the demo role, only to Scheduler', () => {
    const statement = statementFor(doc, 'iam:PassRole');

    expect(statement.Resource).to.equal(schedulerRoleArn);
    expect(statement.Condition).to.deep.equal({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
  });
});

describe('assume-role policies', () => {
  it('lets only Lambda assume a function role', () => {
    expect(documents.lambdaAssumeRolePolicy!.Statement).to.deep.equal([
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
  });

  it('lets Scheduler assume the demo role only for schedules of this account (aws:SourceAccount)', () => {
    expect(documents.schedulerAssumeRolePolicy!.Statement).to.deep.equal([
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
    ]);
  });

  it('lets the demo role send only to its queue', () => {
    expect(grants(documents.queueSendPolicy!)).to.deep.equal([`sqs:SendMessage ${queueArn}`]);
  });
});

const STATE_MACHINE_LOG_DELIVERY = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];
const SCHEDULER_READS = ['scheduler:ListScheduleGroups', 'scheduler:ListSchedules', 'scheduler:GetSchedule'];
const isSchedulerWrite = (action: string) => action.startsWith('scheduler:') && !SCHEDULER_READS.includes(action);
const actionsOf = (doc: PolicyDocument) => allows(doc).flatMap((s) => list(s.Action));

describe('reconciler function policies', () => {
  const readSchedules = [
    'scheduler:ListScheduleGroups *',
    'scheduler:ListSchedules *',
    'scheduler:GetSchedule arn:aws:scheduler:us-east-1:123456789012:schedule/*/*',
  ];
  const telemetry = [`logs:CreateLogStream ${logGroupArn}:*`, `logs:PutLogEvents ${logGroupArn}:*`, 'xray:PutTraceSegments *', 'xray:PutTelemetryRecords *'];

  const cases: { reason: string; name: string; expected: string[] }[] = [
    {
      reason: 'scan lists and reads the real schedules, reads the store and writes (and reads back) page chunks under runs/',
      name: 'reconcilerScanPolicy',
      expected: [
        ...readSchedules,
        ...['Query', 'GetItem'].map((a) => `dynamodb:${a} ${tableArn}`),
        `s3:GetObject ${reportBucketArn}/runs/*`,
        `s3:PutObject ${reportBucketArn}/runs/*`,
        ...telemetry,
      ],
    },
    {
      reason: 'report reads and lists runs/, writes reports/, reads the change log and the drift it names (never writes the store) and touches no Scheduler API',
      name: 'reconcilerReportPolicy',
      expected: [`s3:GetObject ${reportBucketArn}/runs/*`, `s3:ListBucket ${reportBucketArn}`, `s3:PutObject ${reportBucketArn}/reports/*`, `dynamodb:Query ${tableArn}`, `dynamodb:BatchGetItem ${tableArn}`, ...telemetry],
    },
    {
      reason: 'repair reads and lists runs/, records its outcomes there, and writes the store, and still calls no Scheduler API',
      name: 'reconcilerRepairPolicy',
      expected: [`s3:GetObject ${reportBucketArn}/runs/*`, `s3:PutObject ${reportBucketArn}/runs/*`, `s3:ListBucket ${reportBucketArn}`, ...['GetItem', 'PutItem', 'UpdateItem'].map((a) => `dynamodb:${a} ${tableArn}`), ...telemetry],
    },
  ];
  for (const { reason, name, expected } of cases) {
    it(`${name} grants exactly its actions on exact resources: ${reason}`, () => {
      expect(grants(documents[name]!)).to.have.members(expected);
    });
  }

  it('holds no Scheduler write action in any reconciler policy', () => {
    for (const name of ['reconcilerScanPolicy', 'reconcilerReportPolicy', 'reconcilerRepairPolicy', 'stateMachinePolicy', 'timerPolicy']) {
      const schedulerActions = actionsOf(documents[name]!).filter((a) => a.startsWith('scheduler:'));
      expect(schedulerActions, name).to.satisfy((actions: string[]) => actions.every((a) => SCHEDULER_READS.includes(a)));
      expect(actionsOf(documents[name]!).filter(isSchedulerWrite), name).to.deep.equal([]);
    }
  });

  it('lets the report and repair functions list the bucket only under runs/ (s3:prefix)', () => {
    for (const name of ['reconcilerReportPolicy', 'reconcilerRepairPolicy']) {
      expect(statementFor(documents[name]!, 's3:ListBucket').Condition, name).to.deep.equal({ StringLike: { 's3:prefix': 'runs/*' } });
    }
  });

  it('lets only the report function write under reports/', () => {
    const reportWriters = Object.entries(documents).filter(([, doc]) => grants(doc).some((g) => g.includes('/reports/')));
    expect(reportWriters.map(([name]) => name)).to.deep.equal(['reconcilerReportPolicy']);
  });
});

describe('stateMachinePolicy', () => {
  const doc = documents.stateMachinePolicy!;

  it('invokes exactly the three functions and their versions and publishes to the topic (its key policy grants the key)', () => {
    expect(grants(doc).filter((g) => !g.endsWith(' *'))).to.have.members([
      ...functionArns.flatMap((arn) => [`lambda:InvokeFunction ${arn}`, `lambda:InvokeFunction ${arn}:*`]),
      `sns:Publish ${topicArn}`,
    ]);
  });

  it('has the log delivery and X-Ray actions that Step Functions documents with resource *', () => {
    expect(grants(doc).filter((g) => g.endsWith(' *'))).to.have.members([
      ...STATE_MACHINE_LOG_DELIVERY.map((a) => `${a} *`),
      ...['PutTraceSegments', 'PutTelemetryRecords', 'GetSamplingRules', 'GetSamplingTargets'].map((a) => `xray:${a} *`),
    ]);
  });
});

describe('timerPolicy and the reconciler trust policies', () => {
  it('lets the timer start executions of exactly one state machine', () => {
    expect(documents.timerPolicy!.Statement).to.deep.equal([
      { Sid: 'StartReconcilerRun', Effect: 'Allow', Action: 'states:StartExecution', Resource: stateMachineArn },
    ]);
  });

  it('lets Step Functions assume the state machine role only for this account (aws:SourceAccount)', () => {
    expect(documents.stateMachineAssumeRolePolicy!.Statement).to.deep.equal([
      {
        Effect: 'Allow',
        Principal: { Service: 'states.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
    ]);
  });
});

describe('reportBucketPolicy', () => {
  it('is the TLS-only deny and grants nothing', () => {
    expect(documents.reportBucketPolicy!.Statement).to.deep.equal([tlsOnlyBucketStatement(reportBucketArn)]);
  });
});

describe('alertKeyPolicy', () => {
  const doc = documents.alertKeyPolicy!;
  const principalOf = (s: Statement) => JSON.stringify(s.Principal);

  it('keeps KMS’s default root statement so that IAM policies govern the key (the only kms:*)', () => {
    const root = doc.Statement.filter(isKeyRootStatement);

    expect(root).to.deep.equal([
      { Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
    ]);
  });

  it('lets CloudWatch alarms and the state machine role encrypt for the topic, and nothing else', () => {
    const users = doc.Statement.filter((s) => !isKeyRootStatement(s));

    expect(users.map(principalOf)).to.have.members([
      JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }),
      JSON.stringify({ AWS: stateMachineRoleArn }),
    ]);
    for (const statement of users) {
      expect(statement.Effect).to.equal('Allow');
      expect(list(statement.Action)).to.have.members(['kms:GenerateDataKey', 'kms:Decrypt']);
    }
  });
});

describe('the state store key (tableKmsKeyArn)', () => {
  const tableKmsKeyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const viaDynamoDb = { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } };
  const cases = [
    { reason: 'the monitor writes the table', doc: () => monitorPolicy({ tableArn, queueArn, logGroupArn, schedulerScheduleArnPattern: 'x', schedulerGroupArnPattern: 'y', region: 'us-east-1', partition: 'aws', accountId: '123456789012', tableKmsKeyArn }), actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'] },
    { reason: 'the scan reads the table', doc: () => reconcilerScanPolicy({ ...reconcilerArgs, tableKmsKeyArn }), actions: ['kms:Decrypt', 'kms:DescribeKey'] },
    { reason: 'the report re-reads the table', doc: () => reconcilerReportPolicy({ ...reconcilerArgs, tableKmsKeyArn }), actions: ['kms:Decrypt', 'kms:DescribeKey'] },
    { reason: 'the repair writes the table', doc: () => reconcilerRepairPolicy({ ...reconcilerArgs, tableKmsKeyArn }), actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'] },
  ];
  for (const c of cases) {
    it(`lets the role use the key only through DynamoDB when ${c.reason}`, () => {
      const kms = c.doc().Statement.filter((s) => list(s.Action).some((a) => a.startsWith('kms:')));
      expect(kms).to.have.length(1);
      expect(list(kms[0]!.Action)).to.have.members(c.actions);
      expect(kms[0]).to.deep.include({ Resource: tableKmsKeyArn, Condition: viaDynamoDb });
    });
  }

  it('grants no KMS use at all when the table uses the AWS owned key', () => {
    for (const name of ['monitorPolicy', 'reconcilerScanPolicy', 'reconcilerReportPolicy', 'reconcilerRepairPolicy']) {
      expect(grants(documents[name]!).filter((g) => g.startsWith('kms:')), name).to.deep.equal([]);
    }
  });
});

describe('schedule payload keys (scheduleKmsKeyArns)', () => {
  const keys = ['arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-1111-2222-3333-444444444444', 'arn:aws:kms:us-east-1:123456789012:key/bbbbbbbb-1111-2222-3333-444444444444'];
  const scoped = {
    StringEquals: { 'kms:ViaService': 'scheduler.us-east-1.amazonaws.com' },
    ArnLike: { 'kms:EncryptionContext:aws:scheduler:schedule:arn': 'arn:aws:scheduler:us-east-1:123456789012:schedule/*/*' },
  };
  const cases = [
    { reason: 'the monitor reads the truth', doc: () => monitorPolicy({ tableArn, queueArn, logGroupArn, schedulerScheduleArnPattern: 'x', schedulerGroupArnPattern: 'y', region: 'us-east-1', partition: 'aws', accountId: '123456789012', scheduleKmsKeyArns: keys }) },
    { reason: 'the reconciler scan confirms candidates', doc: () => reconcilerScanPolicy({ ...reconcilerArgs, scheduleKmsKeyArns: keys }) },
  ];
  for (const c of cases) {
    it(`lets ${c.reason.split(' ').slice(0, 3).join(' ')} decrypt only through Scheduler and only this account's schedules when ${c.reason}`, () => {
      const statement = c.doc().Statement.find((s) => s.Sid === 'DecryptSchedulePayloads');
      expect(statement).to.deep.equal({ Sid: 'DecryptSchedulePayloads', Effect: 'Allow', Action: 'kms:Decrypt', Resource: keys, Condition: scoped });
    });
  }

  it('grants no schedule key to the report or repair roles, which never call GetSchedule', () => {
    for (const doc of [reconcilerReportPolicy(reconcilerArgs), reconcilerRepairPolicy(reconcilerArgs)]) {
      expect(doc.Statement.find((s) => s.Sid === 'DecryptSchedulePayloads')).to.equal(undefined);
    }
  });

  it('grants none when no key is listed (schedules use the AWS owned key)', () => {
    expect(scheduleKeyStatements({ ...scope, scheduleKmsKeyArns: [] })).to.deep.equal([]);
    expect(scheduleKeyStatements(scope)).to.deep.equal([]);
  });
});

describe('heartbeatPolicy', () => {
  const args = {
    scheduleArn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/scheduler-observer-heartbeat-dev/heartbeat',
    scheduleRoleArn: 'arn:aws:iam::123456789012:role/heartbeat-invoke',
    tableArn,
    region: 'us-east-1',
    logGroupArn,
  };

  it('reads and updates its one schedule, passes only its role and only to Scheduler, and only reads the store', () => {
    expect(grants(heartbeatPolicy(args))).to.have.members([
      `scheduler:GetSchedule ${args.scheduleArn}`,
      `scheduler:UpdateSchedule ${args.scheduleArn}`,
      `iam:PassRole ${args.scheduleRoleArn}`,
      `dynamodb:GetItem ${tableArn}`,
      `logs:CreateLogStream ${logGroupArn}:*`,
      `logs:PutLogEvents ${logGroupArn}:*`,
      'xray:PutTraceSegments *',
      'xray:PutTelemetryRecords *',
    ]);
    expect(statementFor(heartbeatPolicy(args), 'iam:PassRole').Condition).to.deep.equal({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
  });

  it('lets the heartbeat schedule invoke the heartbeat function and nothing else', () => {
    expect(grants(invokeFunctionPolicy('arn:aws:lambda:us-east-1:123456789012:function:hb'))).to.deep.equal(['lambda:InvokeFunction arn:aws:lambda:us-east-1:123456789012:function:hb']);
  });
});
