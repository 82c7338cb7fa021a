/**
 * `reconcile`. Step Functions has no local HTTP engine, so the SFN client is aws-sdk-client-mock with
 * responses shaped as the API reference documents (StartExecution, DescribeExecution). In the end-to-end case
 * the mocked StartExecution runs the real ASL (statemachines/reconciler.asl.json) on aws-local-stepfunctions
 * with the real handlers against the local Scheduler model, dynalite and the local S3, and DescribeExecution
 * answers RUNNING until that run ends: the CLI reads a real summary, and `report show` the real report.
 */
import { expect } from 'chai';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleCommand, CreateScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { executionSummary } from '../../functions/core/report';
import { startLocalDynamo } from '../../local/dynamodb';
import { createLocalReconciler } from '../../local/reconciler';
import { startLocalS3 } from '../../local/s3';
import { startSchedulerModel } from '../../local/scheduler';
import { POLL, runProgress } from '../../cli/commands/reconcile';
import { MemoryObjects } from '../support/memory-objects';
import { CLEAN_RUN, DRIFT_RUN } from './support/reports';
import { runCli } from './support/run-cli';
import { matchSnapshot } from './support/snapshot';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:scheduler-observer-reconciler-state-machine-1a2b3c';
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:scheduler-observer-reconciler-state-machine-1a2b3c:0318a48b-665c-4a53-9fc7-1249d12d4e8a';
const START = new Date('2026-11-24T20:37:19.000Z');

function described(status: DescribeExecutionCommandOutput['status'], extra: Partial<DescribeExecutionCommandOutput> = {}): DescribeExecutionCommandOutput {
  return { $metadata: {}, executionArn: EXECUTION, stateMachineArn: STATE_MACHINE, name: EXECUTION.split(':').pop(), status, startDate: START, input: '{"mode":"report"}', ...extra };
}

