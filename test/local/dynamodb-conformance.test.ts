/**
 * DynamoDB as the project runs it locally — dynalite (local/dynamodb.ts) behind the project's IAM gate
 * (local/dynamodb-gate.ts) — against the official API model (../shared/aws-models/dynamodb.service-2.json),
 * generated, not re-typed, through the real DynamoDBClient. For every operation the project sends, a baseline that
 * succeeds, and every constraint the model gives a member of it broken once: the answer must be ValidationException
 * (400), DynamoDB's common error for a request that breaks the model
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html), naming the member.
 *
 * Why through the gate: it is what the project's Lambdas talk to in the local stack, it answers some errors itself
 * (a missing TableName is refused before dynalite sees it) and it must pass dynalite's errors through unchanged; the
 * caller is allowed everything, so IAM never decides a case here (test/local/dynamodb-gate.test.ts covers IAM).
 *
 * dynalite is third-party: where it does not enforce what the model says, KNOWN_GAPS says so, with the consequence
 * for this project, checked both ways.
 */
import * as ddb from '@aws-sdk/client-dynamodb';
import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { BY_TARGET_INDEX } from '../../infra/table-schema';
import { startDynamoGate, type DynamoGate } from '../../local/dynamodb-gate';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';
import { LocalAuthorizer, type LocalPrincipal } from '../../local/iam/authorizer';
import {
  constraintCases,
  declaredErrors,
  itRejectsEachBrokenConstraint,
  loadApiModel,
  outcomeOf,
  setAt,
  type ApiModel,
  type ConstraintCase,
  type Gap,
  type SdkError,
} from '../support/api-model';

const API = loadApiModel('dynamodb');

type Input = Record<string, unknown>;

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const TABLE = 'conformance';
/** Holds only what the pagination tests seed, so that a Scan of it has a known answer. */
const PAGED = 'conformance-paged';
/** A second table for the batch limits across tables. */
const OTHER = 'conformance-other';

/**
 * The errors any DynamoDB operation may answer, with their HTTP status, from Programming.Errors.html ("DynamoDB
 * errors"): 400 for the client errors, 500 InternalServerError, 503 ServiceUnavailable.
 */
const COMMON_ERRORS: Record<string, number> = {
  AccessDeniedException: 400,
  ConditionalCheckFailedException: 400,
  IncompleteSignatureException: 400,
  ItemCollectionSizeLimitExceededException: 400,
  LimitExceededException: 400,
  MissingAuthenticationTokenException: 400,
  ProvisionedThroughputExceededException: 400,
  RequestLimitExceeded: 400,
  ResourceInUseException: 400,
  ResourceNotFoundException: 400,
  ThrottlingException: 400,
  UnrecognizedClientException: 400,
  ValidationException: 400,
  InternalServerError: 500,
  ServiceUnavailable: 503,
};

/** The operations the project sends (functions/adapters/store.ts, cli/commands/query.ts, local/truth.ts, bench/seed.ts, local/dynamodb.ts). */
type Operation = 'GetItem' | 'PutItem' | 'UpdateItem' | 'BatchGetItem' | 'Query' | 'Scan' | 'BatchWriteItem' | 'CreateTable' | 'DescribeTable';

const S = (value: string): AttributeValue => ({ S: value });
const keyOf = (group: string, name: string) => ({ groupName: S(group), scheduleName: S(name) });
const EXISTING = keyOf('g', 'existing');
const TARGET = 'arn:aws:lambda:us-east-1:123456789012:function:f';

