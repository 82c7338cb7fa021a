import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { InvalidEventError, parseSchedulerEvent } from '../../functions/core/events';
import type { SchedulerChange } from '../../functions/core/types';

type Json = Record<string, any>;

const FIXTURES = join(__dirname, '..', 'fixtures', 'cloudtrail');

/** A fresh copy of a documented record shape, so a case can mutate it. */
function fixture(name: string): Json {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Json;
}

function withDetail(name: string, change: (detail: Json) => void): Json {
  const event = fixture(name);
  change(event.detail);
  return event;
}

describe('parseSchedulerEvent', () => {
  describe('documented records', () => {
    const cases: { reason: string; fixture: string; expected: Omit<SchedulerChange, 'meta'> & Json; eventId: string }[] = [
      {
        reason: 'CreateSchedule without groupName lands in the default group',
        fixture: 'create-schedule',
        eventId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE33333',
        expected: {
          kind: 'createSchedule',
          groupName: 'default',
          scheduleName: 'nightly-report',
          scheduleArn: 'arn:aws:scheduler:us-east-1:111122223333:schedule/default/nightly-report',
        },
      },
      {
        reason: 'UpdateSchedule from the console names its group',
        fixture: 'update-schedule',
        eventId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE55555',
        expected: {
          kind: 'updateSchedule',
          groupName: 'billing',
          scheduleName: 'invoice-reminder',
          scheduleArn: 'arn:aws:scheduler:us-east-1:111122223333:schedule/billing/invoice-reminder',
        },
      },
      {
        reason: 'DeleteSchedule has no response elements',
        fixture: 'delete-schedule',
        eventId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE77777',
        expected: { kind: 'deleteSchedule', groupName: 'billing', scheduleName: 'invoice-reminder' },
      },
      {
        reason: 'CreateScheduleGroup carries the group name in name',
        fixture: 'create-schedule-group',
        eventId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE99999',
        expected: { kind: 'createGroup', groupName: 'billing' },
      },
      {
        reason: 'DeleteScheduleGroup carries the group name in name',
        fixture: 'delete-schedule-group',
        eventId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLEBBBBB',
        expected: { kind: 'deleteGroup', groupName: 'billing' },
      },
      {
        reason: 'a failed call changed nothing',
        fixture: 'create-schedule-failed',
        eventId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLEDDDDD',
        expected: { kind: 'ignored', reason: 'CreateSchedule failed with ConflictException' },
      },
    ];

    for (const c of cases) {
      it(`parses ${c.fixture} when ${c.reason}`, () => {
        // Prepare
        const event = fixture(c.fixture);

        // Act
        const change = parseSchedulerEvent(event);

        // Assess
        const { meta, ...rest } = change;
        expect(rest).to.deep.equal(c.expected);
        expect(meta).to.deep.equal({
          eventId: c.eventId,
          eventName: event.detail.eventName,
          eventTime: event.detail.eventTime,
          version: Date.parse(event.detail.eventTime),
          awsRegion: 'us-east-1',
          accountId: '111122223333',
          requestId: event.detail.requestID,
        });
      });
    }
  });

  describe('variants AWS may send', () => {
    const cases: { reason: string; event: () => Json; expected: Json }[] = [
      {
        reason: 'DeleteSchedule omits groupName (the default group)',
        event: () => withDetail('delete-schedule', (d) => delete d.requestParameters.groupName),
        expected: { kind: 'deleteSchedule', groupName: 'default', scheduleName: 'invoice-reminder' },
      },
      {
        reason: 'groupName is absent but the response ARN names the group',
        event: () => withDetail('update-schedule', (d) => delete d.requestParameters.groupName),
        expected: {
          kind: 'updateSchedule',
          groupName: 'billing',
          scheduleName: 'invoice-reminder',
          scheduleArn: 'arn:aws:scheduler:us-east-1:111122223333:schedule/billing/invoice-reminder',
        },
      },
      {
        reason: 'the request members are spelled as in the REST body (Name, GroupName)',
        event: () =>
          withDetail('update-schedule', (d) => {
            d.requestParameters = { Name: 'invoice-reminder', GroupName: 'billing' };
            d.responseElements = { ScheduleArn: 'arn:aws:scheduler:us-east-1:111122223333:schedule/billing/invoice-reminder' };
          }),
        expected: {
          kind: 'updateSchedule',
          groupName: 'billing',
          scheduleName: 'invoice-reminder',
          scheduleArn: 'arn:aws:scheduler:us-east-1:111122223333:schedule/billing/invoice-reminder',
        },
      },
      {
        reason: 'the record carries fields this parser has never heard of',
        event: () =>
          withDetail('delete-schedule', (d) => {
            d.eventVersion = '1.99';
            d.eventContext = { tagContext: {} };
            d.additionalEventData = { anything: true };
            d.requestParameters.futureMember = 'x';
          }),
        expected: { kind: 'deleteSchedule', groupName: 'billing', scheduleName: 'invoice-reminder' },
      },
      {
        reason: 'a failed call has a name the API rejects',
        event: () =>
          withDetail('create-schedule-failed', (d) => {
            d.errorCode = 'ValidationException';
            d.requestParameters.name = 'not a valid name!';
          }),
        expected: { kind: 'ignored', reason: 'CreateSchedule failed with ValidationException' },
      },
      {
        reason: 'a failed delete has no requestParameters at all',
        event: () =>
          withDetail('delete-schedule', (d) => {
            d.errorCode = 'AccessDenied';
            d.requestParameters = null;
          }),
        expected: { kind: 'ignored', reason: 'DeleteSchedule failed with AccessDenied' },
      },
      {
        reason: 'errorCode is null, as some producers write it for a call that succeeded',
        event: () => withDetail('delete-schedule', (d) => (d.errorCode = null)),
        expected: { kind: 'deleteSchedule', groupName: 'billing', scheduleName: 'invoice-reminder' },
      },
      {
        reason: 'the eventTime is a leap day',
        event: () => withDetail('delete-schedule', (d) => (d.eventTime = '2028-02-29T23:59:59Z')),
        expected: { kind: 'deleteSchedule', groupName: 'billing', scheduleName: 'invoice-reminder' },
      },
      {
        reason: 'the eventTime lies far in the future (the monitor, not the parser, decides whether to trust it)',
        event: () => withDetail('delete-schedule', (d) => (d.eventTime = '2099-01-01T00:00:00Z')),
        expected: { kind: 'deleteSchedule', groupName: 'billing', scheduleName: 'invoice-reminder' },
      },
      {
        reason: 'TagResource is another call of the same source',
        event: () =>
          withDetail('create-schedule-group', (d) => {
            d.eventName = 'TagResource';
            d.requestParameters = { resourceArn: 'arn:aws:scheduler:us-east-1:111122223333:schedule-group/billing' };
            d.responseElements = null;
          }),
        expected: { kind: 'ignored', reason: 'TagResource does not create or delete schedules or groups' },
      },
      {
        reason: 'the eventName is the name of an Object.prototype member',
        event: () => withDetail('delete-schedule', (d) => (d.eventName = 'toString')),
        expected: { kind: 'ignored', reason: 'toString does not create or delete schedules or groups' },
      },
      {
        reason: 'names use every character the API allows, at the maximum length',
        event: () =>
          withDetail('delete-schedule', (d) => {
            d.requestParameters.name = `a-b_c.D9${'x'.repeat(56)}`;
            d.requestParameters.groupName = 'G'.repeat(64);
          }),
        expected: { kind: 'deleteSchedule', groupName: 'G'.repeat(64), scheduleName: `a-b_c.D9${'x'.repeat(56)}` },
      },
    ];

    for (const c of cases) {
      it(`returns ${c.expected.kind} when ${c.reason}`, () => {
        // Prepare
        const event = c.event();

        // Act
        const { meta: _meta, ...change } = parseSchedulerEvent(event);

        // Assess
        expect(change).to.deep.equal(c.expected);
      });
    }

    it('uses the envelope account and region when the record lacks recipientAccountId and awsRegion', () => {
      // Prepare
      const event = withDetail('delete-schedule', (d) => {
        delete d.recipientAccountId;
        delete d.awsRegion;
      });

      // Act
      const { meta } = parseSchedulerEvent(event);

      // Assess
      expect(meta.accountId).to.equal('111122223333');
      expect(meta.awsRegion).to.equal('us-east-1');
    });
  });

  describe('malformed input', () => {
    const cases: { reason: string; event: () => unknown; field: string }[] = [
      { reason: 'the input is not an object', event: () => 'not an event', field: 'event' },
      { reason: 'the input is null', event: () => null, field: 'event' },
      { reason: 'the input is an SQS body string', event: () => JSON.stringify(fixture('delete-schedule')), field: 'event' },
      {
        reason: 'the source is another service',
        event: () => ({ ...fixture('delete-schedule'), source: 'aws.events' }),
        field: 'source',
      },
      {
        reason: 'the detail-type is not an API call',
        event: () => ({ ...fixture('delete-schedule'), 'detail-type': 'AWS Service Event via CloudTrail' }),
        field: 'detail-type',
      },
      {
        reason: 'there is no detail',
        event: () => {
          const e = fixture('delete-schedule');
          delete e.detail;
          return e;
        },
        field: 'detail',
      },
      {
        reason: 'the eventSource is another service',
        event: () => withDetail('delete-schedule', (d) => (d.eventSource = 'events.amazonaws.com')),
        field: 'detail.eventSource',
      },
      {
        reason: 'the eventName is missing',
        event: () => withDetail('delete-schedule', (d) => delete d.eventName),
        field: 'detail.eventName',
      },
      {
        reason: 'the eventID is missing',
        event: () => withDetail('delete-schedule', (d) => delete d.eventID),
        field: 'detail.eventID',
      },
      {
        reason: 'the eventID is empty',
        event: () => withDetail('delete-schedule', (d) => (d.eventID = '')),
        field: 'detail.eventID',
      },
      {
        reason: 'the eventID is a number',
        event: () => withDetail('delete-schedule', (d) => (d.eventID = 42)),
        field: 'detail.eventID',
      },
      {
        reason: 'the eventTime is missing',
        event: () => withDetail('delete-schedule', (d) => delete d.eventTime),
        field: 'detail.eventTime',
      },
      {
        reason: 'the eventTime has no time zone',
        event: () => withDetail('delete-schedule', (d) => (d.eventTime = '2026-03-08T17:03:19')),
        field: 'detail.eventTime',
      },
      {
        reason: 'the eventTime is not a real date',
        event: () => withDetail('delete-schedule', (d) => (d.eventTime = '2026-13-45T25:61:61Z')),
        field: 'detail.eventTime',
      },
      {
        reason: 'the eventTime is a day February does not have (Date.parse would roll it over to March)',
        event: () => withDetail('delete-schedule', (d) => (d.eventTime = '2026-02-30T00:00:00Z')),
        field: 'detail.eventTime',
      },
      {
        reason: 'the eventTime is 24:00:00',
        event: () => withDetail('delete-schedule', (d) => (d.eventTime = '2026-03-08T24:00:00Z')),
        field: 'detail.eventTime',
      },
      {
        reason: 'the eventTime is before the Unix epoch',
        event: () => withDetail('delete-schedule', (d) => (d.eventTime = '0001-01-01T00:00:00Z')),
        field: 'detail.eventTime',
      },
      {
        reason: 'the eventTime is epoch milliseconds',
        event: () => withDetail('delete-schedule', (d) => (d.eventTime = 1772989399000)),
        field: 'detail.eventTime',
      },
      {
        reason: 'the account ID is not 12 digits',
        event: () => withDetail('delete-schedule', (d) => (d.recipientAccountId = '1111')),
        field: 'detail.recipientAccountId',
      },
      {
        reason: 'a schedule call has no requestParameters',
        event: () => withDetail('create-schedule', (d) => (d.requestParameters = null)),
        field: 'detail.requestParameters',
      },
      {
        reason: 'requestParameters is not an object',
        event: () => withDetail('create-schedule', (d) => (d.requestParameters = 'name=x')),
        field: 'detail.requestParameters',
      },
      {
        reason: 'a schedule call has no name',
        event: () => withDetail('update-schedule', (d) => delete d.requestParameters.name),
        field: 'detail.requestParameters.name',
      },
      {
        reason: 'the schedule name is empty',
        event: () => withDetail('delete-schedule', (d) => (d.requestParameters.name = '')),
        field: 'detail.requestParameters.name',
      },
      {
        reason: 'the schedule name is 65 characters long',
        event: () => withDetail('delete-schedule', (d) => (d.requestParameters.name = 'n'.repeat(65))),
        field: 'detail.requestParameters.name',
      },
      {
        reason: 'the schedule name has a character outside the pattern',
        event: () => withDetail('delete-schedule', (d) => (d.requestParameters.name = 'nightly/report')),
        field: 'detail.requestParameters.name',
      },
      {
        reason: 'the group name has a space',
        event: () => withDetail('delete-schedule', (d) => (d.requestParameters.groupName = 'my group')),
        field: 'detail.requestParameters.groupName',
      },
      {
        reason: 'the group name is empty',
        event: () => withDetail('delete-schedule', (d) => (d.requestParameters.groupName = '')),
        field: 'detail.requestParameters.groupName',
      },
      {
        reason: 'the group name is not a string',
        event: () => withDetail('delete-schedule', (d) => (d.requestParameters.groupName = ['billing'])),
        field: 'detail.requestParameters.groupName',
      },
      {
        reason: 'a group call has no name',
        event: () => withDetail('delete-schedule-group', (d) => (d.requestParameters = {})),
        field: 'detail.requestParameters.name',
      },
      {
        reason: 'a group name is too long',
        event: () => withDetail('create-schedule-group', (d) => (d.requestParameters.name = 'g'.repeat(65))),
        field: 'detail.requestParameters.name',
      },
      {
        reason: 'the scheduleArn in the response is not a string',
        event: () => withDetail('create-schedule', (d) => (d.responseElements.scheduleArn = 7)),
        field: 'detail.responseElements.scheduleArn',
      },
      {
        reason: 'errorCode is not a string',
        event: () => withDetail('create-schedule-failed', (d) => (d.errorCode = { code: 'X' })),
        field: 'detail.errorCode',
      },
    ];

    for (const c of cases) {
      it(`throws InvalidEventError naming ${c.field} when ${c.reason}`, () => {
        // Prepare
        const event = c.event();

        // Act
        const act = () => parseSchedulerEvent(event);

        // Assess
        expect(act).to.throw(InvalidEventError).that.satisfies((error: InvalidEventError) => {
          expect(error.name).to.equal('InvalidEventError');
          expect(error.field).to.equal(c.field);
          expect(error.message).to.contain(c.field);
          return true;
        });
      });
    }
  });
});
