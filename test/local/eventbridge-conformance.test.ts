/**
 * The local EventBridge endpoint against the official API model (../shared/aws-models/events.service-2.json, the
 * service definition AWS publishes for its SDKs), generated, not re-typed: for every operation the server serves,
 * every input member's constraint (required, length, pattern, enum, range, list size) is broken once, from a
 * request that succeeds, through the real SDK client; the server must answer ValidationException (400), naming
 * the member. ValidationException is not in the model's per-operation error lists: it is one of the errors common
 * to every action (https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html), and every error
 * the server can answer must be declared for its operation or listed in COMMON_ERRORS with such a page.
 * Where the model deliberately does less, DELIBERATE_GAPS and UNSERVED_MEMBERS say so, checked both ways.
 */
import * as eventbridge from '@aws-sdk/client-eventbridge';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { expect } from 'chai';
import { LocalEventBus } from '../../local/eventbridge';
import {
  COMMON_ERRORS,
  ERRORS_BY_OPERATION,
  SERVED_OPERATIONS,
  startEventBridgeServer,
  type EventBridgeServer,
  type ServedOperation,
} from '../../local/eventbridge-server';
import { LocalClock, LocalQueue } from '../../local/sqs';
import { constraintCases, declaredErrors, deliberateGaps, expectRefusalNaming, itRejectsEachBrokenConstraint, loadApiModel, outcomeOf } from '../support/api-model';

const API = loadApiModel('events');

const ACCOUNT = '123456789012';
const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:conformance-q`;
const PATTERN = JSON.stringify({ source: ['conformance.test'], 'detail-type': ['Conformance'] });
/** Replaced by `prepare` with a token the server issued for the same arguments; present so that cases break it. */
const ISSUED_BY_PREPARE = 'issued-by-prepare';

/**
 * A request of each served operation that succeeds on a server holding the rules `existing` and `existing-2`
 * (ListRules pages through the prefix `e`), `targets-rule` (no targets) and `listed-rule` (two targets); `prepare`
 * creates what the numbered baselines delete, and fetches the NextToken the list baselines carry.
 */
const BASELINES: Record<ServedOperation, (n: number) => Record<string, unknown>> = {
  PutRule: () => ({ Name: 'conformance-rule', EventPattern: PATTERN, State: 'ENABLED', Description: 'd', EventBusName: 'default' }),
  DescribeRule: () => ({ Name: 'existing', EventBusName: 'default' }),
  DeleteRule: (n) => ({ Name: `doomed-${n}`, EventBusName: 'default', Force: false }),
  EnableRule: () => ({ Name: 'existing', EventBusName: 'default' }),
  DisableRule: () => ({ Name: 'existing-2', EventBusName: 'default' }),
  ListRules: () => ({ NamePrefix: 'e', EventBusName: 'default', Limit: 1, NextToken: ISSUED_BY_PREPARE }),
  PutTargets: () => ({
    Rule: 'targets-rule',
    EventBusName: 'default',
    Targets: [
      {
        Id: 'conformance-target',
        Arn: QUEUE_ARN,
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/events-to-sqs`,
        Input: '{"constant":true}',
        DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:conformance-dlq` },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
      },
    ],
  }),
  ListTargetsByRule: () => ({ Rule: 'listed-rule', EventBusName: 'default', Limit: 1, NextToken: ISSUED_BY_PREPARE }),
  RemoveTargets: (n) => ({ Rule: `removal-${n}`, EventBusName: 'default', Ids: ['doomed-target'], Force: false }),
  PutEvents: () => ({
    Entries: [
      {
        Time: new Date('2025-01-01T12:00:00Z'),
        Source: 'conformance.test',
        Resources: [QUEUE_ARN],
        DetailType: 'Conformance',
        Detail: '{"n":1}',
        EventBusName: 'default',
        TraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793',
      },
    ],
  }),
};

/**
 * Constraints the server does not enforce, each on purpose, by `Operation.path constraint`. None today; checked
 * both ways: a listed gap that the server does enforce fails its test too.
 */
const DELIBERATE_GAPS: Record<string, string> = {};

/**
 * Input members the server refuses (ValidationException naming them) where EventBridge would act on them, with a
 * value EventBridge would accept; `Targets.0.X` is a member of a PutTargets target. Checked both ways: each one is
 * refused, and every member of a served operation's input is either in its baseline or listed here.
 */
const UNSERVED_MEMBERS: Record<string, { value: unknown; reason: string }> = {
  'PutRule.ScheduleExpression': { value: 'rate(5 minutes)', reason: 'scheduled rules need a clock the bus model does not have' },
  'PutRule.RoleArn': { value: `arn:aws:iam::${ACCOUNT}:role/r`, reason: 'a rule role serves cross-account bus targets only' },
  'PutRule.Tags': { value: [{ Key: 'team', Value: 'platform' }], reason: 'the model keeps no tags' },
  'PutTargets.Targets.0.InputPath': { value: '$.detail', reason: 'no JSONPath extracts: whole event or constant Input' },
  'PutTargets.Targets.0.InputTransformer': { value: { InputTemplate: '"x"' }, reason: 'no input templates' },
  'PutTargets.Targets.0.KinesisParameters': { value: { PartitionKeyPath: '$.id' }, reason: 'Kinesis targets are not delivered to' },
  'PutTargets.Targets.0.RunCommandParameters': { value: { RunCommandTargets: [{ Key: 'tag:k', Values: ['v'] }] }, reason: 'Run Command targets are not delivered to' },
  'PutTargets.Targets.0.EcsParameters': { value: { TaskDefinitionArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/t:1` }, reason: 'ECS targets are not delivered to' },
  'PutTargets.Targets.0.BatchParameters': { value: { JobDefinition: 'j', JobName: 'n' }, reason: 'Batch targets are not delivered to' },
  'PutTargets.Targets.0.SqsParameters': { value: { MessageGroupId: 'g' }, reason: 'FIFO queues are not modelled' },
  'PutTargets.Targets.0.HttpParameters': { value: { PathParameterValues: ['p'] }, reason: 'HTTP targets are not delivered to' },
  'PutTargets.Targets.0.RedshiftDataParameters': { value: { Database: 'db' }, reason: 'Redshift targets are not delivered to' },
  'PutTargets.Targets.0.SageMakerPipelineParameters': { value: { PipelineParameterList: [] }, reason: 'SageMaker targets are not delivered to' },
  'PutTargets.Targets.0.AppSyncParameters': { value: { GraphQLOperation: 'query { x }' }, reason: 'AppSync targets are not delivered to' },
};

