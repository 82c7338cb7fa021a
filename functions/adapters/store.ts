/**
 * The state store adapter: one DynamoDB table, one item per schedule (DESIGN.md "State store").
 * Wraps the DynamoDB Document client behind the StorePort the observer needs.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import type { ScheduleKey, StorePort, StoredSummary, WriteResult } from '../core/apply-change';
import { randomUUID } from 'node:crypto';
import {
  addEntry,
  bucketsBetween,
  changeLogRecords,
  type ChangedKey,
  type ChangeLogReader,
  type ChangeLogWriter,
} from '../core/change-log';
import type { StoredOrder } from '../core/ordering';
import { writeOrderOf, type TombstoneFields, type UnreadableFields } from '../core/records';
import type { StoreKey, StoreReadPort } from '../core/reconcile';
import type { RepairStorePort, StoreRead } from '../core/repair';
import {
  BACKFILL_MARKER_NAME,
  GROUP_MARKER_NAME,
  GROUP_REGISTRY_PARTITION,
  STACK_PARTITION,
  type BackfillRecord,
  type GroupDeletionRecord,
  type GroupRegistryRecord,
  type ScheduleRecord,
} from '../core/types';

/**
 * The atomic form of functions/core/ordering.ts `decideWrite(...) === 'apply'`: no item yet, or ordering data no
 * write produced (a version that is not a number or lies beyond the writer's horizon, no numeric readAt, no
 * lastEventId string: `isCorruptOrder`), or an older version, or the same version from another event with a
 * later truth read (a payload-only write has readAt 0 and so never wins a tie). `attribute_type` of a missing
 * attribute is false (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html).
 */
export const WRITE_CONDITION =
  'attribute_not_exists(#version) OR NOT attribute_type(#version, :typeN) OR NOT attribute_type(#readAt, :typeN) OR ' +
  'NOT attribute_type(#lastEventId, :typeS) OR #version > :horizon OR #version < :version OR ' +
  '(#version = :version AND #readAt < :readAt AND #lastEventId <> :eventId)';

export const WRITE_CONDITION_NAMES = { '#version': 'version', '#readAt': 'readAt', '#lastEventId': 'lastEventId' };

/** WRITE_CONDITION's values for one write (a record, tombstone fields or a group's deletion marker). */
export function writeConditionValues(write: Pick<ScheduleRecord, 'version' | 'lastEventId' | 'readAt' | 'updatedAt'>) {
  const order = writeOrderOf(write);
  return { ':version': order.version, ':readAt': order.readAt, ':eventId': order.eventId, ':horizon': order.horizon, ':typeN': 'N', ':typeS': 'S' };
}

/**
 * Registers groups in the registry (types.ts GROUP_REGISTRY_PARTITION) before a live item is written to them. The
 * put is unconditional and idempotent (the item never changes), and each group is put once per instance: a Lambda
 * container writes one registry item per group it sees, not one per event.
 */
export class GroupRegistry {
  private readonly known = new Set<string>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async ensure(groupName: string): Promise<void> {
    if (this.known.has(groupName)) return;
    const item: GroupRegistryRecord = { groupName: GROUP_REGISTRY_PARTITION, scheduleName: groupName, status: 'GROUP_REGISTERED' };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
    this.known.add(groupName);
  }
}

const UNPROCESSED_ATTEMPTS = 8;

export class UnprocessedItemsError extends Error {
  override name = 'UnprocessedItemsError';
}

export class ScheduleStore implements StorePort, ChangeLogWriter {
  private readonly registry: GroupRegistry;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {
    this.registry = new GroupRegistry(client, tableName);
  }

  /**
   * The change log's entry for a batch (functions/core/change-log.ts): one unconditional PutItem holding every key
   * the batch may write (more only for a batch of over 2,000 distinct keys). Entries are added, never replaced: the
   * sort key carries an id unique to this call.
   */
  async recordChanges(keys: readonly ChangedKey[], atMs: number, untilMs: number): Promise<void> {
    for (const item of changeLogRecords(keys, atMs, untilMs, randomUUID())) {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
    }
  }

