/**
 * The member shape (README "Organization", issue 13): a rule forwarding this account's Scheduler events to the hub's
 * bus with an execution role that may only put events there, and a read role that only the hub's roles may assume,
 * under the organization or the external id, allowed the three Scheduler reads and nothing else.
 */
import { expect } from 'chai';
import { SCHEDULER_EVENT_PATTERN } from '../../infra/event-pattern';
import { hubEventBusArn, memberReaderRoleName } from '../../infra/member';
import { memberForwardAssumeRolePolicy, memberForwardPolicy, memberReaderPolicy, memberReaderTrustPolicy } from '../../infra/policies';
import { loadProgram, oneOfType, ofType, outputOf, type CreatedResource } from '../support/pulumi-mocks';

const HUB_ROLES = ['arn:aws:iam::111122223333:role/hub-monitor', 'arn:aws:iam::111122223333:role/hub-reconciler-scan'];
const MEMBER = {
  deployment: 'member',
  hubAccountId: '111122223333',
  hubRegion: 'eu-west-1',
  hubEventBusName: 'scheduler-observer-hub',
  hubRoleArns: HUB_ROLES.join(','),
  organizationId: 'o-a1b2c3d4e5',
};
const HUB_BUS = 'arn:aws:events:eu-west-1:111122223333:event-bus/scheduler-observer-hub';

