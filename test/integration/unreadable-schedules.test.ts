/**
 * Schedules whose payload is encrypted with a customer managed key the monitor and the reconciler may not use
 * (issue 11, 2d): the stack grants kms:Decrypt only on the keys config scheduleKmsKeyArns lists, so with IAM in
 * the loop GetSchedule of a schedule under any other key answers AccessDeniedException. Nothing is lost and nothing loops: the monitor marks
 * the item live and unreadable (no event goes to the DLQ), the reconciler reports it NOT_CHECKED with the reason
 * and completes, and a readable schedule beside it is recorded as usual.
 */
import { CreateScheduleCommand, DeleteScheduleCommand, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { expect } from 'chai';
import { parseReport } from '../../functions/core/report';
import type { LocalPipeline } from '../../local/pipeline';
import type { LocalReconciler } from '../../local/reconciler';
import { useLocalStack } from '../support/local-stack';

const DENIED_KEY = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const USABLE_KEY = 'arn:aws:kms:us-east-1:123456789012:key/66666666-7777-8888-9999-000000000000';

function schedule(name: string, keyArn: string, expression = 'rate(1 hour)') {
  return {
    Name: name,
    ScheduleExpression: expression,
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    KmsKeyArn: keyArn,
    Target: { Arn: 'arn:aws:sqs:us-east-1:123456789012:orders', RoleArn: 'arn:aws:iam::123456789012:role/scheduler', Input: '{"secret":"s3cr3t"}' },
  };
}

describe('schedules the observer may not read (customer managed key denied)', function () {
  this.timeout(60_000);
  const stack = useLocalStack();
  let p: LocalPipeline;
  let reconciler: LocalReconciler;

  beforeEach(async () => {
    ({ pipeline: p, reconciler } = await stack.start({ iam: { scheduleKmsKeyArns: [USABLE_KEY] } }));
  });

  it('marks the item live and unreadable, sends nothing to the DLQ, and records the readable one as usual', async () => {
    // Act
    await p.client.send(new CreateScheduleCommand(schedule('sealed', DENIED_KEY)));
    await p.client.send(new CreateScheduleCommand(schedule('open', USABLE_KEY)));
    const drained = await p.settle();
    // Assess
    expect(drained.failedReceives).to.equal(0);
    expect(p.dlq.messages()).to.have.length(0);
    expect(await p.store.get({ groupName: 'default', scheduleName: 'sealed' })).to.include({ status: 'PRESENT', unreadable: 'KMS_ACCESS_DENIED', observedVia: 'event' });
    expect(await p.store.get({ groupName: 'default', scheduleName: 'open' })).to.include({ status: 'PRESENT', kmsKeyArn: USABLE_KEY }).and.not.have.property('unreadable');
  });

  it('keeps the mark through updates and drops it with the deletion', async () => {
    await p.client.send(new CreateScheduleCommand(schedule('sealed', DENIED_KEY)));
    await p.settle();
    await p.client.send(new UpdateScheduleCommand(schedule('sealed', DENIED_KEY, 'rate(2 hours)')));
    await p.settle();
    const afterUpdate = await p.store.get({ groupName: 'default', scheduleName: 'sealed' });
    await p.client.send(new DeleteScheduleCommand({ Name: 'sealed' }));
    await p.settle();
    expect(afterUpdate).to.include({ status: 'PRESENT', unreadable: 'KMS_ACCESS_DENIED' });
    const deleted = await p.store.get({ groupName: 'default', scheduleName: 'sealed' });
    expect(deleted).to.include({ status: 'DELETED', deleteReason: 'SCHEDULE_DELETED' }).and.not.have.property('unreadable');
    expect(p.dlq.messages()).to.have.length(0);
  });

  it('is NOT_CHECKED (KMS_ACCESS_DENIED) in a reconciler run, which completes', async () => {
    // Prepare: the observer missed both creates.
    await p.client.send(new CreateScheduleCommand(schedule('sealed', DENIED_KEY)));
    await p.client.send(new CreateScheduleCommand(schedule('open', USABLE_KEY)));
    p.loseEvents();
    // Act
    const execution = await reconciler.run({ mode: 'repair' });
    // Assess
    expect(execution.status, JSON.stringify(execution.error)).to.equal('SUCCEEDED');
    const report = parseReport(await reconciler.objects.getJson('reports/latest.json'));
    expect(report.items.map((i) => [i.kind, i.scheduleName, i.reason ?? null])).to.have.deep.members([
      ['NOT_CHECKED', 'sealed', 'KMS_ACCESS_DENIED'],
      ['MISSING_IN_STORE', 'open', null],
    ]);
    expect(await p.store.get({ groupName: 'default', scheduleName: 'open' })).to.include({ status: 'PRESENT', observedVia: 'reconcile' });
  });
});
