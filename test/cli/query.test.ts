/**
 * `query` against dynalite with the state-store table that ships (infra/table-schema.ts): which DynamoDB
 * operation serves each question (recorded from the client's middleware, not taken from --explain's word),
 * what it prints, and the CSV/JSON/table outputs.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { BACKFILL_MARKER_NAME, GROUP_REGISTRY_PARTITION, STACK_PARTITION, type ScheduleRecord } from '../../functions/core/types';
import { LOCAL_CREDENTIALS, startLocalDynamo, type LocalDynamo } from '../../local/dynamodb';
import { planQuery } from '../../cli/query-plan';
import { fakePulumi } from './support/fake-pulumi';
import { runCli } from './support/run-cli';
import { matchSnapshot } from './support/snapshot';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:';
const ROLE = 'arn:aws:iam::123456789012:role/scheduler-invoke';

function live(groupName: string, scheduleName: string, state: 'ENABLED' | 'DISABLED', target: string, expression: string): ScheduleRecord {
  return {
    groupName,
    scheduleName,
    status: 'PRESENT',
    version: 1795552635000,
    readAt: 1795552636000,
    observedVia: 'event',
    lastEventId: `e-${scheduleName}`,
    updatedAt: '2026-11-24T20:37:16.000Z',
    scheduleExpression: expression,
    state,
    flexibleTimeWindow: { mode: 'OFF' },
    target: { arn: `${LAMBDA}${target}`, roleArn: ROLE },
    targetArn: `${LAMBDA}${target}`,
    lastModificationDate: '2026-11-24T20:37:15.000Z',
  };
}

const RECORDS: ScheduleRecord[] = [
  live('billing', 'invoice-daily', 'ENABLED', 'invoice', 'cron(0 8 * * ? *)'),
  live('billing', 'invoice-weekly', 'DISABLED', 'invoice', 'cron(0 8 ? * MON *)'),
  live('billing', 'ledger-sync', 'ENABLED', 'ledger', 'rate(1 hour)'),
  {
    // A tombstone keeps its last spec but not targetArn, so it leaves the byTarget index.
    ...live('billing', 'invoice-old', 'ENABLED', 'invoice', 'rate(1 day)'),
    status: 'DELETED',
    targetArn: undefined,
    deletedAt: '2026-11-20T10:00:00Z',
    deleteReason: 'SCHEDULE_DELETED',
    expiresAt: 1798144800,
  },
  live('marketing', 'campaign, "spring"', 'ENABLED', 'invoice', 'at(2026-12-01T09:00:00)'),
  live('default', 'cleanup', 'ENABLED', 'cleanup', 'rate(5 minutes)'),
];

describe('scheduler-observer query', () => {
  let dynamo: LocalDynamo;
  let raw: DynamoDBClient;
  let doc: DynamoDBDocumentClient;
  let table: string;
  const sent: Array<{ command: string; index?: string }> = [];

  before(async () => {
    dynamo = await startLocalDynamo();
    table = `state-${randomUUID().slice(0, 8)}`;
    await dynamo.createStateStoreTable(table);
    for (const item of RECORDS) await dynamo.doc.send(new PutCommand({ TableName: table, Item: item }));
    // The table's own records live beside the schedules: the group registry and the backfill marker.
    for (const group of new Set(RECORDS.map((r) => r.groupName))) {
      await dynamo.doc.send(new PutCommand({ TableName: table, Item: { groupName: GROUP_REGISTRY_PARTITION, scheduleName: group, status: 'GROUP_REGISTERED' } }));
    }
    await dynamo.doc.send(new PutCommand({ TableName: table, Item: { groupName: STACK_PARTITION, scheduleName: BACKFILL_MARKER_NAME, status: 'BACKFILLED', runId: 'r', completedAt: '2026-11-24T10:00:00Z' } }));
    raw = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    raw.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push({ command: context.commandName ?? '?', index: (args.input as { IndexName?: string }).IndexName });
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  });
  after(async () => {
    raw.destroy();
    await dynamo.close();
  });
  beforeEach(() => {
    sent.length = 0;
  });

  const cli = (...argv: string[]) => runCli(['query', '--table', table, ...argv], { clients: { dynamo: doc } });
  const names = (stdout: string) => (JSON.parse(stdout) as ScheduleRecord[]).map((r) => `${r.groupName}/${r.scheduleName}`);

  const cases = [
    {
      argv: ['--group', 'billing'],
      operation: 'QueryCommand',
      index: undefined,
      found: ['billing/invoice-daily', 'billing/invoice-weekly', 'billing/ledger-sync'],
      reason: 'a group is given (partition key)',
    },
    {
      argv: ['--group', 'billing', '--name-prefix', 'invoice-', '--include-deleted'],
      operation: 'QueryCommand',
      index: undefined,
      found: ['billing/invoice-daily', 'billing/invoice-old', 'billing/invoice-weekly'],
      reason: 'a group and a name prefix are given (sort key condition), tombstones included',
    },
    {
      argv: ['--target', `${LAMBDA}invoice`],
      operation: 'QueryCommand',
      index: 'byTarget',
      found: ['billing/invoice-daily', 'billing/invoice-weekly', 'marketing/campaign, "spring"'],
      reason: 'a target is given (byTarget index)',
    },
    {
      argv: ['--target', `${LAMBDA}invoice`, '--state', 'ENABLED'],
      operation: 'QueryCommand',
      index: 'byTarget',
      found: ['billing/invoice-daily', 'marketing/campaign, "spring"'],
      reason: 'a target and a state are given (index, then filter)',
    },
    {
      argv: ['--target', `${LAMBDA}invoice`, '--include-deleted'],
      operation: 'ScanCommand',
      index: undefined,
      found: ['billing/invoice-daily', 'billing/invoice-old', 'billing/invoice-weekly', 'marketing/campaign, "spring"'],
      reason: 'a target with tombstones is asked for (the index holds no tombstones)',
    },
    {
      argv: ['--group', 'billing', '--target', `${LAMBDA}invoice`, '--include-deleted'],
      operation: 'QueryCommand',
      index: undefined,
      found: ['billing/invoice-daily', 'billing/invoice-old', 'billing/invoice-weekly'],
      reason: 'a group and a target with tombstones are asked for (partition key, then filter on target.arn)',
    },
    {
      argv: ['--state', 'DISABLED'],
      operation: 'ScanCommand',
      index: undefined,
      found: ['billing/invoice-weekly'],
      reason: 'neither a group nor a target is given',
    },
    {
      argv: ['--name-prefix', 'c'],
      operation: 'ScanCommand',
      index: undefined,
      found: ['default/cleanup', 'marketing/campaign, "spring"'],
      reason: 'only a name prefix is given (a sort key condition needs the partition key)',
    },
  ];
  for (const { argv, operation, index, found, reason } of cases) {
    it(`uses ${operation.replace('Command', '')}${index ? ` on ${index}` : ''} and finds ${found.length} when ${reason}`, async () => {
      const result = await cli(...argv, '--format', 'json');
      expect(result.code).to.equal(0);
      expect(names(result.stdout)).to.deep.equal(found);
      expect(sent).to.deep.equal([{ command: operation, index }]);
    });
  }

  it('prints the plan, the reason and what was read on stderr when --explain (stdout stays data)', async () => {
    const result = await cli('--group', 'billing', '--name-prefix', 'invoice-', '--explain', '--format', 'json');
    expect(names(result.stdout)).to.have.length(2);
    expect(result.stderr.replace(table, 'TABLE')).to.equal(
      [
        'plan:   Query on table TABLE',
        'key:    groupName = "billing" AND begins_with(scheduleName, "invoice-")',
        'filter: status = "PRESENT" (applied after the read)',
        "why:    --group names the table's partition key (groupName): one Query reads only that group's items, and --name-prefix narrows them by the sort key (scheduleName).",
        'read:   1 page(s), 3 item(s) read, 2 returned, 0.5 RCU consumed',
        '',
      ].join('\n'),
    );
  });

  it('explains that a Scan reads the whole table when no key or index fits', async () => {
    const result = await cli('--state', 'DISABLED', '--explain');
    expect(result.stderr).to.include('plan:   Scan on table');
    expect(result.stderr).to.include('no --group or --target: no key or index fits, so a Scan reads the whole table');
    // A Scan reads every item: the schedules', the group registry's (one per group) and the backfill marker.
    expect(result.stderr).to.include(`${RECORDS.length + new Set(RECORDS.map((r) => r.groupName)).size + 1} item(s) read, 1 returned`);
  });

  it('explains the index when --target', async () => {
    const result = await cli('--target', `${LAMBDA}ledger`, '--explain');
    expect(result.stderr).to.include(`plan:   Query on index byTarget of table ${table}`);
    expect(result.stderr).to.include(`key:    targetArn = "${LAMBDA}ledger"`);
  });

  for (const format of ['table', 'csv', 'json']) {
    it(`prints the matching schedules sorted by group and name (--format ${format})`, async () => {
      const result = await cli('--target', `${LAMBDA}invoice`, '--include-deleted', '--format', format);
      expect(result).to.include({ code: 0, stderr: '' });
      matchSnapshot(`query.${format}`, result.stdout);
    });
  }

  it('quotes CSV fields with commas and quotes (RFC 4180)', async () => {
    const result = await cli('--group', 'marketing', '--format', 'csv');
    expect(result.stdout.split('\r\n')[1]).to.match(/^marketing,"campaign, ""spring""",PRESENT,/);
  });

  it('says no schedule matches when nothing does', async () => {
    const result = await cli('--group', 'nobody');
    expect(result).to.deep.include({ code: 0, stdout: 'No schedules match.\n' });
  });

  it('names the table, exit 1, when it does not exist', async () => {
    const result = await runCli(['query', '--table', 'no-such-table', '--group', 'g'], { clients: { dynamo: doc } });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal("error: table no-such-table not found (ResourceNotFoundException): check --table and --region\n");
  });

  it('finds the table in `pulumi stack output --json` when --table is not given and pulumi is on PATH', async () => {
    const { dir } = fakePulumi(JSON.stringify({ tableName: table, tableArn: `arn:aws:dynamodb:us-east-1:123456789012:table/${table}` }));
    const result = await runCli(['query', '--group', 'default', '--format', 'csv'], { env: { PATH: dir }, clients: { dynamo: doc } });
    expect(result).to.include({ code: 0, stderr: '' });
    expect(result.stdout).to.include('default,cleanup,PRESENT');
  });

  it('lists every schedule item and none of the table\'s own records when a Scan includes deleted items', async () => {
    const result = await cli('--include-deleted', '--format', 'json');
    expect(result.code).to.equal(0);
    expect(names(result.stdout)).to.have.members(RECORDS.map((r) => `${r.groupName}/${r.scheduleName}`));
  });

  describe('planQuery', () => {
    it('never filters on status when tombstones are included', () => {
      expect(planQuery('t', { group: 'g', includeDeleted: true }).filter).to.equal(undefined);
    });
  });
});
