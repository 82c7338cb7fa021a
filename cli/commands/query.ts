/**
 * `query`: questions Scheduler's API cannot answer ("which schedules invoke this function?", "what was deleted
 * from this group?"), served by the state store's keys and the byTarget index (see ../query-plan.ts).
 */
import { paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { ScheduleRecord } from '../../functions/core/types';
import type { Context } from '../context';
import { CliError, EXIT } from '../errors';
import { line, renderCompactTable, renderCsv, renderJson } from '../output';
import { printableDeep } from '../printable';
import { planQuery, readable, type QueryFilters, type QueryPlan } from '../query-plan';

export const QUERY_FORMATS = ['table', 'json', 'csv'] as const;

export interface QueryOptions extends QueryFilters {
  format: (typeof QUERY_FORMATS)[number];
  explain?: boolean;
}

interface ReadStats {
  pages: number;
  scanned: number;
  returned: number;
  capacity: number;
}

export async function query(ctx: Context, options: QueryOptions): Promise<number> {
  const plan = planQuery(ctx.stack.require('table'), options);
  if (options.explain) explain(ctx, plan);
  const { items: read, stats } = await execute(ctx, plan);
  // Descriptions, inputs and tags are anyone's text: safe for the terminal before any format prints them.
  const items = printableDeep(read);
  items.sort((a, b) => compare(a.groupName, b.groupName) || compare(a.scheduleName, b.scheduleName));
  if (options.explain) {
    const capacity = stats.capacity > 0 ? `, ${stats.capacity} RCU consumed` : '';
    ctx.stderr.write(`read:   ${stats.pages} page(s), ${stats.scanned} item(s) read, ${stats.returned} returned${capacity}\n`);
  }

  const head = ['group', 'schedule', 'status', 'state', 'expression', 'target', 'last modified', 'deleted'];
  const rows = items.map((item) => [
    item.groupName,
    item.scheduleName,
    item.status,
    item.state ?? '',
    item.scheduleExpression ?? '',
    item.target?.arn ?? '',
    item.lastModificationDate ?? '',
    item.status === 'DELETED' ? `${item.deletedAt ?? ''} ${item.deleteReason ?? ''}`.trim() : '',
  ]);
  switch (options.format) {
    case 'json':
      line(ctx.stdout, renderJson(items));
      break;
    case 'csv':
      ctx.stdout.write(renderCsv(head, rows));
      break;
    case 'table':
      line(ctx.stdout, items.length === 0 ? 'No schedules match.' : renderCompactTable(head, rows));
      break;
  }
  return EXIT.ok;
}

function explain(ctx: Context, plan: QueryPlan): void {
  const on = plan.indexName ? `index ${plan.indexName} of table ${plan.tableName}` : `table ${plan.tableName}`;
  const lines = [`plan:   ${plan.operation} on ${on}`];
  if (plan.keyCondition) lines.push(`key:    ${readable(plan.keyCondition, plan)}`);
  if (plan.filter) lines.push(`filter: ${readable(plan.filter, plan)} (applied after the read)`);
  lines.push(`why:    ${plan.why}`);
  ctx.stderr.write(`${lines.join('\n')}\n`);
}

async function execute(ctx: Context, plan: QueryPlan): Promise<{ items: ScheduleRecord[]; stats: ReadStats }> {
  const common = {
    TableName: plan.tableName,
    ...(plan.indexName ? { IndexName: plan.indexName } : {}),
    ...(plan.filter ? { FilterExpression: plan.filter } : {}),
    ExpressionAttributeNames: plan.names,
    ...(Object.keys(plan.values).length > 0 ? { ExpressionAttributeValues: plan.values } : {}),
    ReturnConsumedCapacity: 'TOTAL' as const,
  };
  const pages =
    plan.operation === 'Query'
      ? paginateQuery({ client: ctx.clients.dynamo }, { ...common, KeyConditionExpression: plan.keyCondition })
      : paginateScan({ client: ctx.clients.dynamo }, common);
  const items: ScheduleRecord[] = [];
  const stats: ReadStats = { pages: 0, scanned: 0, returned: 0, capacity: 0 };
  try {
    for await (const page of pages) {
      stats.pages++;
      stats.scanned += page.ScannedCount ?? 0;
      stats.returned += page.Count ?? 0;
      stats.capacity += page.ConsumedCapacity?.CapacityUnits ?? 0;
      items.push(...((page.Items ?? []) as ScheduleRecord[]));
    }
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') {
      throw new CliError(`table ${plan.tableName} not found (ResourceNotFoundException): check --table and --region`, { cause: error });
    }
    throw error;
  }
  return { items, stats };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
