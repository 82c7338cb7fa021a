/**
 * What dynalite cannot show: DynamoDB returns the stored item with a ConditionalCheckFailedException when
 * asked (ReturnValuesOnConditionCheckFailure ALL_OLD), and the adapter then needs no extra read.
 * aws-sdk-client-mock stands in for DynamoDB here, with the exception shaped as the API reference documents
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html#API_PutItem_Errors).
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { ScheduleStore } from '../../functions/adapters/store';
import { presentRecord, tombstoneFields } from '../../functions/core/records';
import { GROUP_REGISTRY_PARTITION } from '../../functions/core/types';

const NOW = new Date('2026-11-24T10:00:00Z');
const stored = { groupName: 'g', scheduleName: 's', status: 'PRESENT', version: 9000, readAt: 7, lastEventId: 'e9' };

function conditionFailed(item?: Record<string, unknown>) {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item ? { Item: marshall(item) } : {}) });
}

describe('ScheduleStore on a failed condition', () => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const mock = mockClient(doc);
  const record = presentRecord(
    { groupName: 'g', name: 's', scheduleExpression: 'rate(1 hour)', state: 'ENABLED', flexibleTimeWindow: { mode: 'OFF' }, target: { arn: 'a', roleArn: 'r' } },
    { version: 1000, eventId: 'e1', readAt: 5, observedVia: 'event', now: NOW },
  );
  afterEach(() => mock.reset());

  const cases = [
    { reason: 'DynamoDB returns the stored item', item: stored, reads: 0 },
    { reason: 'the engine returns no item (dynalite)', item: undefined, reads: 1 },
  ];
  for (const c of cases) {
    it(`learns the stored order with ${c.reads} extra read(s) when ${c.reason}`, async () => {
      // Prepare
      mock.on(PutCommand).rejects(conditionFailed(c.item));
      // The group registry's put (unconditional) comes first and succeeds.
      mock.on(PutCommand, { Item: { groupName: GROUP_REGISTRY_PARTITION } }).resolves({});
      mock.on(UpdateCommand).rejects(conditionFailed(c.item));
      mock.on(GetCommand).resolves({ Item: stored });
      // A new store per case: each registers its groups once.
      const store = new ScheduleStore(doc, 'state');
      // Act
      const put = await store.putPresent(record);
      const tombstone = await store.putTombstone({ groupName: 'g', scheduleName: 's' }, tombstoneFields('SCHEDULE_DELETED', { version: 1000, eventId: 'e1', readAt: 0, observedVia: 'event', now: NOW }, 30));
      // Assess
      const expected = { applied: false, stored: { version: 9000, readAt: 7, lastEventId: 'e9' } };
      expect(put).to.deep.equal(expected);
      expect(tombstone).to.deep.equal(expected);
      expect(mock.commandCalls(GetCommand)).to.have.length(2 * c.reads);
      const [registry, schedule] = mock.commandCalls(PutCommand).map((call) => call.args[0].input);
      expect(registry!.Item).to.deep.equal({ groupName: GROUP_REGISTRY_PARTITION, scheduleName: 'g', status: 'GROUP_REGISTERED' });
      expect(schedule!.ReturnValuesOnConditionCheckFailure).to.equal('ALL_OLD');
    });
  }
});