describe('member policies', () => {
  it('lets only EventBridge, for this account\'s rules, assume the forwarding role', () => {
    expect(memberForwardAssumeRolePolicy('123456789012')).to.deep.equal({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }],
    });
  });

  it('lets the forwarding role put events on the hub bus and nowhere else', () => {
    expect(memberForwardPolicy(HUB_BUS).Statement).to.deep.equal([{ Sid: 'ForwardToHubBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: HUB_BUS }]);
  });

  const trusts: Array<{ reason: string; args: Parameters<typeof memberReaderTrustPolicy>[0]; condition: Record<string, string> }> = [
    { reason: 'the organization', args: { hubRoleArns: HUB_ROLES, organizationId: 'o-a1b2c3d4e5' }, condition: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    { reason: 'the external id', args: { hubRoleArns: HUB_ROLES, externalId: 'observer-prod' }, condition: { 'sts:ExternalId': 'observer-prod' } },
    { reason: 'both', args: { hubRoleArns: HUB_ROLES, organizationId: 'o-a1b2c3d4e5', externalId: 'observer-prod' }, condition: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', 'sts:ExternalId': 'observer-prod' } },
  ];
  for (const c of trusts) {
    it(`trusts the hub's role ARNs, by ARN, under ${c.reason}`, () => {
      expect(memberReaderTrustPolicy(c.args).Statement).to.deep.equal([
        { Sid: 'HubRolesOnly', Effect: 'Allow', Principal: { AWS: HUB_ROLES }, Action: 'sts:AssumeRole', Condition: { StringEquals: c.condition } },
      ]);
    });
  }

  it('refuses to build a trust with no hub role, or with neither an organization nor an external id', () => {
    expect(() => memberReaderTrustPolicy({ hubRoleArns: [], organizationId: 'o-a1b2c3d4e5' })).to.throw(/at least one hub role/);
    expect(() => memberReaderTrustPolicy({ hubRoleArns: HUB_ROLES })).to.throw(/organization id or an external id/);
  });

  it('allows the hub the three Scheduler reads of this account and Region, and nothing else', () => {
    const statements = memberReaderPolicy({ partition: 'aws', region: 'us-west-2', accountId: '444455556666' }).Statement;
    const grants = statements.flatMap((s) => [s.Action].flat().map((action) => `${action} ${s.Resource}`));
    expect(grants).to.have.members([
      'scheduler:ListScheduleGroups *',
      'scheduler:ListSchedules *',
      'scheduler:GetSchedule arn:aws:scheduler:us-west-2:444455556666:schedule/*/*',
    ]);
    expect(statements.every((s) => s.Effect === 'Allow')).to.equal(true);
  });

  it('names the read role from the Region, so the hub knows its ARN in every member', () => {
    expect(memberReaderRoleName('eu-west-1')).to.equal('scheduler-observer-reader-eu-west-1');
    expect(memberReaderRoleName('us-gov-west-1')).to.equal('scheduler-observer-reader-us-gov-west-1');
    expect(hubEventBusArn({ partition: 'aws', region: 'eu-west-1', accountId: '111122223333', busName: 'scheduler-observer-hub' })).to.equal(HUB_BUS);
  });
});

describe('a member stack (deployment = member)', () => {
  let resources: CreatedResource[];
  let outputs: Record<string, unknown>;
  before(async () => {
    ({ resources, outputs } = await loadProgram(MEMBER));
  });

  it('creates the member pieces only: no store, queue, monitor or reconciler of its own', () => {
    const types = resources.map((r) => r.type).sort();
    expect(types).to.deep.equal([
      'aws:cloudwatch/eventRule:EventRule',
      'aws:cloudwatch/eventTarget:EventTarget',
      'aws:iam/role:Role',
      'aws:iam/role:Role',
      'aws:iam/rolePolicy:RolePolicy',
      'aws:iam/rolePolicy:RolePolicy',
      'scheduler-observer:index:Member',
    ]);
  });

  it("matches the observer's own event pattern on the default bus and targets the hub's bus with the forwarding role", () => {
    const rule = oneOfType(resources, 'aws:cloudwatch/eventRule:EventRule').inputs;
    expect(JSON.parse(rule.eventPattern)).to.deep.equal(SCHEDULER_EVENT_PATTERN);
    expect(rule.eventBusName).to.equal(undefined);
    const target = oneOfType(resources, 'aws:cloudwatch/eventTarget:EventTarget').inputs;
    expect(target.arn).to.equal(HUB_BUS);
    const forward = oneOfType(resources, 'aws:iam/role:Role', '-forward-role');
    expect(target.roleArn).to.match(/forward-role/);
    expect(JSON.parse(forward.inputs.assumeRolePolicy)).to.deep.equal(memberForwardAssumeRolePolicy('123456789012'));
    expect(JSON.parse(oneOfType(resources, 'aws:iam/rolePolicy:RolePolicy', '-forward-policy').inputs.policy)).to.deep.equal(memberForwardPolicy(HUB_BUS));
  });

  it('creates the read role under its Region name, trusted by the hub roles in the organization only, allowed the reads only', () => {
    const reader = oneOfType(resources, 'aws:iam/role:Role', '-reader-role').inputs;
    expect(reader.name).to.equal('scheduler-observer-reader-us-east-1');
    expect(JSON.parse(reader.assumeRolePolicy)).to.deep.equal(memberReaderTrustPolicy({ hubRoleArns: HUB_ROLES, organizationId: 'o-a1b2c3d4e5' }));
    expect(JSON.parse(oneOfType(resources, 'aws:iam/rolePolicy:RolePolicy', '-reader-policy').inputs.policy)).to.deep.equal(
      memberReaderPolicy({ partition: 'aws', region: 'us-east-1', accountId: '123456789012' }),
    );
  });

  it('exports the member outputs and none of the standalone ones', async () => {
    expect(await outputOf(outputs.memberReaderRoleArn as string)).to.equal('arn:aws:iam::123456789012:role/scheduler-observer-reader-us-east-1');
    expect(await outputOf(outputs.memberRuleArn as string)).to.match(/^arn:aws:events:us-east-1:123456789012:rule\//);
    for (const name of ['tableName', 'queueUrl', 'stateMachineArn', 'reportBucketName', 'dashboardUrl']) expect(outputs[name], name).to.equal(undefined);
  });

  it('tags every taggable member resource with app and stack', () => {
    for (const resource of ofType(resources, 'aws:iam/role:Role').concat(ofType(resources, 'aws:cloudwatch/eventRule:EventRule'))) {
      expect(resource.inputs.tags, resource.name).to.deep.include({ app: 'scheduler-observer', stack: 'dev' });
    }
  });

  it('refuses a hub stack by name until the hub can read its members', async () => {
    let error: unknown;
    try {
      await loadProgram({ deployment: 'hub', organizationId: 'o-a1b2c3d4e5', memberRegions: 'us-east-1' });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.have.property('name', 'ConfigError');
    expect(String(error)).to.include('deployment = hub is not available yet');
  });
});