/**
 * Members neither in a baseline nor refused, each with why: the generator cannot send them, or sending them
 * changes what the SDK does before any request.
 */
const NOT_SENT: Record<string, string> = {
  // A contextParam: the SDK routes a request carrying it to a global endpoint, signed with SigV4a.
  'PutEvents.EndpointId': 'global endpoints (EndpointId) are not modelled and change the SDK endpoint before any request',
};

const casesFor = (operation: ServedOperation) => constraintCases(API, operation, BASELINES[operation](0));

/** `Operation.Member` for each input member, and `Operation.List.0.Member` for the members of list entries (Targets, Entries). */
function inputMembers(operation: ServedOperation): string[] {
  const input = API.shapes[API.operations[operation]!.input!.shape]!;
  const members: string[] = [];
  for (const [name, ref] of Object.entries(input.members ?? {})) {
    members.push(`${operation}.${name}`);
    const shape = API.shapes[ref.shape]!;
    const entry = shape.type === 'list' ? API.shapes[shape.member!.shape]! : undefined;
    // The entries of a refused list (PutRule.Tags) are refused with it.
    if (entry?.type === 'structure' && !(`${operation}.${name}` in UNSERVED_MEMBERS)) for (const inner of Object.keys(entry.members ?? {})) members.push(`${operation}.${name}.0.${inner}`);
  }
  return members;
}

/** Whether the baseline of `key`'s operation carries the member `key` names. */
function inBaseline(key: string): boolean {
  const [operation, ...path] = key.split('.');
  let node: unknown = BASELINES[operation as ServedOperation](0);
  for (const step of path) node = (node as Record<string, unknown> | undefined)?.[step];
  return node !== undefined;
}