  async putPresent(record: ScheduleRecord): Promise<WriteResult> {
    await this.registry.ensure(record.groupName);
    return this.orderedPut(record);
  }

  /**
   * Marks the item deleted, keeping the last known spec as history; creates a bare tombstone when the
   * schedule was never seen, so a late, older create cannot bring it back.
   */
  async putTombstone(key: ScheduleKey, fields: TombstoneFields, options: { onlyOverLive?: boolean } = {}): Promise<WriteResult> {
    const condition = orderedCondition(fields);
    if (options.onlyOverLive) {
      condition.expression = `(${WRITE_CONDITION}) AND (attribute_not_exists(#status) OR #status = :present)`;
      condition.names['#status'] = 'status';
      condition.values[':present'] = 'PRESENT';
    }
    return this.conditional(key, () => this.client.send(tombstoneUpdate(this.tableName, key, fields, condition)));
  }

  /** Marks a live schedule the observer may not read; its last known spec stays, its tombstone attributes go. */
  async markUnreadable(key: ScheduleKey, fields: UnreadableFields): Promise<WriteResult> {
    const condition = orderedCondition(fields);
    return this.conditional(key, () =>
      this.client.send(fieldsUpdate(this.tableName, key, fields, ['deletedAt', 'deleteReason', 'expiresAt'], condition)),
    );
  }

  /** A group's deletion marker: later deletions replace earlier ones, by the same rule as schedules. */
  async putGroupDeletion(record: GroupDeletionRecord): Promise<WriteResult> {
    return this.orderedPut(record);
  }

  async getGroupDeletion(groupName: string): Promise<GroupDeletionRecord | undefined> {
    const item = (await this.get({ groupName, scheduleName: GROUP_MARKER_NAME })) as unknown as GroupDeletionRecord | undefined;
    return item?.status === 'GROUP_DELETED' ? item : undefined;
  }

  async get(key: ScheduleKey, consistent = true): Promise<ScheduleRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: consistent }));
    return Item as ScheduleRecord | undefined;
  }

  async *listGroup(groupName: string, pageSize?: number): AsyncIterable<StoredSummary> {
    const pages = paginateQuery(
      { client: this.client, pageSize },
      {
        TableName: this.tableName,
        KeyConditionExpression: '#groupName = :groupName',
        ProjectionExpression: '#scheduleName, #status, #version, #readAt, #lastEventId',
        ExpressionAttributeNames: {
          '#groupName': 'groupName',
          '#scheduleName': 'scheduleName',
          '#status': 'status',
          ...WRITE_CONDITION_NAMES,
        },
        ExpressionAttributeValues: { ':groupName': groupName },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) yield item as StoredSummary;
    }
  }

  /** PutItem under WRITE_CONDITION. */
  private async orderedPut(item: ScheduleRecord | GroupDeletionRecord): Promise<WriteResult> {
    return this.conditional({ groupName: item.groupName, scheduleName: item.scheduleName }, () =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: WRITE_CONDITION,
          ExpressionAttributeNames: WRITE_CONDITION_NAMES,
          ExpressionAttributeValues: writeConditionValues(item),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
  }

  /**
   * Runs a conditional write. A failed condition is an answer, not an error: the caller learns what is
   * stored and classifies stale / duplicate / tie. DynamoDB returns the stored item with the failure
   * (ReturnValuesOnConditionCheckFailure ALL_OLD,
   * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html#DDB-PutItem-request-ReturnValuesOnConditionCheckFailure),
   * so this costs no extra round trip; an engine that does not (dynalite) costs one consistent read.
   */
  private async conditional(key: ScheduleKey, write: () => Promise<unknown>): Promise<WriteResult> {
    try {
      await write();
      return { applied: true };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const returned = (error as { Item?: Record<string, AttributeValue> }).Item;
      const stored = returned ? (unmarshall(returned) as ScheduleRecord) : await this.get(key);
      return { applied: false, stored: stored && orderOf(stored) };
    }
  }
}

/** The reconciler's reads and its conditional repairs (a repair is conditional on the item being as read). */
export class ReconcileStore implements StoreReadPort, RepairStorePort, ChangeLogReader {
  private readonly registry: GroupRegistry;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {
    this.registry = new GroupRegistry(client, tableName);
  }

