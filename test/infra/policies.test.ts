import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import {
  demoSeedPolicy,
  lambdaAssumeRolePolicy,
  monitorPolicy,
  queuePolicy,
  queueSendPolicy,
  schedulerArn,
  schedulerAssumeRolePolicy,
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
  monitorPolicy: monitorPolicy({ tableArn, queueArn, logGroupArn, schedulerScheduleArnPattern: schedulerArn(scope, 'schedule/*/*') }),
  queuePolicy: queuePolicy({ queueArn, ruleArn }),
  trailBucketPolicy: trailBucketPolicy({ bucketArn, trailArn, accountId: scope.accountId }),
  demoSeedPolicy: demoSeedPolicy({ ...scope, groupName: 'scheduler-observer-demo', schedulerRoleArn, logGroupArn }),
  queueSendPolicy: queueSendPolicy(queueArn),
  lambdaAssumeRolePolicy: lambdaAssumeRolePolicy(),
  schedulerAssumeRolePolicy: schedulerAssumeRolePolicy(scope.accountId),
};

describe('IAM policy builders', () => {
  for (const [name, doc] of Object.entries(documents)) {
    it(`${name} allows no wildcard action and uses version 2012-10-17`, () => {
      expect(doc.Version).to.equal('2012-10-17');
      for (const statement of doc.Statement) expect(list(statement.Action)).not.to.include('*');
      for (const statement of allows(doc)) for (const action of list(statement.Action)) expect(action).not.to.include('*');
    });
  }

  it('allows a * resource only for the X-Ray write actions, which support no resource-level permissions', () => {
    // Documented in infra/policies.ts with a link to the service authorization page.
    const starGrants = Object.values(documents).flatMap(grants).filter((g) => g.endsWith(' *'));
    expect([...new Set(starGrants)]).to.have.members(['xray:PutTraceSegments *', 'xray:PutTelemetryRecords *']);
    const source = readFileSync(path.resolve(__dirname, '..', '..', 'infra', 'policies.ts'), 'utf8');
    expect(source.match(/^.*Resource: '\*'.*$/gm), 'one * resource in the source').to.have.length(1);
    expect(source).to.include(XRAY_PAGE);
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
      `sqs:ChangeMessageVisibility ${queueArn}`,
      'scheduler:GetSchedule arn:aws:scheduler:us-east-1:123456789012:schedule/*/*',
      `logs:CreateLogStream ${logGroupArn}:*`,
      `logs:PutLogEvents ${logGroupArn}:*`,
      'xray:PutTraceSegments *',
      'xray:PutTelemetryRecords *',
    ]);
  });

  it('never writes to Scheduler when it reads the truth', () => {
    expect(grants(documents.monitorPolicy!).filter((g) => g.startsWith('scheduler:'))).to.deep.equal([
      'scheduler:GetSchedule arn:aws:scheduler:us-east-1:123456789012:schedule/*/*',
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
