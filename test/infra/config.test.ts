import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_KEYS, ConfigError, parseObserverConfig, LOG_RETENTION_DAYS } from '../../infra/config';

describe('parseObserverConfig', () => {
  it('returns every default, frozen, when no key is set', () => {
    const config = parseObserverConfig({});

    expect(config).to.deep.equal({
      createTrail: false,
      trailMultiRegion: false,
      demoSeed: false,
      tombstoneTtlDays: 30,
      logRetentionDays: 30,
      logLevel: 'INFO',
      monitorBatchSize: 10,
      monitorBatchWindowSeconds: 5,
      monitorMaxConcurrency: 5,
      monitorGetScheduleRate: 100,
      monitorTimeoutSeconds: 30,
      tableDeletionProtection: true,
      forceDestroyBuckets: false,
      scheduleKmsKeyArns: [],
      targetInput: 'hash',
      heartbeatMinutes: 5,
      tableKmsKeyArn: undefined,
      reconcileSchedule: 'rate(1 hour)',
      reconcileMode: 'report',
      reconcileEnabled: true,
      reportRetentionDays: 90,
      alertEmail: undefined,
      queueAgeAlarmSeconds: 900,
      driftAlarm: { mode: 'any' },
      metricsNamespace: 'SchedulerObserver',
      tags: {},
      deployment: 'standalone',
      members: [],
      organizationId: undefined,
      memberRegions: [],
      memberDeployRoleName: 'OrganizationAccountAccessRole',
      hubAccountId: undefined,
      hubRegion: undefined,
      hubEventBusName: undefined,
      hubRoleArns: [],
      memberExternalId: undefined,
    });
    expect(Object.isFrozen(config)).to.equal(true);
  });

  const valid: { reason: string; raw: Record<string, string>; expected: Record<string, unknown> }[] = [
    { reason: 'a comma-separated list of key ARNs, spaces and empty entries ignored', raw: { scheduleKmsKeyArns: ' arn:aws:kms:us-east-1:123456789012:key/a1 ,, arn:aws:kms:eu-west-1:123456789012:key/b2' }, expected: { scheduleKmsKeyArns: ['arn:aws:kms:us-east-1:123456789012:key/a1', 'arn:aws:kms:eu-west-1:123456789012:key/b2'] } },
    { reason: 'booleans are the strings pulumi config stores', raw: { createTrail: 'true', trailMultiRegion: 'true', demoSeed: 'true', tableDeletionProtection: 'false' }, expected: { createTrail: true, trailMultiRegion: true, demoSeed: true, tableDeletionProtection: false } },
    { reason: 'integer bounds are inclusive (low)', raw: { tombstoneTtlDays: '1', monitorBatchSize: '1', monitorBatchWindowSeconds: '0', monitorMaxConcurrency: '2', monitorTimeoutSeconds: '3' }, expected: { tombstoneTtlDays: 1, monitorBatchSize: 1, monitorBatchWindowSeconds: 0, monitorMaxConcurrency: 2, monitorTimeoutSeconds: 3 } },
    { reason: 'integer bounds are inclusive (high)', raw: { tombstoneTtlDays: '3650', monitorBatchSize: '10000', monitorBatchWindowSeconds: '300', monitorGetScheduleRate: '10000', monitorTimeoutSeconds: '900' }, expected: { tombstoneTtlDays: 3650, monitorBatchSize: 10000, monitorBatchWindowSeconds: 300, monitorGetScheduleRate: 10000, monitorTimeoutSeconds: 900 } },
    { reason: 'the concurrency bound is inclusive (high), with a rate that still reads a batch in time', raw: { monitorMaxConcurrency: '1000', monitorGetScheduleRate: '10000' }, expected: { monitorMaxConcurrency: 1000, monitorGetScheduleRate: 10000 } },
    { reason: 'a batch above 10 is allowed with a batching window', raw: { monitorBatchSize: '11', monitorBatchWindowSeconds: '1' }, expected: { monitorBatchSize: 11, monitorBatchWindowSeconds: 1 } },
    { reason: 'a batch of 10 needs no batching window', raw: { monitorBatchSize: '10', monitorBatchWindowSeconds: '0' }, expected: { monitorBatchSize: 10, monitorBatchWindowSeconds: 0 } },
    { reason: 'every CloudWatch retention value is accepted', raw: { logRetentionDays: '3653' }, expected: { logRetentionDays: 3653 } },
    { reason: 'a log level from the list', raw: { logLevel: 'DEBUG' }, expected: { logLevel: 'DEBUG' } },
    { reason: 'a KMS key ARN', raw: { tableKmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' }, expected: { tableKmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' } },
    { reason: 'an empty string means unset', raw: { tombstoneTtlDays: '' }, expected: { tombstoneTtlDays: 30 } },
    { reason: 'a rate in minutes (singular and plural units both parse)', raw: { reconcileSchedule: 'rate(15 minutes)' }, expected: { reconcileSchedule: 'rate(15 minutes)' } },
    { reason: 'a rate of one day', raw: { reconcileSchedule: 'rate(1 day)' }, expected: { reconcileSchedule: 'rate(1 day)' } },
    { reason: 'a six-field cron with day-of-week ?', raw: { reconcileSchedule: 'cron(0 2 * * ? *)' }, expected: { reconcileSchedule: 'cron(0 2 * * ? *)' } },
    { reason: 'a six-field cron with day-of-month ?', raw: { reconcileSchedule: 'cron(30 6 ? * MON-FRI *)' }, expected: { reconcileSchedule: 'cron(30 6 ? * MON-FRI *)' } },
    { reason: 'repair mode', raw: { reconcileMode: 'repair' }, expected: { reconcileMode: 'repair' } },
    { reason: 'the timer may be off', raw: { reconcileEnabled: 'false' }, expected: { reconcileEnabled: false } },
    { reason: 'report retention bounds are inclusive', raw: { reportRetentionDays: '3650' }, expected: { reportRetentionDays: 3650 } },
    { reason: 'an email address', raw: { alertEmail: 'ops@example.com' }, expected: { alertEmail: 'ops@example.com' } },
    { reason: 'queue age bounds are inclusive (low)', raw: { queueAgeAlarmSeconds: '60' }, expected: { queueAgeAlarmSeconds: 60 } },
    { reason: 'queue age bounds are inclusive (high: a day)', raw: { queueAgeAlarmSeconds: '86400' }, expected: { queueAgeAlarmSeconds: 86400 } },
    { reason: 'another CloudWatch namespace, with the allowed punctuation', raw: { metricsNamespace: 'Platform/Scheduler-Observer_1.0 #a:b' }, expected: { metricsNamespace: 'Platform/Scheduler-Observer_1.0 #a:b' } },
  ];
  for (const { reason, raw, expected } of valid) {
    it(`accepts ${JSON.stringify(raw)} because ${reason}`, () => {
      expect(parseObserverConfig(raw)).to.deep.include(expected);
    });
  }

  const driftAlarms: { reason: string; value: string; expected: unknown }[] = [
    { reason: 'the drift alarm can be turned off', value: 'off', expected: { mode: 'off' } },
    { reason: 'any drift item fires it', value: 'any', expected: { mode: 'any' } },
    { reason: 'only more than N items fire it', value: 'above:5', expected: { mode: 'above', count: 5 } },
    { reason: 'N up to a million', value: 'above:1000000', expected: { mode: 'above', count: 1000000 } },
  ];
  for (const { reason, value, expected } of driftAlarms) {
    it(`parses driftAlarm = ${JSON.stringify(value)} because ${reason}`, () => {
      expect(parseObserverConfig({ driftAlarm: value }).driftAlarm).to.deep.equal(expected);
    });
  }

  it('parses tags as a frozen map of strings, from a JSON string or the JSON Pulumi gives an object value', () => {
    const tags = parseObserverConfig({ tags: '{"team":"platform","cost-center":"cc:1234","empty":""}' }).tags;

    expect(tags).to.deep.equal({ team: 'platform', 'cost-center': 'cc:1234', empty: '' });
    expect(Object.isFrozen(tags)).to.equal(true);
    expect(parseObserverConfig({ tags: '{}' }).tags).to.deep.equal({});
  });

  it('accepts each of CloudWatch’s retention values and nothing in between', () => {
    for (const days of LOG_RETENTION_DAYS) expect(parseObserverConfig({ logRetentionDays: String(days) }).logRetentionDays).to.equal(days);
    expect(() => parseObserverConfig({ logRetentionDays: '31' })).to.throw(ConfigError);
  });

  const invalid: { reason: string; key: string; value: string; allowed: string }[] = [
    { reason: 'not a boolean word', key: 'createTrail', value: 'yes', allowed: 'true or false' },
    { reason: 'booleans are case-sensitive, as pulumi.Config.getBoolean', key: 'trailMultiRegion', value: 'True', allowed: 'true or false' },
    { reason: 'not a boolean word', key: 'demoSeed', value: '1', allowed: 'true or false' },
    { reason: 'not a boolean word', key: 'tableDeletionProtection', value: 'off', allowed: 'true or false' },
    { reason: 'yes is not a boolean word', key: 'forceDestroyBuckets', value: 'yes', allowed: 'true or false' },
    { reason: 'not one of the three modes', key: 'targetInput', value: 'encrypt', allowed: 'one of hash, full, omit' },
    { reason: 'more than a day between heartbeats', key: 'heartbeatMinutes', value: '1441', allowed: 'an integer from 0 to 1440' },
    { reason: 'one entry of the list is an alias, not a key ARN', key: 'scheduleKmsKeyArns', value: 'arn:aws:kms:us-east-1:123456789012:key/abc, alias/mine', allowed: 'a comma-separated list of KMS key ARNs' },
    { reason: 'below the minimum', key: 'tombstoneTtlDays', value: '0', allowed: 'an integer from 1 to 3650' },
    { reason: 'above the maximum', key: 'tombstoneTtlDays', value: '3651', allowed: 'an integer from 1 to 3650' },
    { reason: 'not an integer', key: 'tombstoneTtlDays', value: '1.5', allowed: 'an integer from 1 to 3650' },
    { reason: 'not a number at all', key: 'tombstoneTtlDays', value: 'thirty', allowed: 'an integer from 1 to 3650' },
    { reason: 'not a CloudWatch retention value', key: 'logRetentionDays', value: '2', allowed: 'one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653' },
    { reason: 'not a level', key: 'logLevel', value: 'info', allowed: 'one of DEBUG, INFO, WARN, ERROR' },
    { reason: 'Lambda accepts at most 10,000 records per batch', key: 'monitorBatchSize', value: '10001', allowed: 'an integer from 1 to 10000' },
    { reason: 'a batch cannot be empty', key: 'monitorBatchSize', value: '0', allowed: 'an integer from 1 to 10000' },
    { reason: 'the batching window is at most 300 s', key: 'monitorBatchWindowSeconds', value: '301', allowed: 'an integer from 0 to 300' },
    { reason: 'negative window', key: 'monitorBatchWindowSeconds', value: '-1', allowed: 'an integer from 0 to 300' },
    { reason: 'SQS maximum concurrency starts at 2', key: 'monitorMaxConcurrency', value: '1', allowed: 'an integer from 2 to 1000' },
    { reason: 'SQS maximum concurrency ends at 1000', key: 'monitorMaxConcurrency', value: '1001', allowed: 'an integer from 2 to 1000' },
    { reason: 'the monitor needs at least one GetSchedule per second', key: 'monitorGetScheduleRate', value: '0', allowed: 'an integer from 1 to 10000' },
    { reason: 'a GetSchedule rate beyond any quota is a typo', key: 'monitorGetScheduleRate', value: '10001', allowed: 'an integer from 1 to 10000' },
    { reason: 'Lambda timeouts end at 900 s', key: 'monitorTimeoutSeconds', value: '901', allowed: 'an integer from 3 to 900' },
    { reason: 'Lambda timeouts below 3 s are not useful here', key: 'monitorTimeoutSeconds', value: '2', allowed: 'an integer from 3 to 900' },
    { reason: 'an alias is not a key ARN', key: 'tableKmsKeyArn', value: 'alias/aws/dynamodb', allowed: 'a KMS key ARN' },
    { reason: 'at(...) is a one-time schedule: it would reconcile once', key: 'reconcileSchedule', value: 'at(2030-01-01T00:00:00)', allowed: 'rate(<positive integer> minute|minutes|hour|hours|day|days) or cron(<6 fields>)' },
    { reason: 'a rate must be a positive integer', key: 'reconcileSchedule', value: 'rate(0 hours)', allowed: 'rate(<positive integer>' },
    { reason: 'prose is not an expression', key: 'reconcileSchedule', value: 'every hour', allowed: 'or cron(<6 fields>)' },
    { reason: 'Scheduler has no rate in seconds', key: 'reconcileSchedule', value: 'rate(30 seconds)', allowed: 'minute|minutes|hour|hours|day|days' },
    { reason: 'a Unix five-field cron lacks the year field', key: 'reconcileSchedule', value: 'cron(0 * * * *)', allowed: 'cron(<6 fields>)' },
    { reason: 'day-of-month and day-of-week cannot both be set', key: 'reconcileSchedule', value: 'cron(0 2 1 * MON *)', allowed: 'day-of-month or day-of-week "?"' },
    { reason: 'not a mode', key: 'reconcileMode', value: 'fix', allowed: 'one of report, repair' },
    { reason: 'modes are case-sensitive', key: 'reconcileMode', value: 'Report', allowed: 'one of report, repair' },
    { reason: 'not a boolean word', key: 'reconcileEnabled', value: 'on', allowed: 'true or false' },
    { reason: 'a report must be kept at least a day', key: 'reportRetentionDays', value: '0', allowed: 'an integer from 1 to 3650' },
    { reason: 'ten years at most', key: 'reportRetentionDays', value: '3651', allowed: 'an integer from 1 to 3650' },
    { reason: 'not an email address', key: 'alertEmail', value: 'ops-at-example.com', allowed: 'an email address' },
    { reason: 'a minute is the shortest age worth an alarm', key: 'queueAgeAlarmSeconds', value: '59', allowed: 'an integer from 60 to 86400' },
    { reason: 'more than a day is not "falling behind" but lost', key: 'queueAgeAlarmSeconds', value: '86401', allowed: 'an integer from 60 to 86400' },
    { reason: 'not a drift alarm setting', key: 'driftAlarm', value: 'on', allowed: 'off, any or above:<N>' },
    { reason: 'above:0 is any', key: 'driftAlarm', value: 'above:0', allowed: 'off, any or above:<N>' },
    { reason: 'N must be an integer', key: 'driftAlarm', value: 'above:2.5', allowed: 'off, any or above:<N>' },
    { reason: 'N above a million', key: 'driftAlarm', value: 'above:1000001', allowed: 'off, any or above:<N>' },
    { reason: 'settings are case-sensitive', key: 'driftAlarm', value: 'Any', allowed: 'off, any or above:<N>' },
    { reason: 'not a shape', key: 'deployment', value: 'spoke', allowed: 'one of standalone, hub, member' },
    { reason: 'not JSON', key: 'members', value: '{accountId: 1}', allowed: 'a JSON list of' },
    { reason: 'not an organization id', key: 'organizationId', value: 'org-1', allowed: 'an organization id' },
    { reason: 'not a Region', key: 'memberRegions', value: 'Virginia', allowed: 'Region codes' },
    { reason: 'a space in a role name', key: 'memberDeployRoleName', value: 'my role', allowed: 'an IAM role name' },
    { reason: 'eleven digits', key: 'hubAccountId', value: '11112222333', allowed: 'an AWS account id' },
    { reason: 'not a Region', key: 'hubRegion', value: 'eu_west_1', allowed: 'a Region code' },
    { reason: 'the default bus cannot be a hub bus', key: 'hubEventBusName', value: 'default', allowed: 'an event bus name' },
    { reason: 'a user is not a role', key: 'hubRoleArns', value: 'arn:aws:iam::111122223333:user/alice', allowed: 'IAM role ARNs' },
    { reason: 'too short', key: 'memberExternalId', value: 'x', allowed: 'an external id' },
    { reason: 'AWS/ namespaces are reserved for AWS services', key: 'metricsNamespace', value: 'AWS/Lambda', allowed: 'not starting with "AWS/"' },
    { reason: 'a namespace needs a non-space character', key: 'metricsNamespace', value: '   ', allowed: 'a CloudWatch namespace' },
    { reason: 'a namespace has no $', key: 'metricsNamespace', value: 'Scheduler$Observer', allowed: 'a CloudWatch namespace' },
    { reason: 'a namespace is at most 255 characters', key: 'metricsNamespace', value: 'N'.repeat(256), allowed: 'a CloudWatch namespace' },
    { reason: 'tags must be JSON', key: 'tags', value: 'team=platform', allowed: 'a JSON object of string values' },
    { reason: 'tags must be an object, not a list', key: 'tags', value: '["team"]', allowed: 'a JSON object of string values' },
    { reason: 'tag values must be strings', key: 'tags', value: '{"replicas":3}', allowed: 'a JSON object of string values' },
    { reason: 'app is the stack’s own tag', key: 'tags', value: '{"app":"other"}', allowed: 'not the keys app or stack' },
    { reason: 'stack is the stack’s own tag', key: 'tags', value: '{"stack":"prod"}', allowed: 'not the keys app or stack' },
    { reason: 'aws: is AWS’s own tag prefix', key: 'tags', value: '{"aws:team":"x"}', allowed: 'no key starting with "aws:"' },
    { reason: 'a tag key is at most 128 characters', key: 'tags', value: JSON.stringify({ ['k'.repeat(129)]: 'v' }), allowed: 'keys of 1-128' },
    { reason: 'a tag value is at most 256 characters', key: 'tags', value: JSON.stringify({ team: 'v'.repeat(257) }), allowed: 'values of 0-256' },
    { reason: 'tags allow only letters, digits, spaces and _ . : / = + - @', key: 'tags', value: '{"team":"a&b"}', allowed: 'letters, digits, spaces' },
    { reason: 'AWS allows 50 tags per resource and the stack uses two', key: 'tags', value: JSON.stringify(Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']))), allowed: 'at most 48 tags' },
  ];
  for (const { reason, key, value, allowed } of invalid) {
    it(`rejects ${key} = ${JSON.stringify(value)} naming the key, the value and what is allowed, because ${reason}`, () => {
      expect(() => parseObserverConfig({ [key]: value }))
        .to.throw(ConfigError)
        .with.property('message')
        .that.includes(`scheduler-observer:${key} = ${JSON.stringify(value)}`)
        .and.includes(allowed);
    });
  }

  it('has an invalid case for every key', () => {
    expect([...new Set(invalid.map((c) => c.key))].sort()).to.deep.equal([...CONFIG_KEYS].sort());
  });

  it('rejects a batch above 10 without a batching window, naming both keys', () => {
    expect(() => parseObserverConfig({ monitorBatchSize: '11', monitorBatchWindowSeconds: '0' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.includes('scheduler-observer:monitorBatchSize = 11')
      .and.includes('scheduler-observer:monitorBatchWindowSeconds of at least 1');
  });

  it('rejects a GetSchedule rate too low to read a batch of distinct schedules within the monitor timeout', () => {
    // 20 / 5 = 4 calls per second: 200 schedules take 50 s, over the 30 s timeout.
    expect(() => parseObserverConfig({ monitorGetScheduleRate: '20', monitorMaxConcurrency: '5', monitorBatchSize: '200', monitorBatchWindowSeconds: '5', monitorTimeoutSeconds: '30' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.includes('scheduler-observer:monitorGetScheduleRate = 20')
      .and.includes('a batch of 200 distinct schedules needs 50 s, more than monitorTimeoutSeconds = 30');
    // 40 s fits in a 45 s timeout.
    expect(parseObserverConfig({ monitorGetScheduleRate: '25', monitorMaxConcurrency: '5', monitorBatchSize: '200', monitorBatchWindowSeconds: '5', monitorTimeoutSeconds: '45' })).to.include({ monitorGetScheduleRate: 25 });
  });

  it('rejects an unknown key, listing the known ones, when a key is misspelt', () => {
    expect(() => parseObserverConfig({ createTrial: 'true' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.includes('scheduler-observer:createTrial is not a known key')
      .and.includes('createTrail');
  });

  it('reports every bad key at once when several are wrong', () => {
    try {
      parseObserverConfig({ createTrail: 'maybe', monitorMaxConcurrency: '0' });
      expect.fail('expected a ConfigError');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError).and.have.property('name', 'ConfigError');
      expect((error as ConfigError).problems.map((p) => p.key)).to.deep.equal(['createTrail', 'monitorMaxConcurrency']);
    }
  });
});

describe('Pulumi.dev.yaml', () => {
  it('documents every config key with its default', () => {
    const text = readFileSync(path.resolve(__dirname, '..', '..', 'Pulumi.dev.yaml'), 'utf8');
    const documented = new Map(
      [...text.matchAll(/^\s*(#\s*)?scheduler-observer:(\w+):\s*"?([^"\n]*)"?\s*$/gm)].map((m) => [m[2]!, m[1] ? undefined : m[3]!]),
    );

    expect([...documented.keys()].sort()).to.deep.equal([...CONFIG_KEYS].sort());
    expect(parseObserverConfig(Object.fromEntries(documented))).to.deep.equal(parseObserverConfig({}));
  });
});

describe('parseObserverConfig: deployment shapes (README "Organization")', () => {
  const HUB_ROLES = 'arn:aws:iam::111122223333:role/hub-monitor, arn:aws:iam::111122223333:role/hub-reconciler-scan';
  const member = { deployment: 'member', hubAccountId: '111122223333', hubRegion: 'eu-west-1', hubEventBusName: 'scheduler-observer-hub', hubRoleArns: HUB_ROLES };

  it('parses a member with an organization: the hub, its bus and its role ARNs', () => {
    expect(parseObserverConfig({ ...member, organizationId: 'o-a1b2c3d4e5' })).to.deep.include({
      deployment: 'member',
      hubAccountId: '111122223333',
      hubRegion: 'eu-west-1',
      hubEventBusName: 'scheduler-observer-hub',
      hubRoleArns: ['arn:aws:iam::111122223333:role/hub-monitor', 'arn:aws:iam::111122223333:role/hub-reconciler-scan'],
      organizationId: 'o-a1b2c3d4e5',
    });
  });

  it('parses a member with an external id instead of an organization', () => {
    expect(parseObserverConfig({ ...member, memberExternalId: 'scheduler-observer:prod' }).memberExternalId).to.equal('scheduler-observer:prod');
  });

  it('parses the members list of a hub (then refuses the hub: not available yet)', () => {
    const raw = { deployment: 'hub', members: '[{"accountId":"444455556666","regions":["us-east-1","eu-west-1"]}]', memberExternalId: 'x1' };
    expect(() => parseObserverConfig(raw)).to.throw(ConfigError, /^deployment = hub is not available yet/);
    try {
      parseObserverConfig(raw);
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.key)).to.deep.equal(['deployment']);
    }
  });

  const invalid: Array<{ reason: string; raw: Record<string, string>; key: string; message: RegExp }> = [
    { reason: 'a standalone stack given members was meant to be a hub', raw: { members: '[{"accountId":"444455556666","regions":["us-east-1"]}]' }, key: 'members', message: /members applies to deployment = hub, not standalone/ },
    { reason: 'a standalone stack given a hub account was meant to be a member', raw: { hubAccountId: '111122223333' }, key: 'hubAccountId', message: /hubAccountId applies to deployment = member, not standalone/ },
    { reason: 'a member needs its hub', raw: { deployment: 'member', organizationId: 'o-a1b2c3d4e5' }, key: 'hubAccountId', message: /hubAccountId is required with deployment = member/ },
    { reason: 'a member needs the hub roles it trusts', raw: { ...member, hubRoleArns: '', organizationId: 'o-a1b2c3d4e5' }, key: 'hubRoleArns', message: /hubRoleArns is required with deployment = member/ },
    { reason: 'a member trusts only under an organization or an external id', raw: member, key: 'memberExternalId', message: /needs scheduler-observer:organizationId or scheduler-observer:memberExternalId/ },
    { reason: 'the trusted roles must be the hub account\'s', raw: { ...member, organizationId: 'o-a1b2c3d4e5', hubRoleArns: 'arn:aws:iam::999999999999:role/other' }, key: 'hubRoleArns', message: /must be roles of the hub account 111122223333/ },
    { reason: 'members is for hubs', raw: { ...member, organizationId: 'o-a1b2c3d4e5', members: '[{"accountId":"444455556666","regions":["us-east-1"]}]' }, key: 'members', message: /members applies to deployment = hub, not member/ },
    { reason: 'a hub lists members or names an organization, not both', raw: { deployment: 'hub', organizationId: 'o-a1b2c3d4e5', memberRegions: 'us-east-1', members: '[{"accountId":"444455556666","regions":["us-east-1"]}]' }, key: 'members', message: /exactly one of scheduler-observer:members/ },
    { reason: 'a hub over an organization needs its Regions', raw: { deployment: 'hub', organizationId: 'o-a1b2c3d4e5' }, key: 'memberRegions', message: /memberRegions is required with deployment = hub/ },
    { reason: 'a hub of listed members needs the external id its members trust', raw: { deployment: 'hub', members: '[{"accountId":"444455556666","regions":["us-east-1"]}]' }, key: 'memberExternalId', message: /memberExternalId is required with deployment = hub/ },
    { reason: 'listed members carry their own Regions', raw: { deployment: 'hub', memberExternalId: 'x1', memberRegions: 'us-east-1', members: '[{"accountId":"444455556666","regions":["us-east-1"]}]' }, key: 'memberRegions', message: /memberRegions goes with organizationId/ },
  ];
  for (const c of invalid) {
    it(`names ${c.key} when ${c.reason}`, () => {
      let problems: Array<{ key: string; message: string }> = [];
      try {
        parseObserverConfig(c.raw);
      } catch (error) {
        expect(error).to.be.instanceOf(ConfigError);
        problems = [...(error as ConfigError).problems];
      }
      expect(problems.map((p) => p.key)).to.include(c.key);
      expect(problems.find((p) => p.key === c.key)!.message).to.match(c.message);
    });
  }

  const malformed: Array<{ key: string; value: string; allowed: RegExp }> = [
    { key: 'deployment', value: 'spoke', allowed: /one of standalone, hub, member/ },
    { key: 'members', value: 'not json', allowed: /a JSON list of/ },
    { key: 'members', value: '[]', allowed: /a JSON list of/ },
    { key: 'members', value: '[{"accountId":"12345","regions":["us-east-1"]}]', allowed: /12 digits/ },
    { key: 'members', value: '[{"accountId":"444455556666","regions":[]}]', allowed: /1-30 distinct Regions/ },
    { key: 'members', value: '[{"accountId":"444455556666","regions":["us-east-1","us-east-1"]}]', allowed: /distinct Regions/ },
    { key: 'members', value: '[{"accountId":"444455556666","regions":["US-EAST-1"]}]', allowed: /a JSON list of/ },
    { key: 'members', value: '[{"accountId":"444455556666","regions":["us-east-1"]},{"accountId":"444455556666","regions":["eu-west-1"]}]', allowed: /each once/ },
    { key: 'members', value: '[{"accountId":"444455556666","regions":["us-east-1"],"role":"x"}]', allowed: /a JSON list of/ },
    { key: 'organizationId', value: 'o-short', allowed: /an organization id/ },
    { key: 'memberRegions', value: 'us-east-1,us-east-1', allowed: /distinct Region codes/ },
    { key: 'memberRegions', value: 'mars-north-1', allowed: /Region codes/ },
    { key: 'hubAccountId', value: '1111-2222-3333', allowed: /12 digits/ },
    { key: 'hubEventBusName', value: 'default', allowed: /not "default"/ },
    { key: 'hubRoleArns', value: 'arn:aws:iam::111122223333:user/alice', allowed: /IAM role ARNs/ },
    { key: 'memberExternalId', value: 'x', allowed: /2-1224/ },
    { key: 'memberDeployRoleName', value: 'a role', allowed: /an IAM role name/ },
  ];
  for (const c of malformed) {
    it(`refuses ${c.key} = ${JSON.stringify(c.value)}, naming what it accepts`, () => {
      expect(() => parseObserverConfig({ [c.key]: c.value })).to.throw(ConfigError, c.allowed);
    });
  }
});

