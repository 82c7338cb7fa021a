/**
 * The state store: one DynamoDB item per schedule ever seen (functions/core/types.ts ScheduleRecord).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BY_TARGET_INDEX, STATE_STORE_KEYS, TTL_ATTRIBUTE } from './table-schema';

/** What a component needs to know of the state store to read or write it. */
export interface StateTableRef {
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  /** The table's customer managed key (config `tableKmsKeyArn`): every role that reads or writes the table may use it. */
  tableKmsKeyArn?: string;
  /** config `targetInput`, and for `hash` the secret holding the key (infra/input-key.ts). */
  targetInput: 'hash' | 'full' | 'omit';
  targetInputKeySecretArn?: pulumi.Input<string>;
}

export interface StateStoreArgs {
  deletionProtection: boolean;
  /** A customer managed key; unset means DynamoDB's AWS owned key (encrypted at rest either way). */
  kmsKeyArn?: pulumi.Input<string>;
}

export class StateStore extends pulumi.ComponentResource {
  readonly tableName: pulumi.Output<string>;
  readonly tableArn: pulumi.Output<string>;

  constructor(name: string, args: StateStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super('scheduler-observer:index:StateStore', name, {}, opts);

    const table = new aws.dynamodb.Table(
      `${name}-table`,
      {
        billingMode: 'PAY_PER_REQUEST',
        hashKey: STATE_STORE_KEYS.partition,
        rangeKey: STATE_STORE_KEYS.sort,
        attributes: [
          { name: STATE_STORE_KEYS.partition, type: 'S' },
          { name: STATE_STORE_KEYS.sort, type: 'S' },
          { name: BY_TARGET_INDEX.partition, type: 'S' },
        ],
        // The same schema local/dynamodb.ts creates in dynalite for the tests.
        globalSecondaryIndexes: [
          {
            name: BY_TARGET_INDEX.name,
            keySchemas: [{ attributeName: BY_TARGET_INDEX.partition, keyType: 'HASH' }],
            projectionType: 'ALL',
          },
        ],
        pointInTimeRecovery: { enabled: true },
        // In this provider `enabled: false` does not mean unencrypted: it selects the AWS owned key, and `true`
        // selects a KMS key (the given one, or aws/dynamodb). DynamoDB always encrypts at rest:
        // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html
        serverSideEncryption: args.kmsKeyArn ? { enabled: true, kmsKeyArn: args.kmsKeyArn } : { enabled: false },
        // Tombstones expire so that the table does not grow forever; deletion by TTL is best-effort and late:
        // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
        ttl: { attributeName: TTL_ATTRIBUTE, enabled: true },
        deletionProtectionEnabled: args.deletionProtection,
      },
      { parent: this },
    );

    this.tableName = table.name;
    this.tableArn = table.arn;
    this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
  }
}