  /**
   * The items for up to any number of schedules of one group, 100 keys per BatchGetItem (the API's limit),
   * retrying UnprocessedKeys as the API asks (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html).
   * The report step reads with it only the drift items the change log shows written during the run.
   */
  async batchGet(groupName: string, names: readonly string[]): Promise<Map<string, ScheduleRecord>> {
    const found = new Map<string, ScheduleRecord>();
    for (let i = 0; i < names.length; i += 100) {
      let keys: Record<string, unknown>[] = names.slice(i, i + 100).map((scheduleName) => ({ groupName, scheduleName }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt === UNPROCESSED_ATTEMPTS) throw new UnprocessedItemsError(`BatchGetItem kept ${keys.length} key(s) unprocessed after ${attempt} attempts`);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of Responses?.[this.tableName] ?? []) found.set(item.scheduleName as string, item as ScheduleRecord);
        keys = (UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  /**
   * The change log's entries of the buckets from `fromMs` to `toMs` (functions/core/change-log.ts): one strongly
   * consistent Query per minute, paginated; each key with its latest `until`.
   */
  async changesBetween(fromMs: number, toMs: number): Promise<Map<string, number>> {
    const changes = new Map<string, number>();
    for (const bucket of bucketsBetween(fromMs, toMs)) {
      const pages = paginateQuery(
        { client: this.client },
        {
          TableName: this.tableName,
          KeyConditionExpression: '#groupName = :bucket',
          ProjectionExpression: '#keys, #until',
          ExpressionAttributeNames: { '#groupName': 'groupName', '#keys': 'keys', '#until': 'until' },
          ExpressionAttributeValues: { ':bucket': bucket },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) addEntry(changes, item as { keys: string[]; until: number });
      }
    }
    return changes;
  }

  /**
   * One page of the group's items in scheduleName order (the sort key; UTF-8 binary order), tombstones and the
   * group's marker included, from `startKey`: the sweep reads every item of the group once, with this Query.
   * Eventually consistent (half the read units of a strongly consistent Query): a read that misses a write of the
   * last moments is safe, because every drift item whose key the change log shows written around or after the read
   * is re-read strongly consistently before it is reported (the report step's re-check, functions/core/change-log.ts)
   * and every repair is conditional on the item being as read
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html).
   */
  async itemsPage(groupName: string, startKey: StoreKey | undefined, limit: number): Promise<{ items: ScheduleRecord[]; lastKey?: StoreKey }> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#groupName = :groupName',
        ExpressionAttributeNames: { '#groupName': 'groupName' },
        ExpressionAttributeValues: { ':groupName': groupName },
        ExclusiveStartKey: startKey,
        Limit: limit,
        ConsistentRead: false,
      }),
    );
    return { items: (page.Items ?? []) as ScheduleRecord[], lastKey: page.LastEvaluatedKey };
  }

  /** Whether the store's first backfill completed: one strongly consistent GetItem. */
  async backfillCompleted(): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { groupName: STACK_PARTITION, scheduleName: BACKFILL_MARKER_NAME }, ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  /** Records the first completed backfill; a later one overwrites it (same meaning, later run). */
  async markBackfilled(runId: string, completedAt: Date): Promise<void> {
    const item: BackfillRecord = { groupName: STACK_PARTITION, scheduleName: BACKFILL_MARKER_NAME, status: 'BACKFILLED', runId, completedAt: completedAt.toISOString() };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  /** One page of the group registry, in name order, strongly consistent (a group registered just now is seen). */
  async registeredGroupsPage(startKey: StoreKey | undefined, limit: number): Promise<{ groups: string[]; lastKey?: StoreKey }> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#groupName = :registry',
        ProjectionExpression: '#scheduleName',
        ExpressionAttributeNames: { '#groupName': 'groupName', '#scheduleName': 'scheduleName' },
        ExpressionAttributeValues: { ':registry': GROUP_REGISTRY_PARTITION },
        ExclusiveStartKey: startKey,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return { groups: (page.Items ?? []).map((item) => item.scheduleName as string), lastKey: page.LastEvaluatedKey };
  }

  /** Writes `record` only if the item is still as it was read (absent, or same version and event). */
  async putIfUnchanged(record: ScheduleRecord, read: StoreRead | undefined): Promise<boolean> {
    if (record.status === 'PRESENT') await this.registry.ensure(record.groupName);
    const { expression, names, values } = unchangedSince(read);
    return this.attempt(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: record,
          ConditionExpression: expression,
          ExpressionAttributeNames: names,
          // DynamoDB rejects an empty map here (attribute_not_exists needs no value).
          ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
        }),
      ),
    );
  }

  /** Tombstones the item only if it is still as it was read. */
  async tombstoneIfUnchanged(key: ScheduleKey, fields: TombstoneFields, read: StoreRead): Promise<boolean> {
    return this.attempt(() => this.client.send(tombstoneUpdate(this.tableName, key, fields, unchangedSince(read))));
  }

  private async attempt(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

/** WRITE_CONDITION as parts a caller may extend (putTombstone's onlyOverLive), for one write. */
function orderedCondition(write: Pick<ScheduleRecord, 'version' | 'lastEventId' | 'readAt' | 'updatedAt'>): ConditionParts {
  return { expression: WRITE_CONDITION, names: { ...WRITE_CONDITION_NAMES }, values: writeConditionValues(write) };
}

interface ConditionParts {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * "The item is still as it was read" (functions/core/drift.ts `isAsRead`): no item when none was read; otherwise
 * the same version and lastEventId, where a member the read left out (absent, or of a type no write of the
 * project produces) must still be absent or not of that type.
 */
function unchangedSince(read: StoreRead | undefined): ConditionParts {
  if (!read) return { expression: 'attribute_not_exists(#groupName)', names: { '#groupName': 'groupName' }, values: {} };
  const names: Record<string, string> = { '#groupName': 'groupName', '#version': 'version', '#lastEventId': 'lastEventId' };
  const values: Record<string, unknown> = {};
  const member = (name: string, value: unknown, type: 'N' | 'S') => {
    if (value !== undefined) {
      values[`:read_${name}`] = value;
      return `#${name} = :read_${name}`;
    }
    values[`:type${type}`] = type;
    return `(attribute_not_exists(#${name}) OR NOT attribute_type(#${name}, :type${type}))`;
  };
  const expression = `attribute_exists(#groupName) AND ${member('version', read.version, 'N')} AND ${member('lastEventId', read.lastEventId, 'S')}`;
  return { expression, names, values };
}

/**
 * The UpdateItem that makes an item a tombstone under `condition`: sets the tombstone's fields, keeps the
 * last known spec as history, and removes targetArn so the item leaves the sparse byTarget index.
 */
function tombstoneUpdate(tableName: string, key: ScheduleKey, fields: TombstoneFields, condition: ConditionParts): UpdateCommand {
  return fieldsUpdate(tableName, key, fields, ['targetArn', 'unreadable'], condition);
}

/** The UpdateItem that sets `fields` and removes the attributes `remove` under `condition`; other attributes stay. */
function fieldsUpdate(tableName: string, key: ScheduleKey, fields: object, remove: readonly string[], condition: ConditionParts): UpdateCommand {
  const names: Record<string, string> = { ...condition.names };
  const values: Record<string, unknown> = { ...condition.values };
  const sets = Object.entries(fields).map(([attribute, value]) => {
    names[`#set_${attribute}`] = attribute;
    values[`:set_${attribute}`] = value;
    return `#set_${attribute} = :set_${attribute}`;
  });
  for (const attribute of remove) names[`#remove_${attribute}`] = attribute;
  return new UpdateCommand({
    TableName: tableName,
    Key: key,
    UpdateExpression: `SET ${sets.join(', ')} REMOVE ${remove.map((attribute) => `#remove_${attribute}`).join(', ')}`,
    ConditionExpression: condition.expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  });
}

function orderOf(item: ScheduleRecord): StoredOrder {
  return { version: item.version, readAt: item.readAt ?? 0, lastEventId: item.lastEventId };
}
