/**
 * dynalite (a real DynamoDB HTTP API, in-process) with the state store's table, for tests, the sandbox
 * and the benchmark. Known gaps (../shared/LOCAL-ENGINES.md): no TransactWriteItems, no TTL expiry.
 */
import { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BY_TARGET_INDEX, STATE_STORE_KEYS } from '../infra/table-schema';

// dynalite ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => import('node:http').Server;

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  createStateStoreTable(tableName: string): Promise<void>;
  close(): Promise<void>;
}

export async function startLocalDynamo(region = 'us-east-1'): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region, credentials: LOCAL_CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint,
    client,
    doc,
    createStateStoreTable: (tableName) => createStateStoreTable(client, tableName),
    async close() {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

async function createStateStoreTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: STATE_STORE_KEYS.partition, AttributeType: 'S' },
        { AttributeName: STATE_STORE_KEYS.sort, AttributeType: 'S' },
        { AttributeName: BY_TARGET_INDEX.partition, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: STATE_STORE_KEYS.partition, KeyType: 'HASH' },
        { AttributeName: STATE_STORE_KEYS.sort, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: BY_TARGET_INDEX.name,
          KeySchema: [{ AttributeName: BY_TARGET_INDEX.partition, KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  // Even with createTableMs 0, dynalite answers ResourceNotFoundException until the table is ACTIVE, as
  // DynamoDB does while a table is CREATING. The SDK waiter polls at ≥ 1 s; poll faster here.
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