/** The state store's table, as local/dynamodb.ts creates it (infra/table-schema.ts). */
const tableDefinition = (name: string): Input => ({
  TableName: name,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'groupName', AttributeType: 'S' },
    { AttributeName: 'scheduleName', AttributeType: 'S' },
    { AttributeName: BY_TARGET_INDEX.partition, AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'groupName', KeyType: 'HASH' },
    { AttributeName: 'scheduleName', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [{ IndexName: BY_TARGET_INDEX.name, KeySchema: [{ AttributeName: BY_TARGET_INDEX.partition, KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
});

/** A request of each operation that succeeds, with the members the project sends (and the constrained ones around them). */
const BASELINES: Record<Operation, (n: number) => Input> = {
  GetItem: () => ({
    TableName: TABLE,
    Key: EXISTING,
    ConsistentRead: true,
    ProjectionExpression: '#s',
    ExpressionAttributeNames: { '#s': 'status' },
    ReturnConsumedCapacity: 'TOTAL',
  }),
  PutItem: (n) => ({
    TableName: TABLE,
    Item: { ...keyOf('g', `put-${n}`), status: S('PRESENT') },
    ConditionExpression: 'attribute_not_exists(#v) OR #v < :v',
    ExpressionAttributeNames: { '#v': 'version' },
    ExpressionAttributeValues: { ':v': { N: '1' } },
    ReturnValues: 'ALL_OLD',
    ReturnConsumedCapacity: 'TOTAL',
    ReturnItemCollectionMetrics: 'SIZE',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  }),
  UpdateItem: (n) => ({
    TableName: TABLE,
    Key: keyOf('g', `update-${n}`),
    UpdateExpression: 'SET #s = :s REMOVE #t',
    ConditionExpression: 'attribute_not_exists(#v) OR #v < :v',
    ExpressionAttributeNames: { '#s': 'status', '#t': 'targetArn', '#v': 'version' },
    ExpressionAttributeValues: { ':s': S('DELETED'), ':v': { N: '1' } },
    ReturnValues: 'ALL_NEW',
    ReturnConsumedCapacity: 'TOTAL',
    ReturnItemCollectionMetrics: 'SIZE',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  }),
  BatchGetItem: () => ({
    RequestItems: { [TABLE]: { Keys: [EXISTING], ConsistentRead: true, ProjectionExpression: '#s', ExpressionAttributeNames: { '#s': 'status' } } },
    ReturnConsumedCapacity: 'TOTAL',
  }),
  Query: () => ({
    TableName: TABLE,
    IndexName: BY_TARGET_INDEX.name,
    KeyConditionExpression: '#t = :t',
    FilterExpression: '#s = :s',
    ExpressionAttributeNames: { '#t': BY_TARGET_INDEX.partition, '#s': 'status' },
    ExpressionAttributeValues: { ':t': S(TARGET), ':s': S('PRESENT') },
    Select: 'ALL_ATTRIBUTES',
    Limit: 10,
    ScanIndexForward: true,
    ReturnConsumedCapacity: 'TOTAL',
  }),
  Scan: () => ({
    TableName: TABLE,
    IndexName: BY_TARGET_INDEX.name,
    FilterExpression: '#s = :s',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ':s': S('PRESENT') },
    Select: 'ALL_ATTRIBUTES',
    Limit: 10,
    Segment: 0,
    TotalSegments: 2,
    ReturnConsumedCapacity: 'TOTAL',
  }),
  BatchWriteItem: (n) => ({
    RequestItems: { [TABLE]: [{ PutRequest: { Item: { ...keyOf('batch', `item-${n}`), status: S('PRESENT') } } }] },
    ReturnConsumedCapacity: 'TOTAL',
    ReturnItemCollectionMetrics: 'SIZE',
  }),
  CreateTable: (n) => tableDefinition(`conformance-new-${n}`),
  DescribeTable: () => ({ TableName: TABLE }),
};

/**
 * The model's TableName members are `TableArn` (1 to 1,024 characters: a name or an ARN); a name must also satisfy
 * the model's `TableName` shape (3 to 255 characters of [a-zA-Z0-9_.-]). The kit generates the first; these cases are
 * the second, for every operation whose baseline names a table.
 */
function tableNameCases(operation: Operation, baseline: Input): ConstraintCase[] {
  if (typeof baseline.TableName !== 'string') return [];
  const shape = API.shapes.TableName!;
  const broken: Array<[string, string]> = [
    [`length ≥ ${shape.min}`, 'a'.repeat(shape.min! - 1)],
    [`length ≤ ${shape.max}`, 'a'.repeat(shape.max! + 1)],
    [`pattern ${shape.pattern}`, 'bad table name'],
  ];
  return broken.map(([constraint, value]) => ({
    operation,
    path: ['TableName'],
    constraint: `(name) ${constraint}`,
    key: `${operation}.TableName (name) ${constraint}`,
    breakIt: (input: Input) => setAt(input, ['TableName'], value),
  }));
}

/**
 * The kit walks structures and lists, not maps. BatchGetItem and BatchWriteItem carry their requests in a map by
 * table (RequestItems): these cases bound its size and walk the baseline's entry as the kit walks a member, by
 * handing the kit a model in which that entry is the one member of an operation's input.
 */
function requestItemsCases(api: ApiModel, operation: Operation, baseline: Input): ConstraintCase[] {
  const ref = api.shapes[api.operations[operation]!.input!.shape]!.members?.RequestItems;
  const requestItems = baseline.RequestItems as Record<string, unknown> | undefined;
  if (!ref || !requestItems) return [];
  const map = api.shapes[ref.shape] as ApiModel['shapes'][string] & { value: { shape: string } };
  const [table, entry] = Object.entries(requestItems)[0]!;
  const cases: ConstraintCase[] = [];
  const add = (constraint: string, breakIt: (input: Input) => void, path: Array<string | number> = ['RequestItems']) =>
    cases.push({ operation, path, constraint, key: `${operation}.${path.join('.')} ${constraint}`, breakIt });
  const tables = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`${table}${i}`, structuredClone(entry)]));
  if (map.max !== undefined) add(`at most ${map.max} entries`, (input) => setAt(input, ['RequestItems'], tables(map.max! + 1)));
  if ((map.min ?? 0) > 0) add(`at least ${map.min} entries`, (input) => setAt(input, ['RequestItems'], tables(map.min! - 1)));

  const synthetic = `${operation}.RequestItems.entry`;
  const model: ApiModel = {
    ...api,
    shapes: { ...api.shapes, [synthetic]: { type: 'structure', members: { [table]: { shape: map.value.shape } } } },
    operations: { ...api.operations, [synthetic]: { name: synthetic, input: { shape: synthetic } } },
  };
  for (const c of constraintCases(model, synthetic, { [table]: entry })) {
    add(
      c.constraint,
      (input) => {
        // The entry is broken in a holder and put back, so that a case replacing the whole entry (a list) lands too.
        const items = input.RequestItems as Record<string, unknown>;
        const holder = { [table]: items[table] };
        c.breakIt(holder);
        items[table] = holder[table];
      },
      ['RequestItems', ...c.path],
    );
  }
  return cases;
}