describe('scheduler-observer reconcile', () => {
  const sfn = mockClient(SFNClient);
  // A class mock patches every SFNClient in this process, and mocha's parallel workers run other files after this one.
  after(() => sfn.restore());
  const client = new SFNClient({ region: 'eu-west-1' });
  let clock: number;
  const sleeps: number[] = [];
  const cli = (...argv: string[]) =>
    runCli(['reconcile', '--state-machine-arn', STATE_MACHINE, ...argv], {
      clients: { sfn: client },
      now: () => new Date(clock),
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });

  beforeEach(() => {
    sfn.reset();
    sleeps.length = 0;
    clock = START.getTime();
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: START });
  });
  after(() => client.destroy());

  it('starts an execution with the mode and groups as input and exits 0 without waiting', async () => {
    const result = await cli('--mode', 'repair', '--groups', 'billing,ops', '--groups', 'marketing');
    expect(result).to.include({ code: 0, stderr: '' });
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input).to.deep.equal({
      stateMachineArn: STATE_MACHINE,
      input: JSON.stringify({ mode: 'repair', groups: ['billing', 'ops', 'marketing'] }),
    });
    expect(sfn.commandCalls(DescribeExecutionCommand)).to.have.length(0);
    matchSnapshot('reconcile.started', result.stdout);
  });

  const outcomes = [
    { report: DRIFT_RUN, code: 2, reason: 'the run found drift' },
    { report: CLEAN_RUN, code: 0, reason: 'the store is in sync' },
  ];
  for (const { report, code, reason } of outcomes) {
    it(`polls with backoff, prints the summary and exits ${code} when ${reason}`, async () => {
      const summary = executionSummary(report, `s3://scheduler-observer-reports/reports/2026/11/24/${report.runId}.json`);
      sfn
        .on(DescribeExecutionCommand)
        .resolvesOnce(described('RUNNING'))
        .resolvesOnce(described('RUNNING'))
        .resolvesOnce(described('RUNNING'))
        .resolves(described('SUCCEEDED', { stopDate: new Date(START.getTime() + 4_000), output: JSON.stringify(summary) }));
      const result = await cli('--wait');
      expect(result.code).to.equal(code);
      expect(sleeps).to.deep.equal([POLL.firstMs, POLL.firstMs * POLL.factor, POLL.firstMs * POLL.factor ** 2]);
      // Not a terminal: one progress line, not one per poll.
      expect(result.stderr).to.equal('RUNNING 0 s\n');
      matchSnapshot(`reconcile.wait.${summary.result}`, result.stdout);
    });
  }

  it('prints the error and cause in one line and exits 1 when the execution fails', async () => {
    sfn.on(DescribeExecutionCommand).resolves(described('FAILED', { error: 'ReconcileFailed', cause: 'ListSchedules: AccessDeniedException' }));
    const result = await cli('--wait');
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(
      `error: execution 0318a48b-665c-4a53-9fc7-1249d12d4e8a FAILED: ReconcileFailed: ListSchedules: AccessDeniedException (history: https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${encodeURIComponent(EXECUTION)})\n`,
    );
  });

  it('gives up waiting, exit 1, when --timeout passes (the execution goes on)', async () => {
    sfn.on(DescribeExecutionCommand).resolves(described('RUNNING'));
    const result = await cli('--wait', '--timeout', '20');
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/error: execution still RUNNING after 2\d s \(--timeout 20\); it goes on: https:/);
    expect(Math.max(...sleeps)).to.be.at.most(POLL.maxMs);
  });

  it('says AWS is throttling, in one line, exit 1, when StartExecution stays throttled', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    sfn.on(StartExecutionCommand).rejects(throttled);
    const result = await cli();
    expect(result).to.deep.equal({
      code: 1,
      stdout: '',
      stderr: "error: AWS is throttling requests (ThrottlingException) even after the SDK's retries; wait a minute and try again\n",
    });
  });

  it('tells how far a running execution got from the objects its steps left in the report bucket', async () => {
    const objects = new MemoryObjects();
    for (const key of ['runs/r1/listing/default/000000.json', 'runs/r1/groups/default/000001.json', 'runs/r1/groups/default/000002.json', 'runs/r1/repairs/000000.json', 'runs/r2/groups/x/000000.json']) {
      await objects.putJson(key, {});
    }
    expect(await runProgress(objects, 'r1')).to.equal('1 listing batch(es), 2 comparison batch(es), 1 repair batch(es) done');
    expect(await runProgress(objects, 'r3')).to.equal('0 listing batch(es), 0 comparison batch(es) done');
  });

  it('refuses a mode other than report, repair or backfill before calling AWS', async () => {
    const result = await cli('--mode', 'fix');
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include("argument 'fix' is invalid. Allowed choices are report, repair, backfill.");
    expect(sfn.commandCalls(StartExecutionCommand)).to.have.length(0);
  });

  describe('end to end with the real ASL on the local engines', () => {
    it('runs the reconciler, prints its real summary, exits 2, and report show reads the same report', async () => {
      const [scheduler, dynamo, s3] = await Promise.all([startSchedulerModel(), startLocalDynamo(), startLocalS3()]);
      const schedulerClient = new SchedulerClient(scheduler.clientConfig());
      const s3Client = new S3Client(s3.clientConfig());
      try {
        await dynamo.createStateStoreTable('scheduler-observer-state');
        const reconciler = await createLocalReconciler({ scheduler, dynamo, tableName: 'scheduler-observer-state', s3, bucket: 'scheduler-observer-reports' });
        // A schedule whose CloudTrail event never reached the store: MISSING_IN_STORE.
        await schedulerClient.send(new CreateScheduleGroupCommand({ Name: 'billing' }));
        await schedulerClient.send(
          new CreateScheduleCommand({
            Name: 'invoice-daily',
            GroupName: 'billing',
            ScheduleExpression: 'cron(0 8 * * ? *)',
            FlexibleTimeWindow: { Mode: 'OFF' },
            Target: { Arn: 'arn:aws:lambda:us-east-1:123456789012:function:invoice', RoleArn: 'arn:aws:iam::123456789012:role/invoke' },
          }),
        );
        let running: Promise<Awaited<ReturnType<typeof reconciler.run>>> | undefined;
        let finished: Awaited<ReturnType<typeof reconciler.run>> | undefined;
        sfn.on(StartExecutionCommand).callsFake((input: { input: string; name?: string }) => {
          running = reconciler.run(JSON.parse(input.input), { executionName: 'e2e-run-1' });
          void running.then((record) => (finished = record));
          return { executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:e2e-run-1`, startDate: new Date() };
        });
        sfn.on(DescribeExecutionCommand).callsFake(async () => {
          if (!finished) return described('RUNNING');
          return described(finished.status, finished.status === 'SUCCEEDED' ? { output: JSON.stringify(finished.output) } : { error: finished.error?.name, cause: finished.error?.message });
        });
        const result = await runCli(['reconcile', '--state-machine-arn', STATE_MACHINE, '--wait'], { clients: { sfn: client }, sleep: () => running!.then(() => undefined) });
        expect(result.code, result.stderr).to.equal(2);
        expect(result.stdout).to.include('Result: DRIFT_FOUND, drift 1');
        expect(result.stdout).to.include('MISSING_IN_STORE billing/invoice-daily');
        expect(result.stdout).to.match(/Report: s3:\/\/scheduler-observer-reports\/reports\/\d{4}\/\d{2}\/\d{2}\/e2e-run-1\.json/);

        const shown = await runCli(['report', 'show', 'e2e-run-1', '--bucket', 'scheduler-observer-reports'], { clients: { s3: s3Client } });
        expect(shown.code).to.equal(2);
        expect(shown.stdout).to.match(/MISSING_IN_STORE │ billing\s+│ invoice-daily/);
        reconciler.close();
      } finally {
        schedulerClient.destroy();
        s3Client.destroy();
        await Promise.all([scheduler.close(), dynamo.close(), s3.close()]);
      }
    });
  });
});
