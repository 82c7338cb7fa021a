/**
 * The state store's key schema and index, as data: infra/state-store.ts deploys it and local/dynamodb.ts
 * creates the same table in dynalite, so tests run against the schema that ships.
 * Pure: no Pulumi import.
 */
export const STATE_STORE_KEYS = { partition: 'groupName', sort: 'scheduleName' } as const;

/** Sparse GSI answering "which schedules invoke this ARN?" (tombstones drop `targetArn`). */
export const BY_TARGET_INDEX = { name: 'byTarget', partition: 'targetArn' } as const;

/** DynamoDB TTL attribute (epoch seconds) set on tombstones. */
export const TTL_ATTRIBUTE = 'expiresAt';
