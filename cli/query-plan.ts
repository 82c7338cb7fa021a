/**
 * How `query` reads the state store: a Query on the table's partition key (groupName) when a group is given,
 * a Query on the sparse `byTarget` index when a target is given, a Scan only when neither fits. Pure: the
 * plan is data, so `--explain` and the tests read it.
 *
 * Key conditions narrow what DynamoDB reads; filter expressions apply after the read, and every item read is
 * paid for (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.FilterExpression.html).
 */
import { BY_TARGET_INDEX, STATE_STORE_KEYS } from '../infra/table-schema';

export interface QueryFilters {
  group?: string;
  target?: string;
  state?: 'ENABLED' | 'DISABLED';
  namePrefix?: string;
  includeDeleted?: boolean;
}

export interface QueryPlan {
  operation: 'Query' | 'Scan';
  tableName: string;
  indexName?: string;
  keyCondition?: string;
  filter?: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
  /** One sentence: why this operation, and what it costs. */
  why: string;
}

export function planQuery(tableName: string, filters: QueryFilters): QueryPlan {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const keyParts: string[] = [];
  const filterParts: string[] = [];
  const name = (attribute: string) => {
    names[`#${attribute}`] = attribute;
    return `#${attribute}`;
  };
  const value = (key: string, v: unknown) => {
    values[`:${key}`] = v;
    return `:${key}`;
  };
  const prefix = filters.namePrefix === undefined ? undefined : `begins_with(${name(STATE_STORE_KEYS.sort)}, ${value('prefix', filters.namePrefix)})`;
  // target.arn, not the top-level targetArn: tombstones keep their last spec but drop targetArn (the index key).
  const nestedTarget = () => `${name('target')}.${name('arn')} = ${value('target', filters.target)}`;

  let plan: Pick<QueryPlan, 'operation' | 'indexName' | 'why'>;
  if (filters.group !== undefined) {
    keyParts.push(`${name(STATE_STORE_KEYS.partition)} = ${value('group', filters.group)}`);
    if (prefix) keyParts.push(prefix);
    if (filters.target !== undefined) filterParts.push(nestedTarget());
    plan = {
      operation: 'Query',
      why:
        `--group names the table's partition key (${STATE_STORE_KEYS.partition}): one Query reads only that group's items` +
        (prefix ? `, and --name-prefix narrows them by the sort key (${STATE_STORE_KEYS.sort})` : '') +
        '.',
    };
  } else if (filters.target !== undefined && !filters.includeDeleted) {
    keyParts.push(`${name(BY_TARGET_INDEX.partition)} = ${value('target', filters.target)}`);
    if (prefix) filterParts.push(prefix);
    plan = {
      operation: 'Query',
      indexName: BY_TARGET_INDEX.name,
      why: `--target matches the ${BY_TARGET_INDEX.name} index (partition key ${BY_TARGET_INDEX.partition}): one Query reads only the schedules that invoke it (the index is eventually consistent, and holds live schedules only).`,
    };
  } else {
    if (filters.target !== undefined) filterParts.push(nestedTarget());
    if (prefix) filterParts.push(prefix);
    // The table's own records (the group registry, the backfill marker: partitions starting with '#', which no group
    // name can) are no schedules: the PRESENT filter leaves them out, and so must a Scan that includes deleted items.
    if (filters.includeDeleted) filterParts.push(`NOT begins_with(${name(STATE_STORE_KEYS.partition)}, ${value('metadata', '#')})`);
    plan = {
      operation: 'Scan',
      why:
        filters.target !== undefined
          ? `--include-deleted with --target needs tombstones, which the ${BY_TARGET_INDEX.name} index does not hold (they drop ${BY_TARGET_INDEX.partition}), so a Scan reads the whole table; add --group to make it a Query.`
          : `no --group or --target: no key or index fits${prefix ? ' (a --name-prefix on the sort key needs a --group)' : ''}, so a Scan reads the whole table and filters after the read; add --group or --target to avoid it.`,
    };
  }
  if (!filters.includeDeleted) filterParts.push(`${name('status')} = ${value('present', 'PRESENT')}`);
  if (filters.state !== undefined) filterParts.push(`${name('state')} = ${value('state', filters.state)}`);

  return {
    ...plan,
    tableName,
    ...(keyParts.length > 0 ? { keyCondition: keyParts.join(' AND ') } : {}),
    ...(filterParts.length > 0 ? { filter: filterParts.join(' AND ') } : {}),
    names,
    values,
  };
}

/** The plan with names and values substituted, for people: `groupName = "billing" AND status = "PRESENT"`. */
export function readable(expression: string, plan: QueryPlan): string {
  return expression.replace(/[#:][A-Za-z]+/g, (token) =>
    token.startsWith('#') ? (plan.names[token] ?? token) : JSON.stringify(plan.values[token] ?? token),
  );
}
