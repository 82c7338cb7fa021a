import { expect } from 'chai';
import { DEMO_GROUP_NAME } from '../../infra/demo-seed';
import { loadProgram, oneOfType, ofType, type CreatedResource } from '../support/pulumi-mocks';

const TARGET_ARN = 'arn:aws:sqs:us-east-1:123456789012:scheduler-observer-demo-target';
const SCHEDULER_ROLE_ARN = 'arn:aws:iam::123456789012:role/scheduler-observer-demo-scheduler-role';
const policyOf = (resources: CreatedResource[], suffix: string) =>
  JSON.parse(oneOfType(resources, 'aws:iam/rolePolicy:RolePolicy', suffix).inputs.policy);
const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

describe('DemoSeed', () => {
  let resources: CreatedResource[];
  before(async () => {
    ({ resources } = await loadProgram({ demoSeed: 'true' }));
  });

  it('creates no schedule group or schedule as a Pulumi resource (the seed does, so the pipeline sees it)', () => {
    const demoResources = resources.filter((r) => r.name.startsWith('scheduler-observer-demo'));
    expect(demoResources.filter((r) => r.type.startsWith('aws:scheduler/'))).to.deep.equal([]);
  });

  it('runs the seed once through an Invocation', () => {
    const { inputs } = oneOfType(resources, 'aws:lambda/invocation:Invocation');

    expect(inputs.functionName).to.equal('scheduler-observer-demo-seed-dev');
    expect(JSON.parse(inputs.input)).to.deep.equal({});
  });

  it('gives the seed 120 s and the group, target, role and pause in its environment', () => {
    const { inputs } = oneOfType(resources, 'aws:lambda/function:Function', '-demo-seed-function');

    expect(inputs.timeout).to.equal(120);
    expect(inputs.runtime).to.equal('nodejs22.x');
    expect(inputs.environment.variables).to.deep.include({
      DEMO_GROUP: DEMO_GROUP_NAME,
      DEMO_TARGET_ARN: TARGET_ARN,
      DEMO_ROLE_ARN: SCHEDULER_ROLE_ARN,
      DEMO_WAIT_MS: '60000',
    });
  });

  it('allows the seed no Scheduler write outside the demo group', () => {
    const schedulerStatements = policyOf(resources, '-demo-seed-policy').Statement.filter((s: { Action: string | string[] }) =>
      list(s.Action).some((a) => a.startsWith('scheduler:')),
    );

    expect(schedulerStatements.map((s: { Resource: string }) => s.Resource)).to.have.members([
      'arn:aws:scheduler:us-east-1:123456789012:schedule-group/scheduler-observer-demo',
      'arn:aws:scheduler:us-east-1:123456789012:schedule/scheduler-observer-demo/*',
    ]);
  });

  it('lets Scheduler assume the demo role only for this account and send only to the demo queue', () => {
    const role = ofType(resources, 'aws:iam/role:Role').find((r) => r.name.endsWith('-demo-scheduler-role'))!;

    expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Condition).to.deep.equal({
      StringEquals: { 'aws:SourceAccount': '123456789012' },
    });
    expect(policyOf(resources, '-demo-scheduler-policy').Statement).to.deep.equal([
      { Sid: 'SendToTargetQueue', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: TARGET_ARN },
    ]);
  });

  it('encrypts the demo target queue', () => {
    expect(oneOfType(resources, 'aws:sqs/queue:Queue', '-demo-target').inputs.sqsManagedSseEnabled).to.equal(true);
  });
});
