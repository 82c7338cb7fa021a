/**
 * Counts what the state store is asked, by wrapping the shared DynamoDB Document client's `send`: requests per
 * command, items read, items written, and the request units on-demand DynamoDB would bill for them.
 *
 * Request units follow https://aws.amazon.com/dynamodb/pricing/on-demand/: a strongly consistent read is one
 * read request unit per 4 KB of item, an eventually consistent one half of that; a standard write is one write
 * request unit per 1 KB. BatchGetItem bills each key as its own GetItem, found or not
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html); Query and Scan
 * bill the summed size of the items they evaluate (before filters and projections), rounded up to 4 KB per page.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GROUP_REGISTRY_PARTITION } from '../functions/core/types';

const READS = ['BatchGetCommand', 'QueryCommand', 'ScanCommand', 'GetCommand'] as const;
const WRITES = ['PutCommand', 'UpdateCommand', 'DeleteCommand', 'BatchWriteCommand'] as const;

export interface StoreCounts {
  /** Requests per command name (BatchGetCommand, QueryCommand, ...). */
  requests: Record<string, number>;
  readRequests: number;
  itemsRead: number;
  /** Schedule items each write request wrote (or tried to: a failed condition still consumes capacity). */
  writes: number;
  /** Group-registry puts (functions/adapters/store.ts GroupRegistry): at most one per group per writer, not in `writes`. */
  registryWrites: number;
  conditionalFailures: number;
  readRequestUnits: number;
  writeRequestUnits: number;
}

export const emptyStoreCounts = (): StoreCounts => ({
  requests: {}, readRequests: 0, itemsRead: 0, writes: 0, registryWrites: 0, conditionalFailures: 0, readRequestUnits: 0, writeRequestUnits: 0,
});

export interface StoreMeter {
  counts: StoreCounts;
  /** Starts counting afresh (seeding is not measured). */
  reset(): void;
  enabled: boolean;
}

/**
 * Installs one meter on `docs`: every client that talks to the store (with IAM in the loop, each function's role has
 * its own). `itemBytes` is the size of a typical item, for Scan pages (which project keys only).
 */
export function meterStore(docs: DynamoDBDocumentClient | DynamoDBDocumentClient[], itemBytes: () => number): StoreMeter {
  const meter: StoreMeter = { counts: emptyStoreCounts(), enabled: false, reset: () => (meter.counts = emptyStoreCounts()) };
  for (const doc of [docs].flat()) install(doc, meter, itemBytes);
  return meter;
}

function install(doc: DynamoDBDocumentClient, meter: StoreMeter, itemBytes: () => number): void {
  const send = doc.send.bind(doc) as (command: unknown) => Promise<any>;
  (doc as unknown as { send: (command: unknown) => Promise<unknown> }).send = async (command: unknown) => {
    if (!meter.enabled) return send(command);
    const name = (command as object).constructor.name;
    const input = (command as { input: any }).input;
    const c = meter.counts;
    c.requests[name] = (c.requests[name] ?? 0) + 1;
    const isWrite = (WRITES as readonly string[]).includes(name);
    if (isWrite) {
      const items = name === 'BatchWriteCommand' ? Object.values(input.RequestItems as Record<string, unknown[]>).flat().length : 1;
      if (name === 'PutCommand' && input.Item?.groupName === GROUP_REGISTRY_PARTITION) c.registryWrites += 1;
      else c.writes += items;
      c.writeRequestUnits += items * Math.ceil(itemBytes() / 1024);
    }
    try {
      const output = await send(command);
      if ((READS as readonly string[]).includes(name)) {
        c.readRequests++;
        if (name === 'BatchGetCommand') {
          const keys = Object.values(input.RequestItems as Record<string, { Keys: unknown[] }>).reduce((n, r) => n + r.Keys.length, 0);
          const found = Object.values((output.Responses ?? {}) as Record<string, unknown[]>).reduce((n, r) => n + r.length, 0);
          c.itemsRead += found;
          c.readRequestUnits += keys * Math.ceil(itemBytes() / 4096);
        } else if (name === 'GetCommand') {
          c.itemsRead += output.Item ? 1 : 0;
          c.readRequestUnits += (input.ConsistentRead ? 1 : 0.5) * Math.ceil(itemBytes() / 4096);
        } else {
          const evaluated = (output.ScannedCount ?? output.Count ?? 0) as number;
          c.itemsRead += (output.Items ?? []).length;
          c.readRequestUnits += (input.ConsistentRead ? 1 : 0.5) * Math.max(1, Math.ceil((evaluated * itemBytes()) / 4096));
        }
      }
      return output;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') c.conditionalFailures++;
      throw error;
    }
  };
}
