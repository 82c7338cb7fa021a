/**
 * The monitor's Lambda entry point (functions/handlers/monitor.ts) as Lambda loads it: configuration from
 * the environment at cold start, real SDK clients, endpoints redirected to the local engines through the
 * SDK's standard AWS_ENDPOINT_URL_<SERVICE> variables
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { expect } from 'chai';
import { ReconcileStore, ScheduleStore } from '../../functions/adapters/store';
import { MAX_WRITER_MS } from '../../functions/core/change-log';
import { sqsRecord } from '../support/sqs-record';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';
import { startSchedulerModel, type SchedulerModel, type CloudTrailEventBridgeEvent } from '../../local/scheduler';

const run = promisify(execFile);
const ENTRY = require.resolve('../../functions/handlers/monitor.ts');

describe('monitor Lambda entry point', function () {
  this.timeout(30_000);

  describe('cold start', () => {
    const cases = [
      { reason: 'TABLE_NAME is missing', env: {}, message: 'environment variable TABLE_NAME is required but not set' },
      { reason: 'TOMBSTONE_TTL_DAYS is not a number', env: { TABLE_NAME: 't', TOMBSTONE_TTL_DAYS: 'soon' }, message: 'TOMBSTONE_TTL_DAYS must be an integer from 1 to 3650, got "soon"' },
      { reason: 'TOMBSTONE_TTL_DAYS is out of range', env: { TABLE_NAME: 't', TOMBSTONE_TTL_DAYS: '0' }, message: 'TOMBSTONE_TTL_DAYS must be an integer from 1 to 3650, got "0"' },
      { reason: 'TARGET_INPUT is missing', env: { TABLE_NAME: 't' }, message: 'environment variable TARGET_INPUT is required but not set' },
      { reason: 'TARGET_INPUT is not a mode', env: { TABLE_NAME: 't', TARGET_INPUT: 'encrypt' }, message: 'TARGET_INPUT must be one of hash, full, omit, got "encrypt"' },
      { reason: 'TARGET_INPUT is hash without the key secret', env: { TABLE_NAME: 't', TARGET_INPUT: 'hash' }, message: 'environment variable TARGET_INPUT_KEY_SECRET_ARN is required but not set' },
    ];
    for (const c of cases) {
      it(`fails the init phase with a ConfigurationError when ${c.reason}`, async () => {
        const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, AWS_REGION: 'us-east-1', ...c.env };
        const failure = await run(process.execPath, ['--import', 'tsx', '-e', `require(${JSON.stringify(ENTRY)})`], { env }).then(
          () => undefined,
          (error: { stderr: string }) => error,
        );
        expect(failure, 'the module must not load').to.not.equal(undefined);
        expect(failure!.stderr).to.contain('ConfigurationError').and.to.contain(c.message);
      });
    }
  });

  describe('on the local engines', () => {
    let dynamo: LocalDynamo;
    let scheduler: SchedulerModel;
    const events: CloudTrailEventBridgeEvent[] = [];
    const saved = { ...process.env };

    before(async () => {
      dynamo = await startLocalDynamo();
      await dynamo.createStateStoreTable('entry-state');
      scheduler = await startSchedulerModel({ onEvent: (e) => events.push(e) });
      Object.assign(process.env, {
        TABLE_NAME: 'entry-state',
        TOMBSTONE_TTL_DAYS: '7',
        // No Secrets Manager engine here: the hash path is tested in test/unit/input-policy.test.ts.
        TARGET_INPUT: 'full',
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ENDPOINT_URL_SCHEDULER: scheduler.endpoint,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_REGION: 'us-east-1',
      });
    });
    after(async () => {
      process.env = saved;
      await scheduler.close();
      await dynamo.close();
    });

    it('records a created schedule and reports a malformed message as a batch item failure', async () => {
      // Prepare
      const client = new SchedulerClient(scheduler.clientConfig());
      await client.send(
        new CreateScheduleCommand({
          Name: 'from-entry',
          ScheduleExpression: 'rate(1 day)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: 'arn:aws:sqs:us-east-1:123456789012:q', RoleArn: 'arn:aws:iam::123456789012:role/r' },
        }),
      );
      client.destroy();
      const sqsEvent = {
        Records: [sqsRecord('m-good', JSON.stringify(events[0])), sqsRecord('m-bad', '{"detail":')],
      } as SQSEvent;
      // Act
      // Loaded only now, after the environment is set, as Lambda loads it at cold start.
      const { handler } = require(ENTRY) as { handler: (event: SQSEvent) => Promise<SQSBatchResponse> };
      const printed: string[] = [];
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = ((chunk: string) => printed.push(String(chunk)) > 0) as typeof process.stdout.write;
      const response = await handler(sqsEvent).finally(() => {
        process.stdout.write = write;
      });
      // Assess
      expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: 'm-bad' }] });
      const stored = await new ScheduleStore(dynamo.doc, 'entry-state').get({ groupName: 'default', scheduleName: 'from-entry' });
      expect(stored).to.include({ status: 'PRESENT', scheduleExpression: 'rate(1 day)', observedVia: 'event' });
      // Recorded in the change log first (BatchWriteItem on dynalite), with Lambda's longest deadline when none is known.
      const changes = await new ReconcileStore(dynamo.doc, 'entry-state').changesBetween(Date.now() - 120_000, Date.now());
      expect([...changes.keys()]).to.deep.equal(['default/from-entry']);
      expect(changes.get('default/from-entry')! - Date.now()).to.be.within(MAX_WRITER_MS - 60_000, MAX_WRITER_MS);
      // One EMF document on stdout, in the namespace the dashboard reads.
      const emf = printed.map((line) => JSON.parse(line)).filter((doc) => doc._aws);
      expect(emf).to.have.length(1);
      expect(emf[0]._aws.CloudWatchMetrics[0].Namespace).to.equal('SchedulerObserver');
      expect(emf[0]).to.include({ EventsReceived: 2, EventsInvalid: 1, EventsApplied: 1, TruthReads: 1 });
    });
  });
});
