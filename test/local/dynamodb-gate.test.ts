import { expect } from 'chai';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { BY_TARGET_INDEX } from '../../infra/table-schema';
import { startDynamoGate, type DynamoGate } from '../../local/dynamodb-gate';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';
import { LocalAuthorizer, type LocalPrincipal, type PolicyDocumentLike } from '../../local/iam/authorizer';
import { errorOf } from '../support/error-of';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const TABLE = 'schedules';
const OTHER_TABLE = 'secrets';
const SEALED_TABLE = 'sealed';
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const tableArn = (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
const indexArn = `${tableArn(TABLE)}/index/${BY_TARGET_INDEX.name}`;

const allow = (Action: string[], Resource: string[], Condition?: Record<string, Record<string, string>>): PolicyDocumentLike => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) }],
});

function principal(name: string, ...policies: PolicyDocumentLike[]): LocalPrincipal {
  return {
    name,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/${name}-function`,
    accessKeyId: `AKIA${name.toUpperCase().replace(/[^A-Z]/g, '')}`,
    secretAccessKey: `secret-${name}`,
    policies: policies.map((policy, index) => ({ name: `${name}-${index}`, policy })),
  };
}

const viaDynamo = { StringEquals: { 'kms:ViaService': `dynamodb.${REGION}.amazonaws.com` } };
const viaS3 = { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } };
const sealedData = allow(['dynamodb:PutItem', 'dynamodb:GetItem'], [tableArn(SEALED_TABLE)]);
const keyUse = ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt'];

const writer = principal('writer', allow(['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:ConditionCheckItem'], [tableArn(TABLE)]), allow(['dynamodb:ListTables'], ['*']));
const reader = principal('reader', allow(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'], [tableArn(TABLE)]));
const indexReader = principal('index-reader', allow(['dynamodb:Query'], [indexArn]));
const sealedNoKey = principal('sealed-no-key', sealedData);
const sealedViaDynamo = principal('sealed-via-dynamo', sealedData, allow(keyUse, [KEY_ARN], viaDynamo));
const sealedViaS3 = principal('sealed-via-s3', sealedData, allow(keyUse, [KEY_ARN], viaS3));
const sealedReadOnlyKey = principal('sealed-read-only-key', sealedData, allow(['kms:Decrypt'], [KEY_ARN], viaDynamo));
/** Granted use of the key by the key's policy only. */
const sealedByKeyPolicy = principal('sealed-by-key-policy', sealedData);
/** A policy iam-simulate cannot evaluate: the gate's AuthorizationModelError. */
const broken = principal('broken', { Version: '2012-10-17', Statement: [{ Effect: 'Perhaps', Action: 'dynamodb:GetItem', Resource: '*' }] });

/**
 * KMS honours identity policies only when the key policy delegates to the account (the default key policy's
 * root statement), and iam-simulate models that: without it, no identity grant of the key would count.
 */
const keyPolicy: PolicyDocumentLike = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'OneRoleViaDynamo', Effect: 'Allow', Principal: { AWS: sealedByKeyPolicy.roleArn }, Action: keyUse, Resource: '*', Condition: viaDynamo },
  ],
};

describe('DynamoDB IAM gate', () => {
  let dynamo: LocalDynamo;
  let authorizer: LocalAuthorizer;
  let gate: DynamoGate;

  before(async () => {
    dynamo = await startLocalDynamo(REGION);
    await Promise.all([TABLE, OTHER_TABLE, SEALED_TABLE].map((name) => dynamo.createStateStoreTable(name)));
    authorizer = new LocalAuthorizer({
      accountId: ACCOUNT,
      principals: [writer, reader, indexReader, sealedNoKey, sealedViaDynamo, sealedViaS3, sealedReadOnlyKey, sealedByKeyPolicy, broken],
      resourcePolicies: new Map([[KEY_ARN, keyPolicy]]),
    });
    gate = await startDynamoGate({ target: dynamo.endpoint, authorizer, tableKeys: new Map([[SEALED_TABLE, KEY_ARN]]) });
    await dynamo.doc.send(new PutCommand({ TableName: OTHER_TABLE, Item: { groupName: 'g', scheduleName: 'hidden' } }));
  });

  after(async () => {
    await gate?.close();
    await dynamo?.close();
  });

  it('passes an allowed PutItem and GetItem through to dynalite', async () => {
    const item = { groupName: 'default', scheduleName: 'nightly', targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:f' };
    await gate.docFor(writer).send(new PutCommand({ TableName: TABLE, Item: item }));
    const { Item } = await gate.docFor(reader).send(new GetCommand({ TableName: TABLE, Key: { groupName: 'default', scheduleName: 'nightly' } }));
    expect(Item).to.deep.equal(item);
  });

  it('answers ListTables (resource *) for a role granted it on *', async () => {
    const { TableNames } = await gate.docFor(writer).send(new ListTablesCommand({}));
    expect(TableNames).to.include.members([TABLE, OTHER_TABLE, SEALED_TABLE]);
  });

  it('passes a transaction whose every item is allowed', async () => {
    await gate.docFor(writer).send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: TABLE, Item: { groupName: 'tx', scheduleName: 'a' } } },
          { ConditionCheck: { TableName: TABLE, Key: { groupName: 'default', scheduleName: 'nightly' }, ConditionExpression: 'attribute_exists(groupName)' } },
        ],
      }),
    ).catch((error: Error) => {
      // dynalite lacks TransactWriteItems (local/dynamodb.ts): what matters is that the gate let it through.
      expect(error.name).to.not.equal('AccessDeniedException');
    });
    const decided = authorizer.log.filter((r) => r.caller === 'writer' && ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'].includes(r.action) && r.resource === tableArn(TABLE));
    expect(new Set(decided.map((r) => `${r.action} ${r.result}`))).to.deep.equal(new Set(['dynamodb:PutItem Allowed', 'dynamodb:ConditionCheckItem Allowed']));
  });

  const denied: Array<{ name: string; caller: LocalPrincipal; send: (gate: DynamoGate) => Promise<unknown>; action: string; resource: string }> = [
    {
      name: 'PutItem by a role without dynamodb:PutItem',
      caller: reader,
      send: (g) => g.docFor(reader).send(new PutCommand({ TableName: TABLE, Item: { groupName: 'x', scheduleName: 'y' } })),
      action: 'dynamodb:PutItem',
      resource: tableArn(TABLE),
    },
    {
      name: 'Query of the byTarget index with a table-only grant',
      caller: reader,
      send: (g) =>
        g.docFor(reader).send(
          new QueryCommand({ TableName: TABLE, IndexName: BY_TARGET_INDEX.name, KeyConditionExpression: '#t = :t', ExpressionAttributeNames: { '#t': BY_TARGET_INDEX.partition }, ExpressionAttributeValues: { ':t': 'arn' } }),
        ),
      action: 'dynamodb:Query',
      resource: indexArn,
    },
    {
      name: 'BatchGetItem across a table the role cannot read',
      caller: reader,
      send: (g) =>
        g.docFor(reader).send(
          new BatchGetCommand({
            RequestItems: { [TABLE]: { Keys: [{ groupName: 'default', scheduleName: 'nightly' }] }, [OTHER_TABLE]: { Keys: [{ groupName: 'g', scheduleName: 'hidden' }] } },
          }),
        ),
      action: 'dynamodb:BatchGetItem',
      resource: tableArn(OTHER_TABLE),
    },
    {
      name: 'a transaction item the role may not write',
      caller: writer,
      send: (g) => g.docFor(writer).send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: OTHER_TABLE, Item: { groupName: 'g', scheduleName: 'z' } } }] })),
      action: 'dynamodb:PutItem',
      resource: tableArn(OTHER_TABLE),
    },
    {
      name: 'ListTables by a role with no grant on *',
      caller: reader,
      send: (g) => g.docFor(reader).send(new ListTablesCommand({})),
      action: 'dynamodb:ListTables',
      resource: '*',
    },
  ];
  for (const { name, caller, send, action, resource } of denied) {
    it(`denies ${name} with AccessDeniedException (400) and logs the denial`, async () => {
      const error = await errorOf(send(gate));
      expect(error.name).to.equal('AccessDeniedException');
      expect(error.$metadata?.httpStatusCode).to.equal(400);
      expect(error.message).to.equal(`User: ${caller.sessionArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`);
      expect(authorizer.denials()).to.deep.include({ caller: caller.name, action, resource, context: { 'aws:SecureTransport': 'true' }, allowed: false, result: 'ImplicitlyDenied' });
    });
  }

  it('allows a Query of the byTarget index to a role granted the index ARN', async () => {
    const { Items } = await gate.docFor(indexReader).send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: BY_TARGET_INDEX.name,
        KeyConditionExpression: '#t = :t',
        ExpressionAttributeNames: { '#t': BY_TARGET_INDEX.partition },
        ExpressionAttributeValues: { ':t': 'arn:aws:lambda:us-east-1:123456789012:function:f' },
      }),
    );
    expect(Items?.map((item) => item.scheduleName)).to.deep.equal(['nightly']);
  });

  it('does not forward a denied write', async () => {
    const { Item } = await dynamo.doc.send(new GetCommand({ TableName: TABLE, Key: { groupName: 'x', scheduleName: 'y' } }));
    expect(Item).to.equal(undefined);
  });

  it('answers UnrecognizedClientException (400) to an access key nobody was given', async () => {
    const client = new DynamoDBClient({ endpoint: gate.endpoint, region: REGION, credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' } });
    try {
      const error = await errorOf(client.send(new ListTablesCommand({})));
      expect(error.name).to.equal('UnrecognizedClientException');
      expect(error.$metadata?.httpStatusCode).to.equal(400);
      expect(error.message).to.equal('The security token included in the request is invalid.');
    } finally {
      client.destroy();
    }
  });

  it('answers InternalServerError (500) when the policies cannot be evaluated, and keeps serving', async () => {
    const client = new DynamoDBClient({ endpoint: gate.endpoint, region: REGION, maxAttempts: 1, credentials: broken });
    try {
      const error = await errorOf(client.send(new ListTablesCommand({})));
      expect(error.name).to.equal('InternalServerError');
      expect(error.$metadata?.httpStatusCode).to.equal(500);
      expect(error.message).to.match(/^AuthorizationModelError: /);
    } finally {
      client.destroy();
    }
    const { TableNames } = await gate.docFor(writer).send(new ListTablesCommand({}));
    expect(TableNames).to.include(TABLE);
  });

  describe('a table encrypted with a customer managed key', () => {
    const item = { groupName: 'sealed', scheduleName: 'one' };
    const cases: Array<{ name: string; caller: LocalPrincipal; put: 'allowed' | string; get: 'allowed' | string }> = [
      { name: 'a role with no key grant', caller: sealedNoKey, put: 'kms:Decrypt', get: 'kms:Decrypt' },
      { name: 'a role granted the key via dynamodb', caller: sealedViaDynamo, put: 'allowed', get: 'allowed' },
      { name: 'a role granted the key via s3 only', caller: sealedViaS3, put: 'kms:Decrypt', get: 'kms:Decrypt' },
      { name: 'a role granted kms:Decrypt only', caller: sealedReadOnlyKey, put: 'kms:GenerateDataKey', get: 'allowed' },
      { name: 'a role granted the key by the key policy', caller: sealedByKeyPolicy, put: 'allowed', get: 'allowed' },
    ];
    for (const { name, caller, put, get } of cases) {
      it(`${put === 'allowed' ? 'lets' : 'refuses'} ${name} write${get === 'allowed' ? ', and lets it read' : ' or read'}`, async () => {
        const doc = gate.docFor(caller);
        const attempts = [
          { expected: put, send: () => doc.send(new PutCommand({ TableName: SEALED_TABLE, Item: { ...item, by: caller.name } })) },
          { expected: get, send: () => doc.send(new GetCommand({ TableName: SEALED_TABLE, Key: item })) },
        ];
        for (const { expected, send } of attempts) {
          if (expected === 'allowed') {
            const output = (await send()) as { Item?: Record<string, unknown> };
            if ('Item' in output) expect(output.Item).to.include(item);
            continue;
          }
          const error = await errorOf(send());
          expect(error.name).to.equal('AccessDeniedException');
          expect(error.message).to.contain(`is not authorized to perform: ${expected} on resource: ${KEY_ARN}`);
          expect(authorizer.denials()).to.deep.include({
            caller: caller.name,
            action: expected,
            resource: KEY_ARN,
            context: { 'kms:ViaService': `dynamodb.${REGION}.amazonaws.com`, 'kms:CallerAccount': ACCOUNT },
            allowed: false,
            result: 'ImplicitlyDenied',
          });
        }
      });
    }
  });
});
