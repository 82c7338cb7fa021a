import { expect } from 'chai';
import { SCHEDULER_EVENT_PATTERN } from '../../infra/event-pattern';
import {
  type BusEvent,
  type EventPattern,
  EventBusValidationError,
  InvalidEventPatternError,
  LocalEventBus,
  matchesEventPattern,
  sqsTarget,
  validateEventPattern,
} from '../../local/eventbridge';
import { LocalClock, LocalQueue } from '../../local/sqs';

/**
 * A Scheduler CreateSchedule call as CloudTrail puts it on the default bus: the EventBridge envelope
 * ("AWS API Call via CloudTrail", source aws.scheduler) around the CloudTrail record, shape as in
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-scheduler.html and
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html.
 */
function schedulerApiCall(overrides: { source?: string; detailType?: string; detail?: Record<string, unknown> } = {}): BusEvent {
  return {
    version: '0',
    id: '6f8c2a3e-1b2c-4d5e-8f90-a1b2c3d4e5f6',
    'detail-type': overrides.detailType ?? 'AWS API Call via CloudTrail',
    source: overrides.source ?? 'aws.scheduler',
    account: '123456789012',
    time: '2025-01-01T12:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: { type: 'AssumedRole', principalId: 'AROAEXAMPLE:alice', accountId: '123456789012' },
      eventTime: '2025-01-01T12:00:00Z',
      eventSource: 'scheduler.amazonaws.com',
      eventName: 'CreateSchedule',
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.7',
      userAgent: 'aws-cli/2.15.0',
      requestParameters: { name: 'nightly', groupName: 'default', scheduleExpression: 'cron(0 2 * * ? *)' },
      responseElements: { scheduleArn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly' },
      requestID: 'a1b2c3d4-0000-4000-8000-000000000001',
      eventID: 'a1b2c3d4-0000-4000-8000-000000000002',
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: '123456789012',
      eventCategory: 'Management',
      ...overrides.detail,
    },
  };
}

