/**
 * The ordering rule as a table, run against the pure specification (test/unit/ordering.test.ts) and
 * against DynamoDB's conditional write on dynalite (test/integration/store.test.ts): both must agree.
 */
import type { StoredOrder, WriteDecision, WriteOrder } from '../../functions/core/ordering';

export interface OrderingCase {
  reason: string;
  stored: StoredOrder | undefined;
  incoming: WriteOrder;
  decision: WriteDecision;
}

const T = Date.parse('2026-11-24T10:00:00Z');
/** The horizon of a writer whose clock reads T + 5 minutes (test/integration/store.test.ts writes at that time). */
const HORIZON = T + 300_000 + 300_000;

export const ORDERING_CASES: OrderingCase[] = [
  { reason: 'first write of a schedule', stored: undefined, incoming: { version: T, eventId: 'e1', readAt: 0 }, decision: 'apply' },
  { reason: 'a later event', stored: { version: T, lastEventId: 'e1', readAt: 0 }, incoming: { version: T + 1000, eventId: 'e2', readAt: 0 }, decision: 'apply' },
  { reason: 'an older event arriving late', stored: { version: T + 1000, lastEventId: 'e2', readAt: 0 }, incoming: { version: T, eventId: 'e1', readAt: T + 5000 }, decision: 'stale' },
  { reason: 'the same event delivered twice, payload only', stored: { version: T, lastEventId: 'e1', readAt: 0 }, incoming: { version: T, eventId: 'e1', readAt: 0 }, decision: 'duplicate' },
  { reason: 'the same event delivered twice, with a fresher truth read', stored: { version: T, lastEventId: 'e1', readAt: T + 5000 }, incoming: { version: T, eventId: 'e1', readAt: T + 9000 }, decision: 'duplicate' },
  { reason: 'a one-second tie settled by a later truth read', stored: { version: T, lastEventId: 'e1', readAt: T + 5000 }, incoming: { version: T, eventId: 'e2', readAt: T + 6000 }, decision: 'apply' },
  { reason: 'a one-second tie with an older truth read', stored: { version: T, lastEventId: 'e1', readAt: T + 6000 }, incoming: { version: T, eventId: 'e2', readAt: T + 5000 }, decision: 'stale' },
  { reason: 'a payload-only write in a tie cannot prove it is later', stored: { version: T, lastEventId: 'e1', readAt: T + 5000 }, incoming: { version: T, eventId: 'e2', readAt: 0 }, decision: 'tie' },
  { reason: 'two payload-only writes of one second', stored: { version: T, lastEventId: 'e1', readAt: 0 }, incoming: { version: T, eventId: 'e2', readAt: 0 }, decision: 'tie' },
  { reason: 'a truth read beats a payload-only write of the same second', stored: { version: T, lastEventId: 'e1', readAt: 0 }, incoming: { version: T, eventId: 'e2', readAt: T + 1 }, decision: 'apply' },
  { reason: 'a stored version beyond the writer\'s horizon (a clock error)', stored: { version: T + 365 * 86_400_000, lastEventId: 'e9', readAt: 0 }, incoming: { version: T, eventId: 'e1', readAt: 0, horizon: HORIZON }, decision: 'apply' },
  { reason: 'a stored version at the horizon, still a possible one', stored: { version: HORIZON, lastEventId: 'e9', readAt: 0 }, incoming: { version: T, eventId: 'e1', readAt: T + 1, horizon: HORIZON }, decision: 'stale' },
  { reason: 'a stored version one second past the horizon', stored: { version: HORIZON + 1000, lastEventId: 'e9', readAt: 0 }, incoming: { version: T, eventId: 'e1', readAt: 0, horizon: HORIZON }, decision: 'apply' },
];
