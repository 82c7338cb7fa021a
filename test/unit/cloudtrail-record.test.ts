import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseSchedulerEvent } from '../../functions/core/events';
import {
  toCloudTrailRequestParameters,
  toCloudTrailResponseElements,
  toCloudTrailTime,
  toEventBridgeEvent,
  type ApiCallRecordInput,
  type SchedulerWriteOperation,
} from '../../local/cloudtrail-record';

type Json = Record<string, any>;

function fixture(name: string): Json {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'cloudtrail', `${name}.json`), 'utf8')) as Json;
}

/** The key tree of a JSON value: same keys at every depth, values ignored (arrays by their first item). */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])];
  if (value === null || typeof value !== 'object') return value === null ? null : typeof value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, shape((value as Json)[key])]));
}

/** What the local Scheduler model receives for each documented call: the REST request and response. */
const CALLS: {
  reason: string;
  fixture: string;
  operation: SchedulerWriteOperation;
  uriName: string;
  body: Json | undefined;
  output: Json | undefined;
  error?: { code: string; message: string };
  fromConsole?: boolean;
}[] = [
  {
    reason: 'a CLI call creates a schedule in the default group',
    fixture: 'create-schedule',
    operation: 'CreateSchedule',
    uriName: 'nightly-report',
    body: {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: 'arn:aws:lambda:us-east-1:111122223333:function:report',
        RoleArn: 'arn:aws:iam::111122223333:role/scheduler-invoke-report',
        Input: '{"kind":"nightly"}',
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 3 },
      },
      State: 'ENABLED',
      ClientToken: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE00001',
      Description: undefined,
    },
    output: { ScheduleArn: 'arn:aws:scheduler:us-east-1:111122223333:schedule/default/nightly-report' },
  },
  {
    reason: 'a console call updates a schedule in a named group',
    fixture: 'update-schedule',
    operation: 'UpdateSchedule',
    uriName: 'invoice-reminder',
    fromConsole: true,
    body: {
      GroupName: 'billing',
      ScheduleExpression: 'rate(15 minutes)',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 5 },
      Target: {
        Arn: 'arn:aws:sqs:us-east-1:111122223333:invoice-reminders',
        RoleArn: 'arn:aws:iam::111122223333:role/scheduler-send-reminders',
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:111122223333:invoice-reminders-dlq' },
      },
      State: 'DISABLED',
      Description: 'Paused during migration',
      ActionAfterCompletion: 'NONE',
      ClientToken: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE00002',
    },
    output: { ScheduleArn: 'arn:aws:scheduler:us-east-1:111122223333:schedule/billing/invoice-reminder' },
  },
  {
    reason: 'DeleteSchedule sends groupName and clientToken in the query string',
    fixture: 'delete-schedule',
    operation: 'DeleteSchedule',
    uriName: 'invoice-reminder',
    body: { groupName: 'billing', clientToken: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE00003' },
    output: {},
  },
  {
    reason: 'a group is created',
    fixture: 'create-schedule-group',
    operation: 'CreateScheduleGroup',
    uriName: 'billing',
    body: { ClientToken: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE00004' },
    output: { ScheduleGroupArn: 'arn:aws:scheduler:us-east-1:111122223333:schedule-group/billing' },
  },
  {
    reason: 'DeleteScheduleGroup sends clientToken in the query string',
    fixture: 'delete-schedule-group',
    operation: 'DeleteScheduleGroup',
    uriName: 'billing',
    body: { clientToken: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE00005' },
    output: {},
  },
  {
    reason: 'the call fails with ConflictException',
    fixture: 'create-schedule-failed',
    operation: 'CreateSchedule',
    uriName: 'nightly-report',
    body: {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: 'arn:aws:lambda:us-east-1:111122223333:function:report',
        RoleArn: 'arn:aws:iam::111122223333:role/scheduler-invoke-report',
      },
      ClientToken: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE00006',
    },
    output: undefined,
    error: { code: 'ConflictException', message: 'Schedule nightly-report already exists.' },
  },
];

function build(call: (typeof CALLS)[number], eventTime: Date): ReturnType<typeof toEventBridgeEvent> {
  const input: ApiCallRecordInput = {
    eventName: call.operation,
    eventTime,
    region: 'us-east-1',
    accountId: '111122223333',
    requestParameters: toCloudTrailRequestParameters(call.operation, call.uriName, call.body),
    responseElements: toCloudTrailResponseElements(call.output),
    ...(call.error ? { errorCode: call.error.code, errorMessage: call.error.message } : {}),
    ...(call.fromConsole ? { fromConsole: true } : {}),
  };
  return toEventBridgeEvent(input);
}

describe('toCloudTrailRequestParameters', () => {
  for (const call of CALLS) {
    it(`records the request as the documented fixture does when ${call.reason}`, () => {
      // Prepare
      const expected = fixture(call.fixture).detail.requestParameters;

      // Act
      const recorded = toCloudTrailRequestParameters(call.operation, call.uriName, call.body);

      // Assess
      expect(recorded).to.deep.equal(expected);
    });
  }

  it('keys the tag operations by resourceArn when the URI carries an ARN', () => {
    // Prepare
    const arn = 'arn:aws:scheduler:us-east-1:111122223333:schedule-group/billing';

    // Act
    const recorded = toCloudTrailRequestParameters('TagResource', arn, { Tags: [{ Key: 'team', Value: 'billing' }] });

    // Assess
    expect(recorded).to.have.property('resourceArn', arn);
    expect(recorded).to.not.have.property('name');
  });
});

describe('toCloudTrailResponseElements', () => {
  it('returns null when the response is empty', () => {
    // Prepare, Act
    const recorded = toCloudTrailResponseElements({});

    // Assess
    expect(recorded).to.equal(null);
  });
});

describe('toCloudTrailTime', () => {
  it('drops the milliseconds when the clock has them', () => {
    // Prepare
    const date = new Date('2026-03-07T00:51:07.999Z');

    // Act
    const time = toCloudTrailTime(date);

    // Assess
    expect(time).to.equal('2026-03-07T00:51:07Z');
  });
});

describe('toEventBridgeEvent', () => {
  for (const call of CALLS) {
    it(`builds the documented key set when ${call.reason}`, () => {
      // Prepare
      const documented = fixture(call.fixture);

      // Act
      const built = build(call, new Date(documented.detail.eventTime));

      // Assess
      expect(shape(built)).to.deep.equal(shape(documented));
      expect(Object.keys(built.detail)).to.deep.equal(Object.keys(documented.detail));
    });

    it(`parses back to the fixture's change when ${call.reason}`, () => {
      // Prepare
      const documented = fixture(call.fixture);
      const built = build(call, new Date(documented.detail.eventTime));

      // Act
      const { meta: builtMeta, ...builtChange } = parseSchedulerEvent(built);
      const { meta: documentedMeta, ...documentedChange } = parseSchedulerEvent(documented);

      // Assess
      expect(builtChange).to.deep.equal(documentedChange);
      expect(builtMeta.eventTime).to.equal(documentedMeta.eventTime);
      expect(builtMeta.version).to.equal(documentedMeta.version);
      expect(builtMeta.accountId).to.equal(documentedMeta.accountId);
    });
  }

  it('stamps eventTime and the envelope time to the whole second when the call has milliseconds', () => {
    // Prepare
    const call = CALLS[0]!;

    // Act
    const built = build(call, new Date('2026-03-07T00:51:07.640Z'));

    // Assess
    expect(built.detail.eventTime).to.equal('2026-03-07T00:51:07Z');
    expect(built.time).to.equal('2026-03-07T00:51:07Z');
    expect(built.resources).to.deep.equal([]);
  });

  it('draws fresh UUIDs for eventID and requestID when none are given', () => {
    // Prepare
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

    // Act
    const [first, second] = [build(CALLS[2]!, new Date()), build(CALLS[2]!, new Date())];

    // Assess
    expect(first.detail.eventID).to.match(uuid);
    expect(first.detail.requestID).to.match(uuid);
    expect(first.id).to.match(uuid);
    expect(first.detail.eventID).to.not.equal(second.detail.eventID);
  });

  it('keeps the given eventID and requestID when the caller supplies them', () => {
    // Prepare
    const input: ApiCallRecordInput = {
      eventName: 'DeleteScheduleGroup',
      eventTime: new Date(),
      region: 'eu-west-1',
      accountId: '444455556666',
      requestParameters: { name: 'g' },
      responseElements: null,
      eventId: 'event-1',
      requestId: 'request-1',
    };

    // Act
    const built = toEventBridgeEvent(input);

    // Assess
    expect(built.detail).to.include({ eventID: 'event-1', requestID: 'request-1', recipientAccountId: '444455556666' });
    expect(built).to.include({ account: '444455556666', region: 'eu-west-1' });
  });

  it('leaves errorCode and errorMessage out when the call succeeds', () => {
    // Prepare, Act
    const built = build(CALLS[0]!, new Date());

    // Assess
    expect(built.detail).to.not.have.any.keys('errorCode', 'errorMessage');
  });
});
