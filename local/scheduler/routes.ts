/**
 * The REST bindings of the operations the model serves, as the service's Smithy model declares them
 * (node_modules/@aws-sdk/client-scheduler/dist-es/schemas/schemas_0.js: `http` traits and `httpQuery` members).
 */
import type { JsonObject, OperationName } from './operations';

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/schedules` or `/schedule-groups`; a route with `named` takes one more path segment, the `{Name}` label. */
  collection: '/schedules' | '/schedule-groups';
  named: boolean;
  operation: OperationName;
  /** Query parameter → input member. */
  query: Record<string, string>;
  body: boolean;
}

const ROUTES: Route[] = [
  { method: 'POST', collection: '/schedules', named: true, operation: 'CreateSchedule', query: {}, body: true },
  { method: 'PUT', collection: '/schedules', named: true, operation: 'UpdateSchedule', query: {}, body: true },
  { method: 'GET', collection: '/schedules', named: true, operation: 'GetSchedule', query: { groupName: 'GroupName' }, body: false },
  {
    method: 'DELETE', collection: '/schedules', named: true, operation: 'DeleteSchedule',
    query: { groupName: 'GroupName', clientToken: 'ClientToken' }, body: false,
  },
  {
    method: 'GET', collection: '/schedules', named: false, operation: 'ListSchedules',
    query: { ScheduleGroup: 'GroupName', NamePrefix: 'NamePrefix', State: 'State', MaxResults: 'MaxResults', NextToken: 'NextToken' },
    body: false,
  },
  { method: 'POST', collection: '/schedule-groups', named: true, operation: 'CreateScheduleGroup', query: {}, body: true },
  { method: 'GET', collection: '/schedule-groups', named: true, operation: 'GetScheduleGroup', query: {}, body: false },
  {
    method: 'DELETE', collection: '/schedule-groups', named: true, operation: 'DeleteScheduleGroup',
    query: { clientToken: 'ClientToken' }, body: false,
  },
  {
    method: 'GET', collection: '/schedule-groups', named: false, operation: 'ListScheduleGroups',
    query: { NamePrefix: 'NamePrefix', MaxResults: 'MaxResults', NextToken: 'NextToken' }, body: false,
  },
];

export interface ResolvedRoute {
  operation: OperationName;
  uriName?: string;
  /** Query members by input member name; the JSON body is merged in by the server. */
  input: JsonObject;
  body: boolean;
}

export function resolveRoute(method: string, url: URL): ResolvedRoute | undefined {
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const collection = `/${segments[0] ?? ''}`;
  const named = segments.length === 2;
  if (segments.length < 1 || segments.length > 2) return undefined;
  const route = ROUTES.find((r) => r.method === method && r.collection === collection && r.named === named);
  if (!route) return undefined;
  const input: JsonObject = {};
  for (const [parameter, member] of Object.entries(route.query)) {
    const value = url.searchParams.get(parameter);
    if (value !== null) input[member] = value;
  }
  let uriName: string | undefined;
  try {
    uriName = named ? decodeURIComponent(segments[1]) : undefined;
  } catch {
    // A malformed %-escape: keep the raw label, which then fails the name pattern with ValidationException.
    uriName = segments[1];
  }
  return {
    operation: route.operation,
    uriName,
    input,
    body: route.body,
  };
}
