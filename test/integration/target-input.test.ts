/**
 * Config targetInput on the local engines (issue 11, part 5): with `hash` (the default) the store, the drift
 * reports (JSON, Markdown, HTML), the SNS message and the execution output carry a keyed hash of each schedule's
 * input, never the input; a changed input is still found and reported as "input changed"; `omit` keeps nothing.
 */
import { CreateScheduleCommand, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { expect } from 'chai';
import { parseReport } from '../../functions/core/report';
import { inputPolicy, type InputPolicy } from '../../functions/core/target-input';
import { itemDetails } from '../../cli/report-view';
import type { LocalDynamo } from '../../local/dynamodb';
import type { LocalPipeline } from '../../local/pipeline';
import type { LocalReconciler } from '../../local/reconciler';
import { compareStoreWithTruth, scanStore } from '../../local/truth';
import { useLocalStack } from '../support/local-stack';

const SECRET = 'tok_live_5f1a2b3c4d';
const schedule = (input: string) => ({
  Name: 'billing-run',
  ScheduleExpression: 'rate(1 hour)',
  FlexibleTimeWindow: { Mode: 'OFF' as const },
  Target: { Arn: 'arn:aws:sqs:us-east-1:123456789012:orders', RoleArn: 'arn:aws:iam::123456789012:role/scheduler', Input: JSON.stringify({ apiKey: input }) },
});

describe('target inputs (config targetInput)', function () {
  this.timeout(60_000);
  const stack = useLocalStack();
  let dynamo: LocalDynamo;
  let p: LocalPipeline;
  let reconciler: LocalReconciler;

  async function start(policy: InputPolicy) {
    ({ dynamo, pipeline: p, reconciler } = await stack.start({ targetInput: policy }));
  }

  it('hash: stores and reports only keyed hashes, and still finds a changed input', async () => {
    // Prepare
    const policy = inputPolicy('hash', 'a-stack-secret-of-at-least-32-bytes!');
    await start(policy);
    await p.client.send(new CreateScheduleCommand(schedule(SECRET)));
    await p.settle();
    const stored = await p.store.get({ groupName: 'default', scheduleName: 'billing-run' });
    // The input changes behind the observer's back (its event is lost).
    await p.client.send(new UpdateScheduleCommand(schedule(`${SECRET}-rotated`)));
    p.loseEvents();
    // Act
    const execution = await reconciler.run({ mode: 'report' });
    // Assess: the store holds a hash, and equals the truth under the same rule.
    expect(stored!.target!.input).to.match(/^hmac-sha256:/);
    expect(compareStoreWithTruth(await scanStore(dynamo.doc, p.store.tableName), p.scheduler.snapshot(), policy)).to.have.length(1);
    // The change is found, and said without either value.
    const report = parseReport(await reconciler.objects.getJson('reports/latest.json'));
    const modified = report.items.find((i) => i.kind === 'MODIFIED')!;
    expect(modified.differences!.map((d) => d.path)).to.include('target.input');
    expect(itemDetails(modified)).to.include('target.input: input changed');
    // No copy of the input anywhere the run wrote or said.
    const everything = [
      JSON.stringify(await scanStore(dynamo.doc, p.store.tableName)),
      ...(await Promise.all([...(await listKeys(reconciler))].map((key) => reconciler.objects.getText(key)))),
      JSON.stringify(reconciler.published),
      JSON.stringify(execution.output),
    ].join('\n');
    expect(everything).to.not.include(SECRET);
  });

  it('omit: keeps no input at all', async () => {
    await start(inputPolicy('omit'));
    await p.client.send(new CreateScheduleCommand(schedule(SECRET)));
    await p.settle();
    const stored = await p.store.get({ groupName: 'default', scheduleName: 'billing-run' });
    expect(stored!.target).to.not.have.property('input');
    expect(JSON.stringify(stored)).to.not.include(SECRET);
  });

  it('full: keeps the input as Scheduler returns it', async () => {
    await start(inputPolicy('full'));
    await p.client.send(new CreateScheduleCommand(schedule(SECRET)));
    await p.settle();
    expect((await p.store.get({ groupName: 'default', scheduleName: 'billing-run' }))!.target!.input).to.equal(JSON.stringify({ apiKey: SECRET }));
  });
});

async function listKeys(reconciler: LocalReconciler): Promise<string[]> {
  const keys: string[] = [];
  for await (const { key } of reconciler.objects.list('')) keys.push(key);
  return keys;
}