/** Every AttributeName in `node`, at any depth, that equals `from`, renamed `to`. */
function renameAttribute(node: unknown, from: string, to: unknown): void {
  if (Array.isArray(node)) node.forEach((entry) => renameAttribute(entry, from, to));
  else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    for (const [member, value] of Object.entries(record)) {
      if (member === 'AttributeName' && value === from) record[member] = to;
      else renameAttribute(value, from, to);
    }
  }
}

/**
 * A CreateTable attribute name is a reference: the key schemas name what AttributeDefinitions defines. Broken in one
 * place only, the request fails for the dangling reference, whatever the engine thinks of the name, and the case
 * would pass for the wrong reason; so the broken name replaces the attribute's name everywhere.
 */
function consistently(c: ConstraintCase): ConstraintCase {
  if (c.operation !== 'CreateTable' || c.path.at(-1) !== 'AttributeName') return c;
  return {
    ...c,
    breakIt(input) {
      const broken = structuredClone(input);
      c.breakIt(broken);
      const at = (root: Input) => c.path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], root);
      const from = at(input);
      if (typeof from !== 'string') throw new Error(`${c.key}: the baseline has no attribute name at ${c.path.join('.')}`);
      renameAttribute(input, from, at(broken));
    },
  };
}

const casesFor = (operation: Operation) => {
  const baseline = BASELINES[operation](0);
  return [...constraintCases(API, operation, baseline), ...tableNameCases(operation, baseline), ...requestItemsCases(API, operation, baseline)].map(consistently);
};
const OPERATIONS = Object.keys(BASELINES) as Operation[];

