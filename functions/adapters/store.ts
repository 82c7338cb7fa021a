/**
 * The state store adapter: one DynamoDB table, one item per schedule (DESIGN.md "State store").
 * Wraps the DynamoDB Document client behind the StorePort the observer needs.
 */
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import type { ScheduleKey, StorePort, StoredSummary, WriteResult } from '../core/apply-change';
import type { StoredOrder } from '../core/ordering';
import type { TombstoneFields } from '../core/records';
import type { ScheduleRecord } from '../core/types';

/**
 * The atomic form of functions/core/ordering.ts `decideWrite(...) === 'apply'`: no item yet, or an older
 * version, or the same version from another event with a later truth read (a payload-only write has
 * readAt 0 and so never wins a tie).
 */
export const WRITE_CONDITION =
  'attribute_not_exists(#version) OR #version < :version OR ' +
  '(#version = :version AND #readAt < :readAt AND #lastEventId <> :eventId)';

const CONDITION_NAMES = { '#version': 'version', '#readAt': 'readAt', '#lastEventId': 'lastEventId' };

function conditionValues(order: { version: number; readAt: number; lastEventId?: string }) {
  return { ':version': order.version, ':readAt': order.readAt, ':eventId': order.lastEventId ?? '' };
}

export class ScheduleStore implements StorePort {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async putPresent(record: ScheduleRecord): Promise<WriteResult> {
    return this.conditional({ groupName: record.groupName, scheduleName: record.scheduleName }, () =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: record,
          ConditionExpression: WRITE_CONDITION,
          ExpressionAttributeNames: CONDITION_NAMES,
          ExpressionAttributeValues: conditionValues(record),
        }),
      ),
    );
  }

  /**
   * Marks the item deleted, keeping the last known spec as history; creates a bare tombstone when the
   * schedule was never seen, so a late, older create cannot bring it back.
   */
  async putTombstone(key: ScheduleKey, fields: TombstoneFields, options: { onlyOverLive?: boolean } = {}): Promise<WriteResult> {
    const names: Record<string, string> = { ...CONDITION_NAMES, '#targetArn': 'targetArn' };
    const values: Record<string, unknown> = conditionValues(fields);
    let condition = WRITE_CONDITION;
    if (options.onlyOverLive) {
      condition = `(${WRITE_CONDITION}) AND (attribute_not_exists(#status) OR #status = :present)`;
      values[':present'] = 'PRESENT';
    }
    const sets = Object.entries(fields).map(([attribute, value]) => {
      names[`#${attribute}`] = attribute;
      values[`:set_${attribute}`] = value;
      return `#${attribute} = :set_${attribute}`;
    });
    return this.conditional(key, () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')} REMOVE #targetArn`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
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
          ...CONDITION_NAMES,
        },
        ExpressionAttributeValues: { ':groupName': groupName },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) yield item as StoredSummary;
    }
  }

  /**
   * Runs a conditional write. A failed condition is an answer, not an error: the caller learns what is
   * stored (one consistent read, only on this rare path) and classifies stale / duplicate / tie.
   */
  private async conditional(key: ScheduleKey, write: () => Promise<unknown>): Promise<WriteResult> {
    try {
      await write();
      return { applied: true };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const stored = await this.get(key);
      return { applied: false, stored: stored && orderOf(stored) };
    }
  }
}

function orderOf(item: ScheduleRecord): StoredOrder {
  return { version: item.version, readAt: item.readAt ?? 0, lastEventId: item.lastEventId };
}