describe('SCHEDULER_EVENT_PATTERN (infra/event-pattern.ts) through matchesEventPattern', () => {
  const cases: Array<{ reason: string; event: BusEvent; expected: boolean }> = [
    { reason: 'a CreateSchedule write call is what the observer exists for', event: schedulerApiCall(), expected: true },
    ...['UpdateSchedule', 'DeleteSchedule', 'CreateScheduleGroup', 'DeleteScheduleGroup'].map((eventName) => ({
      reason: `${eventName} changes what exists`,
      event: schedulerApiCall({ detail: { eventName } }),
      expected: true,
    })),
    {
      reason: 'another source (an EC2 API call) is not the Scheduler',
      event: schedulerApiCall({ source: 'aws.ec2', detail: { eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' } }),
      expected: false,
    },
    {
      reason: 'another source with a Scheduler-looking detail is still rejected on source',
      event: schedulerApiCall({ source: 'aws.events' }),
      expected: false,
    },
    {
      reason: 'another detail-type (a console sign-in) is not an API call',
      event: schedulerApiCall({ detailType: 'AWS Console Sign In via CloudTrail' }),
      expected: false,
    },
    {
      reason: 'another eventSource inside detail is not the Scheduler API',
      event: schedulerApiCall({ detail: { eventSource: 'events.amazonaws.com' } }),
      expected: false,
    },
    {
      reason: 'TagResource changes no schedule',
      event: schedulerApiCall({ detail: { eventName: 'TagResource' } }),
      expected: false,
    },
    {
      reason: 'a read-only GetSchedule call is not observed',
      event: schedulerApiCall({ detail: { eventName: 'GetSchedule', readOnly: true } }),
      expected: false,
    },
    {
      reason: 'a read-only ListSchedules call is not observed',
      event: schedulerApiCall({ detail: { eventName: 'ListSchedules', readOnly: true } }),
      expected: false,
    },
    {
      reason: 'event names match case-sensitively',
      event: schedulerApiCall({ detail: { eventName: 'createschedule' } }),
      expected: false,
    },
    {
      reason: 'an event without detail.eventName cannot match a pattern that names it',
      event: schedulerApiCall({ detail: { eventName: undefined } }),
      expected: false,
    },
  ];
  for (const c of cases) {
    it(`returns ${c.expected} when ${c.reason}`, () => {
      expect(matchesEventPattern(SCHEDULER_EVENT_PATTERN, c.event)).to.equal(c.expected);
    });
  }

  it('accepts the deployed pattern as valid', () => {
    expect(() => validateEventPattern(SCHEDULER_EVENT_PATTERN)).not.to.throw();
  });
});

describe('matchesEventPattern', () => {
  const cases: Array<{ reason: string; pattern: EventPattern; event: Record<string, unknown>; expected: boolean }> = [
    // values, arrays, nesting, AND/OR
    { reason: 'a listed value equals the field', pattern: { a: ['x', 'y'] }, event: { a: 'y' }, expected: true },
    { reason: 'no listed value equals the field', pattern: { a: ['x', 'y'] }, event: { a: 'z' }, expected: false },
    { reason: 'any element of an array field is listed', pattern: { a: ['x'] }, event: { a: ['w', 'x'] }, expected: true },
    { reason: 'no element of an array field is listed', pattern: { a: ['x'] }, event: { a: ['w', 'v'] }, expected: false },
    { reason: 'all named fields must match (AND)', pattern: { a: ['x'], b: ['y'] }, event: { a: 'x', b: 'n' }, expected: false },
    { reason: 'fields the pattern does not name are ignored', pattern: { a: ['x'] }, event: { a: 'x', z: 1 }, expected: true },
    { reason: 'a nested object recurses', pattern: { d: { e: { f: ['x'] } } }, event: { d: { e: { f: 'x' } } }, expected: true },
    { reason: 'a nested field is missing', pattern: { d: { e: ['x'] } }, event: { d: {} }, expected: false },
    { reason: 'a nested pattern meets a scalar', pattern: { d: { e: ['x'] } }, event: { d: 'x' }, expected: false },
    { reason: 'one element of an array of objects matches the sub-pattern', pattern: { d: { e: ['x'] } }, event: { d: [{ e: 'y' }, { e: 'x' }] }, expected: true },
    { reason: 'numbers match numerically', pattern: { n: [300] }, event: { n: 3e2 }, expected: true },
    { reason: 'a number does not equal its string form', pattern: { n: [300] }, event: { n: '300' }, expected: false },
    { reason: 'null matches null', pattern: { a: [null] }, event: { a: null }, expected: true },
    { reason: 'null does not match a missing field', pattern: { a: [null] }, event: {}, expected: false },
    { reason: 'an empty string matches an empty string', pattern: { a: [''] }, event: { a: '' }, expected: true },
    { reason: 'booleans match booleans', pattern: { a: [false] }, event: { a: false }, expected: true },
    { reason: 'an object value is not a leaf', pattern: { a: ['x'] }, event: { a: { b: 'x' } }, expected: false },
    // prefix / suffix
    { reason: 'prefix: the string starts with it', pattern: { r: [{ prefix: 'us-' }] }, event: { r: 'us-east-1' }, expected: true },
    { reason: 'prefix: the string does not start with it', pattern: { r: [{ prefix: 'us-' }] }, event: { r: 'eu-west-1' }, expected: false },
    { reason: 'prefix: numbers never match', pattern: { r: [{ prefix: '1' }] }, event: { r: 12 }, expected: false },
    { reason: 'prefix with equals-ignore-case ignores case', pattern: { s: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }, event: { s: 'eventbridge' }, expected: true },
    { reason: 'suffix: the string ends with it', pattern: { f: [{ suffix: '.png' }] }, event: { f: 'a.png' }, expected: true },
    { reason: 'suffix is case-sensitive by default', pattern: { f: [{ suffix: '.png' }] }, event: { f: 'a.PNG' }, expected: false },
    { reason: 'suffix with equals-ignore-case ignores case', pattern: { f: [{ suffix: { 'equals-ignore-case': '.png' } }] }, event: { f: 'a.PNG' }, expected: true },
    // anything-but
    { reason: 'anything-but a string: a different string', pattern: { s: [{ 'anything-but': 'init' }] }, event: { s: 'running' }, expected: true },
    { reason: 'anything-but a string: that string', pattern: { s: [{ 'anything-but': 'init' }] }, event: { s: 'init' }, expected: false },
    { reason: 'anything-but a list: a listed value', pattern: { s: [{ 'anything-but': ['a', 'b'] }] }, event: { s: 'b' }, expected: false },
    { reason: 'anything-but a list: an unlisted value', pattern: { s: [{ 'anything-but': ['a', 'b'] }] }, event: { s: 'c' }, expected: true },
    { reason: 'anything-but a number: another number', pattern: { n: [{ 'anything-but': 123 }] }, event: { n: 124 }, expected: true },
    { reason: 'anything-but needs the field to exist', pattern: { s: [{ 'anything-but': 'init' }] }, event: {}, expected: false },
    { reason: 'anything-but prefix: the string starts with it', pattern: { r: [{ 'anything-but': { prefix: 'us-' } }] }, event: { r: 'us-west-2' }, expected: false },
    { reason: 'anything-but prefix: the string does not start with it', pattern: { r: [{ 'anything-but': { prefix: 'us-' } }] }, event: { r: 'eu-west-1' }, expected: true },
    { reason: 'anything-but suffix: the string ends with it', pattern: { f: [{ 'anything-but': { suffix: '.png' } }] }, event: { f: 'a.png' }, expected: false },
    { reason: 'anything-but equals-ignore-case: another casing of an excluded value', pattern: { s: [{ 'anything-but': { 'equals-ignore-case': ['init', 'stop'] } }] }, event: { s: 'STOP' }, expected: false },
    { reason: 'anything-but wildcard: the string fits the wildcard', pattern: { p: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, event: { p: '/usr/lib/x' }, expected: false },
    { reason: 'anything-but wildcard: the string does not fit', pattern: { p: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, event: { p: '/usr/bin/x' }, expected: true },
    // exists
    { reason: 'exists true: the field is present', pattern: { a: [{ exists: true }] }, event: { a: 'x' }, expected: true },
    { reason: 'exists true: the field is absent', pattern: { a: [{ exists: true }] }, event: {}, expected: false },
    { reason: 'exists false: the field is absent', pattern: { a: [{ exists: false }] }, event: { b: 1 }, expected: true },
    { reason: 'exists false: the field is present', pattern: { a: [{ exists: false }] }, event: { a: null }, expected: false },
    { reason: 'exists false: the parent object is absent too', pattern: { d: { a: [{ exists: false }] } }, event: {}, expected: true },
    { reason: 'exists works on leaf nodes only: an object is not a present leaf', pattern: { a: [{ exists: true }] }, event: { a: { b: 1 } }, expected: false },
    // numeric
    { reason: 'numeric range: inside', pattern: { n: [{ numeric: ['>', 0, '<=', 5] }] }, event: { n: 5 }, expected: true },
    { reason: 'numeric range: on the open lower bound', pattern: { n: [{ numeric: ['>', 0, '<=', 5] }] }, event: { n: 0 }, expected: false },
    { reason: 'numeric range: above', pattern: { n: [{ numeric: ['>', 0, '<=', 5] }] }, event: { n: 5.5 }, expected: false },
    { reason: 'numeric equality', pattern: { n: [{ numeric: ['=', 3.5] }] }, event: { n: 3.5 }, expected: true },
    { reason: 'numeric ignores strings that look like numbers', pattern: { n: [{ numeric: ['>=', 1] }] }, event: { n: '2' }, expected: false },
    { reason: 'numeric matches any element of an array', pattern: { n: [{ numeric: ['<', 0] }] }, event: { n: [3, -1] }, expected: true },
    // equals-ignore-case
    { reason: 'equals-ignore-case: another casing', pattern: { n: [{ 'equals-ignore-case': 'alice' }] }, event: { n: 'ALICE' }, expected: true },
    { reason: 'equals-ignore-case: another string', pattern: { n: [{ 'equals-ignore-case': 'alice' }] }, event: { n: 'alicia' }, expected: false },
    // wildcard
    { reason: 'wildcard: stars span any characters', pattern: { k: [{ wildcard: 'dir/*.png' }] }, event: { k: 'dir/a/b.png' }, expected: true },
    { reason: 'wildcard: the whole value must fit', pattern: { k: [{ wildcard: 'dir/*.png' }] }, event: { k: 'dir/a.png.bak' }, expected: false },
    { reason: 'wildcard: regex characters are literal', pattern: { k: [{ wildcard: 'a.b*' }] }, event: { k: 'axb' }, expected: false },
    { reason: 'wildcard: an escaped star is a literal star', pattern: { k: [{ wildcard: 'a\\*b' }] }, event: { k: 'a*b' }, expected: true },
    { reason: 'wildcard: an escaped star does not span characters', pattern: { k: [{ wildcard: 'a\\*b' }] }, event: { k: 'axxb' }, expected: false },
    // $or
    { reason: '$or: the second alternative matches', pattern: { $or: [{ a: ['x'] }, { b: ['y'] }] }, event: { a: 'n', b: 'y' }, expected: true },
    { reason: '$or: no alternative matches', pattern: { $or: [{ a: ['x'] }, { b: ['y'] }] }, event: { a: 'n', b: 'n' }, expected: false },
    // mixed alternatives in one field
    { reason: 'an exact value or an operator, either suffices', pattern: { a: ['x', { prefix: 'p' }] }, event: { a: 'pq' }, expected: true },
  ];
  for (const c of cases) {
    it(`returns ${c.expected} when ${c.reason}`, () => {
      expect(matchesEventPattern(c.pattern, c.event)).to.equal(c.expected);
    });
  }
});

describe('validateEventPattern', () => {
  const invalid: Array<{ reason: string; pattern: unknown }> = [
    { reason: 'the pattern is not an object', pattern: ['aws.scheduler'] },
    { reason: 'the pattern is empty', pattern: {} },
    { reason: 'a field is a bare string, not a list', pattern: { source: 'aws.scheduler' } },
    { reason: 'a field is an empty list', pattern: { source: [] } },
    { reason: 'a nested object is empty', pattern: { detail: {} } },
    { reason: 'a list holds a nested list', pattern: { a: [['x']] } },
    { reason: 'an operator is unknown', pattern: { a: [{ contains: 'x' }] } },
    { reason: 'an operator object has two keys', pattern: { a: [{ prefix: 'x', suffix: 'y' }] } },
    { reason: 'exists is not a boolean', pattern: { a: [{ exists: 'yes' }] } },
    { reason: 'prefix is not a string', pattern: { a: [{ prefix: 1 }] } },
    { reason: 'numeric has an unknown operator', pattern: { a: [{ numeric: ['!=', 1] }] } },
    { reason: 'numeric has two lower bounds', pattern: { a: [{ numeric: ['>', 1, '>=', 2] }] } },
    { reason: 'numeric has a bound beyond 5e9', pattern: { a: [{ numeric: ['<', 6e9] }] } },
    { reason: 'numeric has an odd number of items', pattern: { a: [{ numeric: ['>', 1, '<'] }] } },
    { reason: 'anything-but mixes strings and numbers', pattern: { a: [{ 'anything-but': ['x', 1] }] } },
    { reason: 'anything-but holds an unknown operator', pattern: { a: [{ 'anything-but': { numeric: ['>', 1] } }] } },
    { reason: 'wildcard has consecutive stars', pattern: { a: [{ wildcard: 'a**b' }] } },
    { reason: 'wildcard has an unknown escape', pattern: { a: [{ wildcard: 'a\\b' }] } },
    { reason: '$or has a single alternative', pattern: { $or: [{ a: ['x'] }] } },
  ];
  for (const c of invalid) {
    it(`throws InvalidEventPatternError when ${c.reason}`, () => {
      expect(() => validateEventPattern(c.pattern)).to.throw(InvalidEventPatternError);
    });
  }

  it('names the offending path in the message when a nested value is invalid', () => {
    expect(() => validateEventPattern({ detail: { eventName: [{ prefix: 7 }] } })).to.throw(/detail\.eventName/);
  });
});

describe('LocalEventBus', () => {
  it('delivers to every target of every matching rule and counts matched and unmatched per rule', () => {
    // Prepare
    const bus = new LocalEventBus();
    const seen: string[] = [];
    bus.putRule({ name: 'observer', eventPattern: SCHEDULER_EVENT_PATTERN, targets: [() => seen.push('t1'), () => seen.push('t2')] });
    bus.putRule({ name: 'ec2-only', eventPattern: { source: ['aws.ec2'] }, targets: [() => seen.push('ec2')] });
    // Act
    const result = bus.putEvents([schedulerApiCall(), schedulerApiCall({ detail: { eventName: 'GetSchedule' } })]);
    // Assess
    expect(seen).to.deep.equal(['t1', 't2']);
    expect(result).to.deep.equal({ deliveries: 2, failedDeliveries: 0 });
    expect(bus.ruleStats('observer')).to.include({ matched: 1, unmatched: 1 });
    expect(bus.ruleStats('ec2-only')).to.include({ matched: 0, unmatched: 2 });
  });

  it('rejects the rule when its pattern is invalid', () => {
    const bus = new LocalEventBus();
    expect(() => bus.putRule({ name: 'bad', eventPattern: { source: 'aws.scheduler' }, targets: [] })).to.throw(InvalidEventPatternError);
    expect(bus.allRuleStats()).to.deep.equal([]);
  });

  it('rejects the rule when its name is not a valid rule name', () => {
    const bus = new LocalEventBus();
    expect(() => bus.putRule({ name: 'has space', eventPattern: { source: ['x'] }, targets: [] })).to.throw(EventBusValidationError);
  });

  it('counts a failed invocation and still calls the other targets when a target throws', () => {
    const bus = new LocalEventBus();
    const seen: string[] = [];
    const broken = (): void => {
      throw new Error('target down');
    };
    bus.putRule({ name: 'r', eventPattern: { source: ['aws.scheduler'] }, targets: [broken, () => seen.push('ok')] });
    const result = bus.putEvents([schedulerApiCall()]);
    expect(seen).to.deep.equal(['ok']);
    expect(result.failedDeliveries).to.equal(1);
    expect(bus.ruleStats('r')?.failedInvocations).to.equal(1);
  });

  it('sends the whole event as the JSON message body when the target is an SQS queue', () => {
    // Prepare
    const queue = new LocalQueue({ name: 'observer-events', clock: new LocalClock() });
    const bus = new LocalEventBus();
    bus.putRule({ name: 'observer', eventPattern: SCHEDULER_EVENT_PATTERN, targets: [sqsTarget(queue)] });
    const event = schedulerApiCall();
    // Act
    bus.putEvents([event, schedulerApiCall({ source: 'aws.ec2' })]);
    // Assess
    const [message, ...rest] = queue.receiveMessages({ max: 10 });
    expect(rest).to.have.length(0);
    expect(message?.body).to.equal(JSON.stringify(event));
    expect(JSON.parse(message!.body)).to.deep.equal(event);
  });

  it('routes 10,000 events quickly when a benchmark pushes them through', () => {
    const queue = new LocalQueue({ name: 'bench', clock: new LocalClock() });
    const bus = new LocalEventBus();
    bus.putRule({ name: 'observer', eventPattern: SCHEDULER_EVENT_PATTERN, targets: [sqsTarget(queue)] });
    const events = Array.from({ length: 10_000 }, (_, i) =>
      schedulerApiCall({ detail: { eventName: i % 2 === 0 ? 'CreateSchedule' : 'GetSchedule' } }),
    );
    const started = performance.now();
    bus.putEvents(events);
    expect(performance.now() - started).to.be.below(2_000);
    expect(queue.approximateNumberOfMessages).to.equal(5_000);
  });
});