/**
 * Constraints of the model dynalite 4.0.0 does not enforce, by `Operation.path constraint`, with the consequence for
 * this project. Checked both ways: a listed gap dynalite does enforce fails its test.
 */
const KNOWN_GAPS: Record<string, { answers: 'success' | string; consequence: string }> = {
  'PutItem.ReturnValuesOnConditionCheckFailure enum': {
    answers: 'success',
    consequence:
      'none for correctness: the store always sends ALL_OLD; dynalite ignores the member altogether (it never returns the item with a ConditionalCheckFailedException), so locally functions/adapters/store.ts always takes its fallback consistent read',
  },
  'UpdateItem.ReturnValuesOnConditionCheckFailure enum': { answers: 'success', consequence: 'as PutItem.ReturnValuesOnConditionCheckFailure' },
  'Scan.TotalSegments ≤ 1000000': { answers: 'success', consequence: 'none: the project never runs a parallel Scan' },
  ...Object.fromEntries(
    ['AttributeDefinitions.0', 'KeySchema.0', 'GlobalSecondaryIndexes.0.KeySchema.0'].flatMap((at) =>
      ['length ≤ 255', 'length ≥ 1'].map((constraint) => [
        `CreateTable.${at}.AttributeName ${constraint}`,
        {
          answers: 'success',
          consequence:
            'none today: the only schema the project creates is infra/table-schema.ts (groupName, scheduleName, targetArn); a key attribute name that is empty or over 255 characters would pass locally and fail at deploy',
        },
      ]),
    ),
  ),
  [`BatchWriteItem.RequestItems at most 25 entries`]: {
    answers: 'ResourceNotFoundException',
    consequence:
      'dynalite bounds each table’s list to 25 but neither the number of tables nor the total across tables (see the 26-requests-over-two-tables test): a batch DynamoDB refuses passes locally. bench/seed.ts writes 25 to one table, so it stays within the limit today',
  },
};

/** KNOWN_GAPS as tests: the broken request still gets the answer listed (`success`: it is accepted). */
const GAP_TESTS: Record<string, Gap> = Object.fromEntries(
  Object.entries(KNOWN_GAPS).map(([key, gap]) => [
    key,
    {
      title: `does not enforce ${key}: answers ${gap.answers} (known dynalite gap, see KNOWN_GAPS)`,
      expectAnswer: (outcome: SdkError | undefined) =>
        expect(outcome?.name ?? 'success', `${key} is listed as a known gap answered ${gap.answers}: update KNOWN_GAPS`).to.equal(gap.answers),
    },
  ]),
);

/**
 * ValidationExceptions whose dynalite message does not name the member (DynamoDB's "Value … at '<member>' failed to
 * satisfy constraint" does) but states the rule in other words, by case key. Checked: the message is this one.
 */
const MESSAGES_WITHOUT_MEMBER: Record<string, RegExp> = {
  [`BatchGetItem.RequestItems at most 100 entries`]: /^Too many items requested for the BatchGetItem call$/,
  // dynalite checks the index's key schema before the enum of its KeyType.
  'CreateTable.GlobalSecondaryIndexes.0.KeySchema.0.KeyType enum': /^Invalid KeySchema: The first KeySchemaElement is not a HASH key type$/,
};

/** The answer is an error the operation declares or a common one, with the status Programming.Errors.html gives it. */
function expectAllowedError(operation: Operation, outcome: SdkError | undefined, name?: string): void {
  expect(outcome, `${operation} succeeded`).to.not.equal(undefined);
  if (name !== undefined) expect(outcome!.name).to.equal(name);
  expect([...declaredErrors(API, operation), ...Object.keys(COMMON_ERRORS)], `${outcome!.name} (${outcome!.message})`).to.include(outcome!.name);
  expect(outcome!.$metadata?.httpStatusCode).to.equal(COMMON_ERRORS[outcome!.name] ?? API.shapes[outcome!.name]?.error?.httpStatusCode ?? 400);
}