describe('local EventBridge endpoint conforms to the official API model', function () {
  this.timeout(120_000);
  let bus: LocalEventBus;
  let server: EventBridgeServer;
  let client: EventBridgeClient;
  let n = 0;

  before(async () => {
    bus = new LocalEventBus();
    const clock = new LocalClock();
    const queue = new LocalQueue({ name: 'conformance-q', clock });
    server = await startEventBridgeServer({ bus, queues: [queue] });
    client = new EventBridgeClient(server.clientConfig());
    for (const name of ['existing', 'existing-2', 'targets-rule', 'listed-rule']) {
      await client.send(new eventbridge.PutRuleCommand({ Name: name, EventPattern: PATTERN }));
    }
    await client.send(new eventbridge.PutTargetsCommand({ Rule: 'listed-rule', Targets: [{ Id: 'a', Arn: QUEUE_ARN }, { Id: 'b', Arn: QUEUE_ARN }] }));
  });
  after(async () => {
    client.destroy();
    await server.close();
  });

  /** Sends `operation` with `input` through the real SDK command of that name. */
  async function send(operation: string, input: Record<string, unknown>): Promise<unknown> {
    const Command = (eventbridge as unknown as Record<string, new (input: unknown) => eventbridge.DescribeRuleCommand>)[`${operation}Command`]!;
    return client.send(new Command(input));
  }

  async function prepare(operation: ServedOperation, i: number): Promise<Record<string, unknown>> {
    const input = structuredClone(BASELINES[operation](i));
    if (operation === 'DeleteRule') await client.send(new eventbridge.PutRuleCommand({ Name: input.Name as string, EventPattern: PATTERN }));
    if (operation === 'RemoveTargets') {
      await client.send(new eventbridge.PutRuleCommand({ Name: input.Rule as string, EventPattern: PATTERN }));
      await client.send(new eventbridge.PutTargetsCommand({ Rule: input.Rule as string, Targets: [{ Id: 'doomed-target', Arn: QUEUE_ARN }] }));
    }
    // The list baselines carry a NextToken the server issued for the same arguments (Limit 1, so there is one).
    if (operation === 'ListRules') {
      input.NextToken = (await client.send(new eventbridge.ListRulesCommand({ NamePrefix: 'e', Limit: 1 }))).NextToken;
    }
    if (operation === 'ListTargetsByRule') {
      input.NextToken = (await client.send(new eventbridge.ListTargetsByRuleCommand({ Rule: 'listed-rule', Limit: 1 }))).NextToken;
    }
    return input;
  }

  for (const operation of SERVED_OPERATIONS) {
    it(`accepts the baseline ${operation} request the cases below break`, async () => {
      const input = await prepare(operation, ++n);
      const output = (await send(operation, input)) as { FailedEntryCount?: number };
      // A baseline that "succeeds" with failed entries would hide the cases' reasons behind per-entry errors.
      expect(output.FailedEntryCount ?? 0).to.equal(0);
    });

    itRejectsEachBrokenConstraint({
      cases: casesFor(operation),
      gaps: deliberateGaps(DELIBERATE_GAPS, 'the server'),
      prepare: () => prepare(operation, ++n),
      send: (input) => send(operation, input),
      // ValidationException is not in the model's per-operation error lists: it is a common error.
      expectRejection: (outcome, c) => expectRefusalNaming(outcome, c, { name: 'ValidationException', allowed: Object.keys(COMMON_ERRORS) }),
    });
  }

  describe('members the server refuses (UNSERVED_MEMBERS)', () => {
    for (const [key, { value, reason }] of Object.entries(UNSERVED_MEMBERS)) {
      it(`refuses ${key} with a ValidationException naming it (deliberate: ${reason})`, async () => {
        // Prepare: the baseline plus the member, at a value EventBridge accepts
        const [operation, ...path] = key.split('.') as [ServedOperation, ...string[]];
        const input = await prepare(operation, ++n);
        let node = input as Record<string, unknown>;
        for (const step of path.slice(0, -1)) node = node[step] as Record<string, unknown>;
        node[path.at(-1)!] = value;
        // Act
        const outcome = await outcomeOf(send(operation, input));
        // Assess
        expect(outcome, `${key} was accepted: remove it from UNSERVED_MEMBERS (and add it to the baseline)`).to.not.equal(undefined);
        expect(outcome!.name).to.equal('ValidationException');
        expect(outcome!.$metadata?.httpStatusCode).to.equal(400);
        expect(outcome!.message).to.include(path.at(-1)!);
      });
    }

    it('leaves no input member of a served operation unaccounted for: each is in a baseline, refused, or not sendable', () => {
      const silent = SERVED_OPERATIONS.flatMap(inputMembers).filter((key) => !inBaseline(key) && !(key in UNSERVED_MEMBERS) && !(key in NOT_SENT));
      expect(silent).to.deep.equal([]);
      // And the tables name real members: a typo would otherwise list a gap nobody can hit.
      const members = new Set(SERVED_OPERATIONS.flatMap(inputMembers));
      for (const key of [...Object.keys(UNSERVED_MEMBERS), ...Object.keys(NOT_SENT)]) expect(members, key).to.include(key);
    });
  });

  describe('errors', () => {
    it('lists, for every served operation, only errors the model declares for it or common errors with a citation', () => {
      for (const operation of SERVED_OPERATIONS) {
        const declared = declaredErrors(API, operation);
        const undeclared = ERRORS_BY_OPERATION[operation].filter((error) => !declared.includes(error));
        for (const error of undeclared) {
          expect(COMMON_ERRORS, `${operation} may answer ${error}, neither declared nor a listed common error`).to.have.property(error);
          expect(COMMON_ERRORS[error]).to.match(/^https:\/\/docs\.aws\.amazon\.com\//);
        }
      }
    });

    it('answered, during this suite, only errors listed for their operation, and answered some', () => {
      // At least one error per enforced case and per refused member.
      const enforced = SERVED_OPERATIONS.flatMap(casesFor).filter((c) => !(c.key in DELIBERATE_GAPS)).length;
      expect(server.answered.length).to.be.at.least(enforced + Object.keys(UNSERVED_MEMBERS).length);
      for (const { operation, error } of server.answered) {
        expect((ERRORS_BY_OPERATION as Record<string, readonly string[]>)[operation] ?? [], `${operation} answered ${error}`).to.include(error);
      }
    });
  });

  it('generates a case for every constrained member of every served operation (the generator is not empty)', () => {
    expect(SERVED_OPERATIONS.flatMap(casesFor).length).to.be.greaterThan(60);
  });
});
