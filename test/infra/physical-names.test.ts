/**
 * Physical names built from awkward stack names are valid for their service. The rules here are written out
 * again from each service's API reference, apart from infra/physical-names.ts, so that a wrong rule there fails
 * here; then the whole program is loaded under such stack names and every name it sets is checked.
 */
import { expect } from 'chai';
import { NAME_RULES, physicalName, timerGroupName, type NamedService } from '../../infra/physical-names';
import { loadProgram } from '../support/pulumi-mocks';

/** Pulumi stack names: 1-100 of a-z A-Z 0-9 - _ . (https://www.pulumi.com/docs/iac/concepts/stacks/). */
const AWKWARD_STACKS = ['dev', 'Prod.eu-1', 'Prod_eu-1', 'a', '..dots..', 'UPPER.lower_mixed-9', 'x'.repeat(100), 'feature.branch.with.many.dots.and-more'];

const NO_CONTROL = /^[^\u0000-\u001f\u007f]+$/;

/** Each service's rule, as its API reference states it. */
const DOCUMENTED: Record<NamedService, (name: string) => boolean> = {
  lambda: (n) => /^[a-zA-Z0-9_-]{1,64}$/.test(n),
  iamRole: (n) => /^[\w+=,.@-]{1,64}$/.test(n),
  sqs: (n) => /^[a-zA-Z0-9_-]{1,80}$/.test(n),
  sns: (n) => /^[a-zA-Z0-9_-]{1,256}$/.test(n),
  s3: (n) => /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(n) && !n.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(n) && !n.startsWith('xn--') && !n.endsWith('-s3alias'),
  stateMachine: (n) => n.length >= 1 && n.length <= 80 && !/[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(n) && NO_CONTROL.test(n),
  eventRule: (n) => /^[.\-_A-Za-z0-9]{1,64}$/.test(n),
  dynamodbTable: (n) => /^[a-zA-Z0-9_.-]{3,255}$/.test(n),
  schedule: (n) => /^[0-9a-zA-Z\-_.]{1,64}$/.test(n),
  scheduleGroup: (n) => /^[0-9a-zA-Z\-_.]{1,64}$/.test(n),
  logGroup: (n) => /^[.\-_/#A-Za-z0-9]{1,512}$/.test(n),
  dashboard: (n) => /^[A-Za-z0-9_-]{1,255}$/.test(n),
  alarm: (n) => n.length >= 1 && n.length <= 255 && NO_CONTROL.test(n),
  kmsAlias: (n) => /^[a-zA-Z0-9/_-]{1,250}$/.test(n) && !n.startsWith('aws/'),
  trail: (n) => /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/.test(n) && !/[._-]{2}/.test(n) && !/^\d+\.\d+\.\d+\.\d+$/.test(n),
};

/** Resource types whose name the program may set, the input that holds it, and the service rule it follows. */
const NAMED_TYPES: Record<string, { input: string; service: NamedService; strip?: RegExp }> = {
  'aws:lambda/function:Function': { input: 'name', service: 'lambda' },
  'aws:iam/role:Role': { input: 'name', service: 'iamRole' },
  'aws:sqs/queue:Queue': { input: 'name', service: 'sqs' },
  'aws:sns/topic:Topic': { input: 'name', service: 'sns' },
  'aws:s3/bucket:Bucket': { input: 'bucket', service: 's3' },
  'aws:sfn/stateMachine:StateMachine': { input: 'name', service: 'stateMachine' },
  'aws:cloudwatch/eventRule:EventRule': { input: 'name', service: 'eventRule' },
  'aws:dynamodb/table:Table': { input: 'name', service: 'dynamodbTable' },
  'aws:scheduler/schedule:Schedule': { input: 'name', service: 'schedule' },
  'aws:scheduler/scheduleGroup:ScheduleGroup': { input: 'name', service: 'scheduleGroup' },
  'aws:cloudwatch/logGroup:LogGroup': { input: 'name', service: 'logGroup' },
  'aws:cloudwatch/dashboard:Dashboard': { input: 'dashboardName', service: 'dashboard' },
  'aws:cloudwatch/metricAlarm:MetricAlarm': { input: 'name', service: 'alarm' },
  'aws:kms/alias:Alias': { input: 'name', service: 'kmsAlias', strip: /^alias\// },
  'aws:cloudtrail/trail:Trail': { input: 'name', service: 'trail' },
};

describe('physicalName', () => {
  for (const service of Object.keys(NAME_RULES) as NamedService[]) {
    it(`makes a valid ${service} name from every awkward stack name, each its own`, () => {
      const names = AWKWARD_STACKS.map((stack) => physicalName(service, 'scheduler-observer-reconciler-scan', stack));
      for (const [i, name] of names.entries()) expect(DOCUMENTED[service](name), `${AWKWARD_STACKS[i]} → ${name}`).to.equal(true);
      expect(new Set(names).size, names.join(', ')).to.equal(names.length);
    });
  }

  const unchanged = [
    { service: 'lambda' as const, parts: ['scheduler-observer-monitor', 'dev'], reason: 'a valid Lambda name (no replacement for stacks deployed before the helper)' },
    { service: 'alarm' as const, parts: ['scheduler-observer', 'prod', 'dlq-messages'], reason: 'a valid alarm name' },
    { service: 'trail' as const, parts: ['scheduler-observer-trail', 'dev'], reason: 'a valid trail name' },
    { service: 'trail' as const, parts: ['scheduler-observer-trail', 'Prod.eu-1'], reason: 'a trail name with a dot (no replacement of a deployed trail)' },
    { service: 'scheduleGroup' as const, parts: ['scheduler-observer-reconciler-timer', 'Prod.eu-1'], reason: 'a group name may hold dots' },
  ];
  for (const c of unchanged) {
    it(`keeps ${c.reason} exactly as it is`, () => {
      expect(physicalName(c.service, ...c.parts)).to.equal(c.parts.join('-'));
    });
  }

  it('gives the same name for the same stack every time (no churn between deployments)', () => {
    expect(physicalName('lambda', 'scheduler-observer-monitor', 'Prod.eu-1')).to.equal(physicalName('lambda', 'scheduler-observer-monitor', 'Prod.eu-1'));
    expect(physicalName('lambda', 'scheduler-observer-monitor', 'Prod.eu-1')).to.match(/^scheduler-observer-monitor-Prod-eu-1-[0-9a-f]{8}$/);
  });

  it('names the reconciler timer group as the stack does, for the CLI', () => {
    expect(timerGroupName('Prod.eu-1')).to.equal('scheduler-observer-reconciler-timer-Prod.eu-1');
    expect(DOCUMENTED.scheduleGroup(timerGroupName('x'.repeat(100)))).to.equal(true);
  });
});

describe('the program under awkward stack names', function () {
  this.timeout(120_000);
  for (const stack of ['Prod.eu-1', 'x'.repeat(100)]) {
    it(`sets only valid physical names when the stack is ${stack.length > 20 ? `${stack.slice(0, 8)}… (${stack.length} characters)` : stack}`, async () => {
      // Act
      const { resources, outputs } = await loadProgram({ createTrail: 'true', demoSeed: 'true' }, { stack });
      // Assess
      const checked: string[] = [];
      for (const resource of resources) {
        const rule = NAMED_TYPES[resource.type];
        const value = rule ? (resource.inputs[rule.input] as unknown) : undefined;
        if (!rule || typeof value !== 'string') continue;
        const name = rule.strip ? value.replace(rule.strip, '') : value;
        expect(DOCUMENTED[rule.service](name), `${resource.type} ${resource.name}: ${name}`).to.equal(true);
        checked.push(rule.service);
      }
      // The names the stack sets itself from the stack name are all among those checked.
      expect(checked).to.include.members(['lambda', 'logGroup', 'alarm', 'trail', 'scheduleGroup', 'dashboard']);
      expect(await new Promise((resolve) => (outputs.timerGroupName as { apply: (f: (v: unknown) => void) => void }).apply(resolve))).to.equal(timerGroupName(stack));
    });
  }
});
