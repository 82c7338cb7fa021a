/**
 * The local EventBridge endpoint (local/eventbridge-server.ts) through the real `@aws-sdk/client-eventbridge`:
 * what a rule, its SQS targets and PutEvents do end to end, pagination, the documented per-entry and per-request
 * errors, the rule states, IAM, and the model's deliberate gaps (BEHAVIOUR_GAPS), each shown to hold.
 * Expected shapes and messages come from the EventBridge API reference and from responses recorded against AWS in
 * LocalStack's validated snapshots (github.com/localstack/localstack, tests/aws/services/events/*.snapshot.json).
 */
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { expect } from 'chai';
import { queuePolicy } from '../../infra/policies';
import { LocalEventBus } from '../../local/eventbridge';
import { SERVED_OPERATIONS, startEventBridgeServer, type EventBridgeServer } from '../../local/eventbridge-server';
import { LocalAuthorizer } from '../../local/iam/authorizer';
import { LocalClock, LocalQueue } from '../../local/sqs';
import { errorOf } from '../support/error-of';
import { principal } from '../support/principals';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ruleArn = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`;
const ORDERS = JSON.stringify({ source: ['shop.orders'], 'detail-type': ['Order Placed'] });

function order(overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return { Source: 'shop.orders', DetailType: 'Order Placed', Detail: JSON.stringify({ orderId: 'o-1', total: 42 }), ...overrides };
}

/** The bodies of every message the queue holds, parsed, received once (they stay in flight). */
function drain(queue: LocalQueue): unknown[] {
  const bodies: unknown[] = [];
  for (let batch = queue.receiveMessages({ max: 10 }); batch.length > 0; batch = queue.receiveMessages({ max: 10 })) {
    bodies.push(...batch.map((message) => JSON.parse(message.body) as unknown));
  }
  return bodies;
}

describe('local EventBridge endpoint', function () {
  this.timeout(60_000);
  let clock: LocalClock;
  let bus: LocalEventBus;
  let queue: LocalQueue;
  let other: LocalQueue;
  let server: EventBridgeServer;
  let client: EventBridgeClient;
  let rules = 0;
  /** A rule name no other test uses. */
  const fresh = (what: string) => `${what}-${++rules}`;

  beforeEach(async () => {
    clock = new LocalClock();
    bus = new LocalEventBus();
    queue = new LocalQueue({ name: 'orders', clock });
    other = new LocalQueue({ name: 'audit', clock });
    server = await startEventBridgeServer({ bus, queues: [queue, other], now: () => new Date('2025-03-04T05:06:07.890Z') });
    client = new EventBridgeClient(server.clientConfig());
  });
  afterEach(async () => {
    client.destroy();
    await server.close();
  });

  async function ruleWithTarget(name: string, options: { pattern?: string; state?: 'ENABLED' | 'DISABLED'; input?: string } = {}): Promise<void> {
    await client.send(new PutRuleCommand({ Name: name, EventPattern: options.pattern ?? ORDERS, ...(options.state ? { State: options.state } : {}) }));
    const put = await client.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'orders-queue', Arn: queue.arn, ...(options.input ? { Input: options.input } : {}) }] }));
    expect(put.FailedEntryCount).to.equal(0);
  }

  describe('round trips', () => {
    it('delivers a matching event to the target queue as the full envelope EventBridge sends, and a non-matching one nowhere', async () => {
      // Prepare
      await ruleWithTarget(fresh('orders'));
      // Act
      const put = await client.send(new PutEventsCommand({
        Entries: [
          order({ Time: new Date('2025-01-02T03:04:05.678Z'), Resources: ['arn:aws:s3:::orders-bucket'] }),
          order({ Source: 'shop.returns' }),
        ],
      }));
      // Assess: key order and values as recorded against AWS (snapshot test_put_events_with_time_field)
      expect(put.FailedEntryCount).to.equal(0);
      const [delivered, ...rest] = drain(queue);
      expect(rest).to.deep.equal([]);
      expect(Object.keys(delivered as object)).to.deep.equal(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
      expect(delivered).to.deep.equal({
        version: '0',
        id: put.Entries![0]!.EventId,
        'detail-type': 'Order Placed',
        source: 'shop.orders',
        account: ACCOUNT,
        time: '2025-01-02T03:04:05Z',
        region: REGION,
        resources: ['arn:aws:s3:::orders-bucket'],
        detail: { orderId: 'o-1', total: 42 },
      });
      expect(put.Entries![1]!.EventId).to.match(/^[0-9a-f-]{36}$/);
    });

    it('stamps an event put without Time with the time of the call, to the second', async () => {
      await ruleWithTarget(fresh('orders'));
      await client.send(new PutEventsCommand({ Entries: [order()] }));
      expect(drain(queue)).to.have.length(1).and.to.have.nested.property('[0].time', '2025-03-04T05:06:07Z');
    });

    it('delivers the constant Input instead of the event when the target has one', async () => {
      await ruleWithTarget(fresh('orders'), { input: '{"mode":"full"}' });
      await client.send(new PutEventsCommand({ Entries: [order()] }));
      expect(drain(queue)).to.deep.equal([{ mode: 'full' }]);
    });

    it('delivers nothing through a DISABLED rule, and delivers again once it is enabled', async () => {
      // Prepare
      const name = fresh('orders');
      await ruleWithTarget(name, { state: 'DISABLED' });
      // Act
      await client.send(new PutEventsCommand({ Entries: [order()] }));
      const whileDisabled = drain(queue);
      await client.send(new EnableRuleCommand({ Name: name }));
      await client.send(new PutEventsCommand({ Entries: [order()] }));
      // Assess
      expect(whileDisabled).to.deep.equal([]);
      expect(drain(queue)).to.have.length(1);
      expect(bus.ruleStats(name)).to.include({ matched: 1, unmatched: 0 });
    });

    it('delivers nothing after DisableRule', async () => {
      const name = fresh('orders');
      await ruleWithTarget(name);
      await client.send(new DisableRuleCommand({ Name: name }));
      await client.send(new PutEventsCommand({ Entries: [order()] }));
      expect(drain(queue)).to.deep.equal([]);
      expect((await client.send(new DescribeRuleCommand({ Name: name }))).State).to.equal('DISABLED');
    });

    it('returns from DescribeRule what PutRule put: the pattern text verbatim, state, description, ARN, bus and creator', async () => {
      // Prepare: whitespace and key order a re-serialisation would lose
      const name = fresh('described');
      const pattern = '{ "detail-type": ["Order Placed"],\n  "source": ["shop.orders"] }';
      // Act
      const put = await client.send(new PutRuleCommand({ Name: name, EventPattern: pattern, State: 'DISABLED', Description: 'orders to the queue' }));
      const described = await client.send(new DescribeRuleCommand({ Name: name }));
      // Assess (fields as in snapshot test_put_list_with_prefix_describe_delete_rule[default])
      expect(put.RuleArn).to.equal(ruleArn(name));
      const { $metadata, ...fields } = described;
      expect($metadata.httpStatusCode).to.equal(200);
      expect(fields).to.deep.equal({
        Name: name,
        Arn: ruleArn(name),
        EventPattern: pattern,
        State: 'DISABLED',
        Description: 'orders to the queue',
        EventBusName: 'default',
        CreatedBy: ACCOUNT,
      });
    });

    it('replaces the definition but keeps the targets when PutRule updates a rule, and drops an omitted description', async () => {
      // Prepare
      const name = fresh('updated');
      await client.send(new PutRuleCommand({ Name: name, EventPattern: ORDERS, Description: 'first' }));
      await client.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't', Arn: queue.arn }] }));
      // Act: "If you omit arguments in PutRule, the old values for those arguments are not kept"
      await client.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: ['shop.returns'] }) }));
      // Assess (targets kept: snapshot test_update_rule_with_targets)
      const described = await client.send(new DescribeRuleCommand({ Name: name }));
      expect(described.Description).to.equal(undefined);
      expect(described.State).to.equal('ENABLED');
      expect((await client.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets).to.deep.equal([{ Id: 't', Arn: queue.arn }]);
      await client.send(new PutEventsCommand({ Entries: [order(), order({ Source: 'shop.returns' })] }));
      expect(drain(queue)).to.have.length(1).and.to.have.nested.property('[0].source', 'shop.returns');
    });

    it('lists a target as it was put, and updates the target with the same Id instead of adding one', async () => {
      const name = fresh('listed');
      await client.send(new PutRuleCommand({ Name: name, EventPattern: ORDERS }));
      const target = { Id: 't', Arn: queue.arn, RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`, Input: '{"a":1}', RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } };
      await client.send(new PutTargetsCommand({ Rule: name, Targets: [{ ...target, Arn: other.arn }] }));
      await client.send(new PutTargetsCommand({ Rule: name, Targets: [target] }));
      expect((await client.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets).to.deep.equal([target]);
    });

    it('stops delivering to a target once RemoveTargets removes it, and reports an Id the rule does not have', async () => {
      const name = fresh('removed');
      await ruleWithTarget(name);
      const removed = await client.send(new RemoveTargetsCommand({ Rule: name, Ids: ['orders-queue', 'never-put'] }));
      await client.send(new PutEventsCommand({ Entries: [order()] }));
      expect(drain(queue)).to.deep.equal([]);
      expect(removed.FailedEntryCount).to.equal(1);
      expect(removed.FailedEntries).to.deep.equal([
        { TargetId: 'never-put', ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Rule '${name}' does not have a target with the Id 'never-put'.` },
      ]);
    });
  });

  describe('DeleteRule', () => {
    it('refuses to delete a rule that still has targets, and deletes it once they are removed', async () => {
      // Prepare
      const name = fresh('doomed');
      await ruleWithTarget(name);
      // Act
      const refused = await errorOf(client.send(new DeleteRuleCommand({ Name: name })));
      await client.send(new RemoveTargetsCommand({ Rule: name, Ids: ['orders-queue'] }));
      await client.send(new DeleteRuleCommand({ Name: name }));
      // Assess (as recorded against AWS: snapshot test_delete_rule_with_targets)
      expect(refused.name).to.equal('ValidationException');
      expect(refused.message).to.equal("Rule can't be deleted since it has targets.");
      expect(refused.$metadata?.httpStatusCode).to.equal(400);
      const gone = await errorOf(client.send(new DescribeRuleCommand({ Name: name })));
      expect(gone.name).to.equal('ResourceNotFoundException');
      expect(gone.message).to.equal(`Rule ${name} does not exist on EventBus default.`);
    });

    it('succeeds for a rule that does not exist ("all calls will succeed")', async () => {
      await client.send(new DeleteRuleCommand({ Name: fresh('never-created') }));
    });

    it('refuses a rule that has function targets attached in-process, which RemoveTargets cannot name', async () => {
      bus.putRule({ name: 'in-process', eventPattern: { source: ['x'] }, targets: [() => undefined] });
      expect((await errorOf(client.send(new DeleteRuleCommand({ Name: 'in-process' })))).name).to.equal('ValidationException');
      expect(bus.ruleNames()).to.include('in-process');
    });
  });

  describe('PutRule', () => {
    const patterns = [
      { reason: 'the pattern is not JSON', pattern: '{"source": aws.scheduler}' },
      { reason: 'a field is a bare string, not a list', pattern: '{"source": "shop.orders"}' },
      { reason: 'the pattern is an array', pattern: '["shop.orders"]' },
      { reason: 'an operator is unknown', pattern: '{"source": [{"contains": "shop"}]}' },
    ];
    for (const c of patterns) {
      it(`answers InvalidEventPatternException when ${c.reason}`, async () => {
        const error = await errorOf(client.send(new PutRuleCommand({ Name: fresh('bad-pattern'), EventPattern: c.pattern })));
        expect(error.name).to.equal('InvalidEventPatternException');
        expect(error.$metadata?.httpStatusCode).to.equal(400);
        expect(error.message).to.match(/^Event pattern is not valid/);
      });
    }

    it('answers ValidationException when the rule has neither a pattern nor a schedule', async () => {
      const error = await errorOf(client.send(new PutRuleCommand({ Name: fresh('empty') })));
      expect(error.name).to.equal('ValidationException');
      expect(error.message).to.equal('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    });

    it('answers ResourceNotFoundException for any bus but the default one, by name or ARN', async () => {
      for (const EventBusName of ['custom-bus', `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/custom-bus`]) {
        const error = await errorOf(client.send(new PutRuleCommand({ Name: fresh('elsewhere'), EventPattern: ORDERS, EventBusName })));
        expect(error.name).to.equal('ResourceNotFoundException');
        expect(error.message).to.equal('Event bus custom-bus does not exist.');
      }
      await client.send(new PutRuleCommand({ Name: fresh('by-arn'), EventPattern: ORDERS, EventBusName: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default` }));
    });
  });

  describe('PutTargets', () => {
    it('answers LimitExceededException for a sixth target on one rule, and keeps the five', async () => {
      // Prepare
      const name = fresh('crowded');
      await client.send(new PutRuleCommand({ Name: name, EventPattern: ORDERS }));
      const five = Array.from({ length: 5 }, (_, i) => ({ Id: `t${i}`, Arn: queue.arn }));
      await client.send(new PutTargetsCommand({ Rule: name, Targets: five }));
      // Act
      const error = await errorOf(client.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't5', Arn: queue.arn }] })));
      const replaced = await client.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't0', Arn: other.arn }] }));
      // Assess (as recorded against AWS: snapshot test_add_exceed_fife_targets_per_rule)
      expect(error.name).to.equal('LimitExceededException');
      expect(error.message).to.equal('The requested resource exceeds the maximum number allowed.');
      expect(replaced.FailedEntryCount).to.equal(0);
      expect((await client.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets).to.have.length(5);
    });

    it('answers ResourceNotFoundException for a rule that does not exist', async () => {
      const error = await errorOf(client.send(new PutTargetsCommand({ Rule: fresh('missing'), Targets: [{ Id: 't', Arn: queue.arn }] })));
      expect(error.name).to.equal('ResourceNotFoundException');
    });

    it('answers ValidationException for an Arn that is not an ARN, and for an Input that is not JSON', async () => {
      const name = fresh('malformed');
      await client.send(new PutRuleCommand({ Name: name, EventPattern: ORDERS }));
      const notArn = await errorOf(client.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't', Arn: 'orders' }] })));
      expect(notArn.name).to.equal('ValidationException');
      expect(notArn.message).to.equal('Parameter orders is not valid. Reason: Provided Arn is not in correct format.');
      const notJson = await errorOf(client.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't', Arn: queue.arn, Input: 'mode=full' }] })));
      expect(notJson.name).to.equal('ValidationException');
      expect(notJson.message).to.include('Input');
    });
  });

  describe('PutEvents', () => {
    it('answers one result per entry, in order, with the documented codes and messages for each failed entry', async () => {
      // Prepare
      await ruleWithTarget(fresh('orders'));
      const entries: Array<{ entry: PutEventsRequestEntry; expected: { ErrorCode: string; ErrorMessage: string } | 'EventId' }> = [
        { entry: order(), expected: 'EventId' },
        { entry: order({ Source: undefined }), expected: { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' } },
        { entry: order({ DetailType: undefined }), expected: { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' } },
        { entry: order({ Detail: undefined }), expected: { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' } },
        { entry: order({ Detail: '"a string"' }), expected: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' } },
        { entry: order({ Detail: '[1, 2]' }), expected: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' } },
        { entry: order({ Detail: '{"unclosed": ' }), expected: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' } },
        { entry: order({ Source: 'aws.scheduler' }), expected: { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' } },
        { entry: order({ DetailType: 'x'.repeat(129) }), expected: { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is longer than 128 characters.' } },
        { entry: order(), expected: 'EventId' },
      ];
      // Act
      const put = await client.send(new PutEventsCommand({ Entries: entries.map((e) => e.entry) }));
      // Assess
      expect(put.FailedEntryCount).to.equal(8);
      put.Entries!.forEach((result, i) => {
        const expected = entries[i]!.expected;
        if (expected === 'EventId') expect(Object.keys(result)).to.deep.equal(['EventId']);
        else expect(result).to.deep.equal(expected);
      });
      expect(drain(queue)).to.have.length(2);
    });

    it('accepts entries totalling 262,143 bytes and refuses 262,144 as over the 256 KB request limit', async () => {
      // Prepare: Source and DetailType of 1 byte each, Time counted as 14 bytes, one 2-byte resource
      const detailOf = (bytes: number) => JSON.stringify({ p: 'x'.repeat(bytes - 8) });
      const entry = (detailBytes: number) => order({ Source: 's', DetailType: 'd', Time: new Date(), Resources: ['r1'], Detail: detailOf(detailBytes) });
      const fixed = 1 + 1 + 14 + 2;
      // Act
      const accepted = await client.send(new PutEventsCommand({ Entries: [entry(262_143 - fixed)] }));
      const refused = await errorOf(client.send(new PutEventsCommand({ Entries: [entry(131_072 - fixed), entry(131_072 - fixed)] })));
      // Assess (as recorded against AWS: snapshot test_put_event_with_too_big_detail)
      expect(accepted.FailedEntryCount).to.equal(0);
      expect(refused.name).to.equal('ValidationException');
      expect(refused.message).to.equal('Total size of the entries in the request is over the limit.');
    });

    it('accepts an entry for another event bus and delivers it nowhere, as AWS does for a bus that does not exist', async () => {
      await ruleWithTarget(fresh('orders'));
      const put = await client.send(new PutEventsCommand({ Entries: [order({ EventBusName: 'no-such-bus' })] }));
      expect(put.FailedEntryCount).to.equal(0);
      expect(put.Entries![0]!.EventId).to.be.a('string');
      expect(drain(queue)).to.deep.equal([]);
    });

    it('counts a delivery the queue refuses as a failed invocation, and still answers the entry with an EventId', async () => {
      // Prepare: a queue that takes nothing over 1 KiB
      const small = new LocalQueue({ name: 'small', clock, maximumMessageSizeBytes: 1_024 });
      await server.close();
      client.destroy();
      server = await startEventBridgeServer({ bus, queues: [small] });
      client = new EventBridgeClient(server.clientConfig());
      const name = fresh('too-big');
      await client.send(new PutRuleCommand({ Name: name, EventPattern: ORDERS }));
      await client.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'small', Arn: small.arn }] }));
      // Act
      const put = await client.send(new PutEventsCommand({ Entries: [order({ Detail: JSON.stringify({ blob: 'x'.repeat(2_000) }) })] }));
      // Assess (snapshot test_put_events_with_target_delivery_failure: the entry succeeds)
      expect(put.FailedEntryCount).to.equal(0);
      expect(bus.ruleStats(name)).to.include({ matched: 1, failedInvocations: 1 });
      expect(small.approximateNumberOfMessages).to.equal(0);
    });
  });

  describe('rule states and CloudTrail management events', () => {
    /** A read-only CloudTrail management event, as only AWS (not PutEvents) puts on the default bus. */
    const readOnlyCall = (): Parameters<LocalEventBus['putEvents']>[0][number] => ({
      version: '0', id: 'e1', 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.scheduler', account: ACCOUNT,
      time: '2025-01-01T00:00:00Z', region: REGION, resources: [], detail: { eventName: 'GetSchedule', readOnly: true },
    });

    it('shows read-only management events only to rules in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', async () => {
      // Prepare
      const pattern = JSON.stringify({ source: ['aws.scheduler'] });
      const all = fresh('all-management');
      const enabled = fresh('enabled');
      await client.send(new PutRuleCommand({ Name: all, EventPattern: pattern, State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' }));
      await client.send(new PutRuleCommand({ Name: enabled, EventPattern: pattern, State: 'ENABLED' }));
      // Act
      bus.putEvents([readOnlyCall(), { ...readOnlyCall(), detail: { eventName: 'CreateSchedule', readOnly: false } }]);
      // Assess
      expect(bus.ruleStats(all)).to.include({ matched: 2 });
      expect(bus.ruleStats(enabled)).to.include({ matched: 1 });
    });
  });

  describe('pagination', () => {
    it('visits every target of a rule exactly once with Limit 1, then stops', async () => {
      const name = fresh('paged');
      await client.send(new PutRuleCommand({ Name: name, EventPattern: ORDERS }));
      await client.send(new PutTargetsCommand({ Rule: name, Targets: Array.from({ length: 5 }, (_, i) => ({ Id: `t${i}`, Arn: queue.arn })) }));
      const seen: string[] = [];
      let NextToken: string | undefined;
      do {
        const listed = await client.send(new ListTargetsByRuleCommand({ Rule: name, Limit: 1, NextToken }));
        expect(listed.Targets).to.have.length(1);
        seen.push(...listed.Targets!.map((t) => t.Id!));
        NextToken = listed.NextToken;
      } while (NextToken !== undefined);
      expect(seen).to.deep.equal(['t0', 't1', 't2', 't3', 't4']);
    });

    it('visits every rule with the prefix exactly once with Limit 1, in name order, and no other rule', async () => {
      const names = ['page-c', 'page-a', 'page-b', 'page-d'];
      for (const Name of [...names, 'other-rule']) await client.send(new PutRuleCommand({ Name, EventPattern: ORDERS }));
      const seen: string[] = [];
      let NextToken: string | undefined;
      do {
        const listed = await client.send(new ListRulesCommand({ NamePrefix: 'page-', Limit: 1, NextToken }));
        seen.push(...listed.Rules!.map((rule) => rule.Name!));
        NextToken = listed.NextToken;
      } while (NextToken !== undefined);
      expect(seen).to.deep.equal([...names].sort());
      const first = (await client.send(new ListRulesCommand({ NamePrefix: 'page-a' }))).Rules![0]!;
      expect(first).to.deep.equal({ Name: 'page-a', Arn: ruleArn('page-a'), EventPattern: ORDERS, State: 'ENABLED', EventBusName: 'default' });
    });

    it('answers InvalidToken for a forged NextToken and for a token issued for other arguments', async () => {
      // Prepare
      const name = fresh('paged');
      await client.send(new PutRuleCommand({ Name: name, EventPattern: ORDERS }));
      await client.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'a', Arn: queue.arn }, { Id: 'b', Arn: queue.arn }] }));
      const issued = (await client.send(new ListTargetsByRuleCommand({ Rule: name, Limit: 1 }))).NextToken!;
      const [payload] = issued.split('.');
      const forged = `${Buffer.from(JSON.stringify({ scope: `ListTargetsByRule:${name}`, offset: 0 })).toString('base64url')}.${issued.split('.')[1]}`;
      // Act
      const outcomes = [
        await errorOf(client.send(new ListTargetsByRuleCommand({ Rule: name, NextToken: 'bm90LWEtdG9rZW4=' }))),
        await errorOf(client.send(new ListTargetsByRuleCommand({ Rule: name, NextToken: forged }))),
        await errorOf(client.send(new ListRulesCommand({ NextToken: issued }))),
        await errorOf(client.send(new ListRulesCommand({ NextToken: payload! }))),
      ];
      // Assess ("Using an expired pagination token results in an HTTP 400 InvalidToken error", API_ListRules.html)
      for (const error of outcomes) {
        expect(error.name).to.equal('InvalidToken');
        expect(error.$metadata?.httpStatusCode).to.equal(400);
      }
    });
  });

  describe('BEHAVIOUR_GAPS: where the model deliberately does less than EventBridge', () => {
    it('refuses, in FailedEntries, a target whose ARN is not one of its queues (AWS accepts any well-formed ARN and fails deliveries later)', async () => {
      const name = fresh('gap');
      await client.send(new PutRuleCommand({ Name: name, EventPattern: ORDERS }));
      const put = await client.send(new PutTargetsCommand({
        Rule: name,
        Targets: [
          { Id: 'fn', Arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:observer` },
          { Id: 'missing-queue', Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:missing` },
          { Id: 'queue', Arn: queue.arn },
        ],
      }));
      expect(put.FailedEntryCount).to.equal(2);
      expect(put.FailedEntries!.map((entry) => [entry.TargetId, entry.ErrorCode])).to.deep.equal([['fn', 'ValidationException'], ['missing-queue', 'ValidationException']]);
      expect((await client.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets!.map((t) => t.Id)).to.deep.equal(['queue']);
    });

    it('keeps and lists a target dead-letter queue but sends nothing to it when a delivery fails (no retries, no DLQ)', async () => {
      // Prepare: a target whose queue refuses the message (too large)
      const small = new LocalQueue({ name: 'small', clock, maximumMessageSizeBytes: 1_024 });
      await server.close();
      client.destroy();
      server = await startEventBridgeServer({ bus, queues: [small, other] });
      client = new EventBridgeClient(server.clientConfig());
      const name = fresh('gap-dlq');
      await client.send(new PutRuleCommand({ Name: name, EventPattern: ORDERS }));
      await client.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'small', Arn: small.arn, DeadLetterConfig: { Arn: other.arn } }] }));
      // Act
      await client.send(new PutEventsCommand({ Entries: [order({ Detail: JSON.stringify({ blob: 'x'.repeat(2_000) }) })] }));
      // Assess
      expect((await client.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets![0]!.DeadLetterConfig).to.deep.equal({ Arn: other.arn });
      expect(bus.ruleStats(name)?.failedInvocations).to.equal(1);
      expect(other.approximateNumberOfMessages).to.equal(0);
    });

    it('answers UnknownOperationException for an operation it does not serve', async () => {
      const response = await fetch(`${server.endpoint}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.CreateEventBus' },
        body: JSON.stringify({ Name: 'custom-bus' }),
      });
      expect(response.status).to.equal(400);
      expect(await response.json()).to.include({ __type: 'UnknownOperationException' });
    });
  });
});

describe('local EventBridge endpoint with IAM in the loop', function () {
  this.timeout(60_000);
  const RULE = 'observer-rule';
  /** Manages the observer rule and its targets, and publishes shop.orders events only. */
  const operator = principal('operator', 1, [
    { Effect: 'Allow', Action: ['events:PutRule', 'events:PutTargets', 'events:DescribeRule'], Resource: `arn:aws:events:${REGION}:${ACCOUNT}:rule/${RULE}` },
    {
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Resource: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`,
      Condition: { 'ForAllValues:StringEquals': { 'events:source': ['shop.orders'] } },
    },
  ]);
  /** May only describe rules. */
  const reader = principal('reader', 2, [{ Effect: 'Allow', Action: 'events:DescribeRule', Resource: `arn:aws:events:${REGION}:${ACCOUNT}:rule/*` }]);

  let clock: LocalClock;
  let queue: LocalQueue;
  let bus: LocalEventBus;
  let authorizer: LocalAuthorizer;
  let server: EventBridgeServer;
  const clients: EventBridgeClient[] = [];
  const clientOf = (who: { accessKeyId: string; secretAccessKey: string }) => {
    const client = new EventBridgeClient(server.clientConfig(who));
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    clock = new LocalClock();
    queue = new LocalQueue({ name: 'observer-events', clock });
    bus = new LocalEventBus();
    authorizer = new LocalAuthorizer({ accountId: ACCOUNT, principals: [operator, reader] });
    // The queue policy infra/ deploys: only the observer rule may send (aws:SourceArn).
    authorizer.attachResourcePolicy(queue.arn, queuePolicy({ queueArn: queue.arn, ruleArn: ruleArn(RULE) }));
    server = await startEventBridgeServer({ bus, queues: [queue], authorizer });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server.close();
  });

  it('serves an allowed caller end to end, and the queue policy admits the rule it names', async () => {
    // Prepare
    const client = clientOf(operator);
    // Act
    await client.send(new PutRuleCommand({ Name: RULE, EventPattern: ORDERS }));
    await client.send(new PutTargetsCommand({ Rule: RULE, Targets: [{ Id: 'q', Arn: queue.arn }] }));
    const put = await client.send(new PutEventsCommand({ Entries: [order()] }));
    // Assess
    expect(put.FailedEntryCount).to.equal(0);
    expect(queue.approximateNumberOfMessages).to.equal(1);
    const decisions = authorizer.log.filter((d) => d.caller === 'operator').map((d) => [d.action, d.resource, d.allowed]);
    expect(decisions).to.deep.include(['events:PutTargets', ruleArn(RULE), true]);
    expect(authorizer.log.find((d) => d.action === 'events:PutEvents')?.context).to.deep.include({ 'events:source': ['shop.orders'], 'events:detail-type': ['Order Placed'] });
    expect(authorizer.log.find((d) => d.action === 'sqs:SendMessage')).to.include({ caller: 'events.amazonaws.com', allowed: true });
  });

  it('answers AccessDeniedException (400) naming the action and resource when no policy allows the call', async () => {
    const denied = await errorOf(clientOf(reader).send(new PutRuleCommand({ Name: RULE, EventPattern: ORDERS })));
    expect(denied.name).to.equal('AccessDeniedException');
    expect(denied.$metadata?.httpStatusCode).to.equal(400);
    expect(denied.message).to.equal(
      `User: ${reader.sessionArn} is not authorized to perform: events:PutRule on resource: ${ruleArn(RULE)} because no identity-based policy allows the events:PutRule action`,
    );
    expect(bus.ruleNames()).to.deep.equal([]);
  });

  it('answers AccessDeniedException for PutEvents when one entry has a source the policy does not allow (events:source)', async () => {
    const client = clientOf(operator);
    await client.send(new PutEventsCommand({ Entries: [order()] }));
    const denied = await errorOf(client.send(new PutEventsCommand({ Entries: [order(), order({ Source: 'shop.returns' })] })));
    expect(denied.name).to.equal('AccessDeniedException');
  });

  it('sends nothing to the queue for a rule its policy does not name, counting a failed invocation', async () => {
    // Prepare: an operator allowed on any rule, putting a rule the queue policy does not admit
    const anyRule = principal('any-rule', 3, [{ Effect: 'Allow', Action: ['events:PutRule', 'events:PutTargets'], Resource: `arn:aws:events:${REGION}:${ACCOUNT}:rule/*` }]);
    authorizer.register(anyRule);
    const client = clientOf(anyRule);
    await client.send(new PutRuleCommand({ Name: 'stray-rule', EventPattern: ORDERS }));
    await client.send(new PutTargetsCommand({ Rule: 'stray-rule', Targets: [{ Id: 'q', Arn: queue.arn }] }));
    // Act
    bus.putEvents([{ version: '0', id: 'e', 'detail-type': 'Order Placed', source: 'shop.orders', account: ACCOUNT, time: '2025-01-01T00:00:00Z', region: REGION, resources: [], detail: {} }]);
    // Assess
    expect(queue.approximateNumberOfMessages).to.equal(0);
    expect(bus.ruleStats('stray-rule')?.failedInvocations).to.equal(1);
  });

  it('decides every served operation with only the condition keys the Service Authorization Reference lists for it', async () => {
    // Prepare: a caller allowed each action on any resource. The authorizer raises a model error (answered as
    // InternalException) for a context key iam-simulate does not know for the action, so success proves the keys.
    const admin = principal('admin', 4, [{ Effect: 'Allow', Action: SERVED_OPERATIONS.map((operation) => `events:${operation}`), Resource: '*' }]);
    authorizer.register(admin);
    const client = clientOf(admin);
    const pattern = JSON.stringify({ source: ['aws.health'], 'detail-type': ['AWS Health Event'], detail: { service: ['EC2'], eventTypeCode: ['X'], userIdentity: { principalId: ['p'] } } });
    // Act
    await client.send(new PutRuleCommand({ Name: RULE, EventPattern: pattern }));
    await client.send(new DescribeRuleCommand({ Name: RULE }));
    await client.send(new DisableRuleCommand({ Name: RULE }));
    await client.send(new EnableRuleCommand({ Name: RULE }));
    await client.send(new ListRulesCommand({}));
    await client.send(new PutTargetsCommand({ Rule: RULE, Targets: [{ Id: 'q', Arn: queue.arn }] }));
    await client.send(new ListTargetsByRuleCommand({ Rule: RULE }));
    await client.send(new RemoveTargetsCommand({ Rule: RULE, Ids: ['q'] }));
    await client.send(new PutEventsCommand({ Entries: [order()] }));
    await client.send(new DeleteRuleCommand({ Name: RULE }));
    // Assess
    const asked = authorizer.log.filter((d) => d.caller === 'admin');
    expect(asked.map((d) => d.action).sort()).to.deep.equal(SERVED_OPERATIONS.map((operation) => `events:${operation}`).sort());
    expect(asked.find((d) => d.action === 'events:PutRule')?.context).to.deep.include({
      'events:source': ['aws.health'], 'events:detail.service': ['EC2'], 'events:detail.eventTypeCode': ['X'], 'events:detail.userIdentity.principalId': ['p'],
    });
    expect(asked.find((d) => d.action === 'events:PutTargets')?.context).to.deep.include({ 'events:TargetArn': [queue.arn] });
    expect(asked.find((d) => d.action === 'events:ListRules')?.resource).to.equal('*');
  });

  it('answers UnrecognizedClientException (400) for an access key no principal was given', async () => {
    const error = await errorOf(clientOf({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }).send(new DescribeRuleCommand({ Name: RULE })));
    expect(error.name).to.equal('UnrecognizedClientException');
    expect(error.$metadata?.httpStatusCode).to.equal(400);
    expect(error.message).to.equal('The security token included in the request is invalid.');
  });
});