const principal = (name: string, actions: string[]): LocalPrincipal => ({
  name,
  roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
  sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/${name}`,
  accessKeyId: `AKIA${name.toUpperCase().replace(/[^A-Z]/g, '')}0000000`,
  secretAccessKey: `secret-${name}`,
  policies: actions.length === 0 ? [] : [{ name, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] } }],
});
/** Allowed every DynamoDB action on every resource: IAM never decides a conformance case. */
const everything = principal('everything', ['dynamodb:*']);
const nobody = principal('nobody', []);

describe('DynamoDB (dynalite behind the IAM gate) conforms to the official API model', function () {
  this.timeout(20_000);
  let dynamo: LocalDynamo;
  let gate: DynamoGate;
  /** Through the gate, as `everything`. */
  let client: DynamoDBClient;
  /** Straight to dynalite. */
  let direct: DynamoDBClient;
  let n = 0;

  const clientOf = (endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) =>
    // One attempt: a retried error would hide the first answer and slow the suite.
    new DynamoDBClient({ endpoint, region: REGION, maxAttempts: 1, credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey } });

  before(async () => {
    dynamo = await startLocalDynamo(REGION);
    await Promise.all([TABLE, PAGED, OTHER].map((name) => dynamo.createStateStoreTable(name)));
    gate = await startDynamoGate({ target: dynamo.endpoint, authorizer: new LocalAuthorizer({ accountId: ACCOUNT, principals: [everything, nobody] }) });
    client = clientOf(gate.endpoint, everything);
    direct = clientOf(dynamo.endpoint, everything);
    await direct.send(new ddb.PutItemCommand({ TableName: TABLE, Item: { ...EXISTING, status: S('PRESENT'), targetArn: S(TARGET) } }));
  });
  after(async () => {
    client?.destroy();
    direct?.destroy();
    await gate?.close();
    await dynamo?.close();
  });

  /** Sends `operation` with `input` through the real SDK command of that name. */
  function send(operation: string, input: Input, through: DynamoDBClient = client): Promise<unknown> {
    const Command = (ddb as unknown as Record<string, new (input: unknown) => ddb.GetItemCommand>)[`${operation}Command`]!;
    return through.send(new Command(input));
  }

  describe('constraints of the model', () => {
    for (const operation of OPERATIONS) {
      it(`accepts the baseline ${operation} request the cases below break`, async () => {
        await send(operation, BASELINES[operation](++n));
      });

      itRejectsEachBrokenConstraint({
        cases: casesFor(operation),
        gaps: GAP_TESTS,
        prepare: () => structuredClone(BASELINES[operation](++n)),
        send: (input) => send(operation, input),
        expectRejection(outcome, c) {
          expectAllowedError(operation, outcome, 'ValidationException');
          const message = MESSAGES_WITHOUT_MEMBER[c.key];
          if (message) expect(outcome!.message).to.match(message);
          else expect(outcome!.message.toLowerCase(), outcome!.message).to.include(String(c.path.at(-1)).toLowerCase());
        },
      });
    }

    it('generates a case for every constrained member of every baseline (the generator is not empty)', () => {
      const keys = OPERATIONS.flatMap(casesFor).map((c) => c.key);
      expect(keys).to.include.members([
        'Query.Limit ≥ 1',
        'Query.Select enum',
        'Query.IndexName pattern [a-zA-Z0-9_.-]+',
        'PutItem.ReturnValues enum',
        `BatchWriteItem.RequestItems.${TABLE} at most 25 entries`,
        `BatchGetItem.RequestItems.${TABLE}.Keys at most 100 entries`,
        'GetItem.TableName (name) length ≥ 3',
      ]);
      expect(keys.length).to.be.greaterThan(80);
    });
  });

  describe('errors', () => {
    /** Each error a request may meet, by the situation that causes it: a name the operation declares, or a common one. */
    const SITUATIONS: Array<{ operation: Operation; situation: string; input: () => Input; error: string; as?: LocalPrincipal | { accessKeyId: string; secretAccessKey: string } }> = [
      { operation: 'GetItem', situation: 'the table does not exist', input: () => ({ TableName: 'absent', Key: EXISTING }), error: 'ResourceNotFoundException' },
      { operation: 'GetItem', situation: 'the key lacks the sort key', input: () => ({ TableName: TABLE, Key: { groupName: S('g') } }), error: 'ValidationException' },
      { operation: 'GetItem', situation: 'TableName is missing (answered by the gate, before dynalite)', input: () => ({ Key: EXISTING }), error: 'ValidationException' },
      { operation: 'GetItem', situation: 'the caller has no grant (answered by the gate)', input: () => ({ TableName: TABLE, Key: EXISTING }), error: 'AccessDeniedException', as: nobody },
      {
        operation: 'GetItem',
        situation: 'the access key is nobody’s (answered by the gate)',
        input: () => ({ TableName: TABLE, Key: EXISTING }),
        error: 'UnrecognizedClientException',
        as: { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'x' },
      },
      {
        operation: 'PutItem',
        situation: 'the condition fails',
        input: () => ({ TableName: TABLE, Item: EXISTING, ConditionExpression: 'attribute_not_exists(groupName)' }),
        error: 'ConditionalCheckFailedException',
      },
      {
        operation: 'UpdateItem',
        situation: 'the condition fails',
        input: () => ({ TableName: TABLE, Key: EXISTING, UpdateExpression: 'SET #s = :s', ConditionExpression: 'attribute_not_exists(groupName)', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': S('X') } }),
        error: 'ConditionalCheckFailedException',
      },
      { operation: 'Query', situation: 'the index does not exist', input: () => ({ ...BASELINES.Query(0), IndexName: 'absent' }), error: 'ValidationException' },
      { operation: 'Query', situation: 'the table does not exist', input: () => ({ ...BASELINES.Query(0), TableName: 'absent', IndexName: undefined }), error: 'ResourceNotFoundException' },
      { operation: 'Scan', situation: 'ExclusiveStartKey is not a key of the table', input: () => ({ TableName: TABLE, ExclusiveStartKey: { other: S('x') } }), error: 'ValidationException' },
      { operation: 'BatchGetItem', situation: 'a table does not exist', input: () => ({ RequestItems: { absent: { Keys: [EXISTING] } } }), error: 'ResourceNotFoundException' },
      { operation: 'BatchWriteItem', situation: 'a table does not exist', input: () => ({ RequestItems: { absent: [{ PutRequest: { Item: EXISTING } }] } }), error: 'ResourceNotFoundException' },
      { operation: 'CreateTable', situation: 'the table exists', input: () => tableDefinition(TABLE), error: 'ResourceInUseException' },
      { operation: 'DescribeTable', situation: 'the table does not exist', input: () => ({ TableName: 'absent' }), error: 'ResourceNotFoundException' },
    ];
    for (const { operation, situation, input, error, as } of SITUATIONS) {
      it(`answers ${error}, declared by ${operation} or common, when ${situation}`, async () => {
        const through = as ? clientOf(gate.endpoint, as) : client;
        try {
          expectAllowedError(operation, await outcomeOf(send(operation, input(), through)), error);
        } finally {
          if (through !== client) through.destroy();
        }
      });
    }

    /** Representative dynalite errors: the gate must hand each back as dynalite answered it. */
    const PASSED_THROUGH = SITUATIONS.filter(({ situation, as }) => !as && !situation.includes('gate')).filter(
      ({ error }, i, all) => all.findIndex((other) => other.error === error) === i,
    );
    it('passes ConditionalCheckFailedException, ResourceNotFoundException and ValidationException through unchanged', () => {
      expect(PASSED_THROUGH.map(({ error }) => error)).to.include.members(['ConditionalCheckFailedException', 'ResourceNotFoundException', 'ValidationException']);
    });
    for (const { operation, situation, input, error } of PASSED_THROUGH) {
      it(`hands back dynalite's ${error} (${operation}, ${situation}) with the same name, status, fault and message`, async () => {
        const straight = await outcomeOf(send(operation, input(), direct));
        const gated = await outcomeOf(send(operation, input(), client));
        const seen = (e: SdkError | undefined) => e && { name: e.name, status: e.$metadata?.httpStatusCode, fault: (e as SdkError & { $fault?: string }).$fault, message: e.message };
        expect(seen(straight)?.name).to.equal(error);
        expect(seen(gated)).to.deep.equal(seen(straight));
      });
    }

    it('answers a ConditionalCheckFailedException the SDK recognises as that class (the store matches on the name)', async () => {
      const outcome = await outcomeOf(send('PutItem', { TableName: TABLE, Item: EXISTING, ConditionExpression: 'attribute_not_exists(groupName)' }));
      expect(outcome).to.be.instanceOf(ddb.ConditionalCheckFailedException);
    });

    it('returns no Item with a failed condition, although ReturnValuesOnConditionCheckFailure is ALL_OLD (known dynalite gap)', async () => {
      // DynamoDB returns the stored item (API_PutItem.html, ReturnValuesOnConditionCheckFailure); dynalite 4.0.0 does not,
      // so locally the store always takes its fallback consistent read, and its ALL_OLD path is proven only by
      // test/unit/store-adapter.test.ts (mocked). If this fails, dynalite returns the item: drop the gap.
      const outcome = await outcomeOf(
        send('PutItem', { TableName: TABLE, Item: EXISTING, ConditionExpression: 'attribute_not_exists(groupName)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
      );
      expect(outcome?.name).to.equal('ConditionalCheckFailedException');
      expect((outcome as SdkError & { Item?: unknown }).Item).to.equal(undefined);
    });
  });

  describe('pagination and batch limits', () => {
    const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const PAGED_TARGET = 'arn:aws:lambda:us-east-1:123456789012:function:paged';
    /** Alternately live (in the byTarget index) and tombstoned, as the store keeps them. */
    const live = (name: string) => NAMES.indexOf(name) % 2 === 0;

    before(async () => {
      await client.send(
        new ddb.BatchWriteItemCommand({
          RequestItems: {
            [PAGED]: NAMES.map((name) => ({
              PutRequest: { Item: { ...keyOf('paged', name), status: S(live(name) ? 'PRESENT' : 'DELETED'), ...(live(name) ? { targetArn: S(PAGED_TARGET) } : {}) } },
            })),
          },
        }),
      );
    });

    /** Follows LastEvaluatedKey from the first page to the last; every page holds at most `Limit` items. */
    async function allPages(operation: 'Query' | 'Scan', input: Input): Promise<{ names: string[]; pages: number; emptyPagesWithKey: number }> {
      const names: string[] = [];
      let pages = 0;
      let emptyPagesWithKey = 0;
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = (await send(operation, { ...input, ExclusiveStartKey: start })) as ddb.QueryCommandOutput;
        pages += 1;
        expect(page.Items?.length ?? 0).to.be.at.most(input.Limit as number);
        names.push(...(page.Items ?? []).map((item) => item.scheduleName!.S!));
        start = page.LastEvaluatedKey;
        if ((page.Items ?? []).length === 0 && start) emptyPagesWithKey += 1;
      } while (start);
      return { names, pages, emptyPagesWithKey };
    }

    const byGroup = { TableName: PAGED, KeyConditionExpression: 'groupName = :g', ExpressionAttributeValues: { ':g': S('paged') }, Limit: 1 };
    it('visits every item of a partition once, in sort-key order, following LastEvaluatedKey (Query, Limit 1)', async () => {
      const { names, pages } = await allPages('Query', { ...byGroup, ConsistentRead: true });
      expect(names).to.deep.equal(NAMES);
      expect(pages).to.be.at.least(NAMES.length);
    });

    it('visits every item of the byTarget index once following LastEvaluatedKey (Query of a GSI, Limit 1)', async () => {
      const { names } = await allPages('Query', { TableName: PAGED, IndexName: BY_TARGET_INDEX.name, KeyConditionExpression: 'targetArn = :t', ExpressionAttributeValues: { ':t': S(PAGED_TARGET) }, Limit: 1 });
      expect([...names].sort()).to.deep.equal(NAMES.filter(live));
      expect(new Set(names).size).to.equal(names.length);
    });

    it('applies Limit before the filter: pages come back empty with a LastEvaluatedKey, and the live items are each seen once (the CLI’s `query --group`, which filters on status)', async () => {
      const { names, emptyPagesWithKey } = await allPages('Query', { ...byGroup, FilterExpression: '#s = :present', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':g': S('paged'), ':present': S('PRESENT') } });
      expect(names).to.deep.equal(NAMES.filter(live));
      expect(emptyPagesWithKey).to.be.at.least(NAMES.length - NAMES.filter(live).length);
    });

    it('visits every item of the table once following LastEvaluatedKey (Scan, Limit 1)', async () => {
      const { names, pages } = await allPages('Scan', { TableName: PAGED, Limit: 1 });
      expect([...names].sort()).to.deep.equal(NAMES);
      expect(pages).to.be.at.least(NAMES.length);
    });

    const puts = (table: string, count: number, prefix: string) => Array.from({ length: count }, (_, i) => ({ PutRequest: { Item: keyOf(prefix, `${table}-${i}`) } }));
    const keys = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => keyOf(prefix, `k${i}`));

    it('accepts 25 write requests in one BatchWriteItem (bench/seed.ts writes 25 a call)', async () => {
      const { UnprocessedItems } = await client.send(new ddb.BatchWriteItemCommand({ RequestItems: { [OTHER]: puts(OTHER, 25, 'batch25') } }));
      expect(UnprocessedItems ?? {}).to.deep.equal({});
    });

    it('answers ValidationException to 26 distinct write requests in one BatchWriteItem', async () => {
      const outcome = await outcomeOf(client.send(new ddb.BatchWriteItemCommand({ RequestItems: { [OTHER]: puts(OTHER, 26, 'batch26') } })));
      expectAllowedError('BatchWriteItem', outcome, 'ValidationException');
    });

    it('does not refuse 26 write requests over two tables (known gap: DynamoDB allows 25 per call in all; consequence in KNOWN_GAPS)', async () => {
      // API_BatchWriteItem.html: the call fails with ValidationException when "there are more than 25 requests in the batch".
      const outcome = await outcomeOf(client.send(new ddb.BatchWriteItemCommand({ RequestItems: { [OTHER]: puts(OTHER, 13, 'split'), [PAGED]: puts(PAGED, 13, 'split') } })));
      expect(outcome?.name ?? 'success', 'dynalite now enforces the limit across tables: make this a ValidationException test').to.equal('success');
      // Leave PAGED as the Scan test expects it.
      await client.send(new ddb.BatchWriteItemCommand({ RequestItems: { [PAGED]: puts(PAGED, 13, 'split').map(({ PutRequest }) => ({ DeleteRequest: { Key: PutRequest.Item } })) } }));
    });

    it('accepts 100 keys in one BatchGetItem (the reconciler asks for 100 a call)', async () => {
      const { Responses, UnprocessedKeys } = await client.send(new ddb.BatchGetItemCommand({ RequestItems: { [OTHER]: { Keys: keys(100, 'get100') } } }));
      expect(Responses?.[OTHER]).to.deep.equal([]);
      expect(UnprocessedKeys ?? {}).to.deep.equal({});
    });

    // One table's Keys break the model's KeyList (≤ 100); two tables' together break the call's limit of 100 items
    // (API_BatchGetItem.html: "Too many items requested for the BatchGetItem call").
    const tooMany = [
      { what: '101 distinct keys in one table', items: () => ({ [OTHER]: { Keys: keys(101, 'get101') } }), message: /at 'requestItems\.conformance-other\.member\.keys' failed to satisfy constraint: Member must have length less than or equal to 100/ },
      { what: '102 keys over two tables', items: () => ({ [OTHER]: { Keys: keys(51, 'split') }, [PAGED]: { Keys: keys(51, 'split') } }), message: /^Too many items requested for the BatchGetItem call$/ },
    ];
    for (const { what, items, message } of tooMany) {
      it(`answers ValidationException to ${what} in one BatchGetItem`, async () => {
        const outcome = await outcomeOf(client.send(new ddb.BatchGetItemCommand({ RequestItems: items() })));
        expectAllowedError('BatchGetItem', outcome, 'ValidationException');
        expect(outcome!.message).to.match(message);
      });
    }
  });
});
