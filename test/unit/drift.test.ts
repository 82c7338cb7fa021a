import { expect } from 'chai';
import { classifyConfirmed, deletedLiveReason, diffSpecs, oneTimeInstant, screenSummary, type ClassifyContext, type ScreenVerdict } from '../../functions/core/drift';
import type { DriftItem, LiveSummary, PropertyDifference, StoredSummaryView } from '../../functions/core/drift-types';
import { presentRecord, tombstoneFields } from '../../functions/core/records';
import type { ScheduleRecord, ScheduleSpec } from '../../functions/core/types';

/** The run starts half-way through a second, as real runs do. */
const START = Date.parse('2026-11-24T10:00:00.500Z');
const BEFORE = '2026-11-24T09:00:00Z';
const BEFORE_MS = Date.parse(BEFORE);
const AFTER = '2026-11-24T10:00:05Z';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:invoice';
const FN2 = 'arn:aws:lambda:us-east-1:123456789012:function:invoice-v2';

function spec(overrides: Partial<ScheduleSpec> = {}): ScheduleSpec {
  return {
    groupName: 'billing',
    name: 'invoice',
    arn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/billing/invoice',
    scheduleExpression: 'rate(1 hour)',
    state: 'ENABLED',
    flexibleTimeWindow: { mode: 'OFF' },
    target: { arn: FN, roleArn: 'arn:aws:iam::123456789012:role/scheduler', retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 } },
    creationDate: '2026-11-01T00:00:00.000Z',
    lastModificationDate: '2026-11-20T08:00:00.000Z',
    ...overrides,
  };
}

function record(s: ScheduleSpec = spec(), version = BEFORE_MS): ScheduleRecord {
  return presentRecord(s, { version, eventId: 'e1', readAt: version + 200, observedVia: 'event', now: new Date(version + 300) });
}

function tombstone(s: ScheduleSpec = spec(), version = BEFORE_MS): ScheduleRecord {
  const stamp = { version, eventId: 'e2', readAt: 0, observedVia: 'event' as const, now: new Date(version + 300) };
  return { ...record(s, version), ...tombstoneFields('SCHEDULE_DELETED', stamp, 7), targetArn: undefined };
}

function summaryOf(s: ScheduleSpec): LiveSummary {
  return { groupName: s.groupName, name: s.name, arn: s.arn, state: s.state, creationDate: s.creationDate, lastModificationDate: s.lastModificationDate, targetArn: s.target.arn };
}

function viewOf(r: ScheduleRecord): StoredSummaryView {
  return {
    groupName: r.groupName, scheduleName: r.scheduleName, status: r.status, version: r.version, readAt: r.readAt,
    lastEventId: r.lastEventId, state: r.state, targetArn: r.targetArn, lastModificationDate: r.lastModificationDate,
    scheduleExpression: r.scheduleExpression, actionAfterCompletion: r.actionAfterCompletion,
  };
}

describe('screenSummary', () => {
  interface Case { reason: string; summary: LiveSummary; stored: StoredSummaryView | undefined; verdict: ScreenVerdict }
  const live = spec();
  const cases: Case[] = [
    { reason: 'summary and store agree', summary: summaryOf(live), stored: viewOf(record()), verdict: { verdict: 'IN_SYNC' } },
    {
      reason: 'the store wrote the same instant with another precision',
      summary: { ...summaryOf(live), lastModificationDate: '2026-11-20T08:00:00Z' }, stored: viewOf(record()), verdict: { verdict: 'IN_SYNC' },
    },
    {
      reason: 'the live schedule was modified exactly at the run start (not after it)',
      summary: { ...summaryOf(live), lastModificationDate: new Date(START).toISOString() },
      stored: viewOf(record(spec({ lastModificationDate: new Date(START).toISOString() }))), verdict: { verdict: 'IN_SYNC' },
    },
    {
      reason: 'the live schedule was modified after the run start',
      summary: { ...summaryOf(live), lastModificationDate: AFTER }, stored: viewOf(record()),
      verdict: { verdict: 'NOT_CHECKED', reason: 'LIVE_CHANGED_AFTER_START' },
    },
    {
      reason: 'the live schedule was modified after the run start and the store has no item',
      summary: { ...summaryOf(live), lastModificationDate: AFTER }, stored: undefined,
      verdict: { verdict: 'NOT_CHECKED', reason: 'LIVE_CHANGED_AFTER_START' },
    },
    {
      reason: 'the store item was written from an event after the run start',
      summary: summaryOf(live), stored: viewOf(record(spec(), Date.parse(AFTER))),
      verdict: { verdict: 'NOT_CHECKED', reason: 'STORE_CHANGED_AFTER_START' },
    },
    {
      reason: 'the store event falls in the run start second (CloudTrail one-second resolution)',
      summary: summaryOf(live), stored: viewOf(record(spec(), Date.parse('2026-11-24T10:00:00Z'))),
      verdict: { verdict: 'NOT_CHECKED', reason: 'STORE_CHANGED_AFTER_START' },
    },
    {
      reason: 'the store event is from the second before the run start',
      summary: summaryOf(live), stored: viewOf(record(spec(), Date.parse('2026-11-24T09:59:59Z'))), verdict: { verdict: 'IN_SYNC' },
    },
    {
      reason: 'a tombstone was written after the run start',
      summary: summaryOf(live), stored: viewOf(tombstone(spec(), Date.parse(AFTER))),
      verdict: { verdict: 'NOT_CHECKED', reason: 'STORE_CHANGED_AFTER_START' },
    },
    { reason: 'the store has no item', summary: summaryOf(live), stored: undefined, verdict: { verdict: 'CANDIDATE', suspected: 'MISSING_IN_STORE' } },
    { reason: 'the store item is a tombstone', summary: summaryOf(live), stored: viewOf(tombstone()), verdict: { verdict: 'CANDIDATE', suspected: 'MISSING_IN_STORE' } },
    {
      reason: 'the state differs', summary: { ...summaryOf(live), state: 'DISABLED' }, stored: viewOf(record()),
      verdict: { verdict: 'CANDIDATE', suspected: 'MODIFIED' },
    },
    {
      reason: 'the target arn differs', summary: { ...summaryOf(live), targetArn: FN2 }, stored: viewOf(record()),
      verdict: { verdict: 'CANDIDATE', suspected: 'MODIFIED' },
    },
    {
      reason: 'the last modification date differs', summary: { ...summaryOf(live), lastModificationDate: '2026-11-23T08:00:00Z' }, stored: viewOf(record()),
      verdict: { verdict: 'CANDIDATE', suspected: 'MODIFIED' },
    },
    {
      reason: 'the store item lacks the last modification date', summary: summaryOf(live),
      stored: { ...viewOf(record()), lastModificationDate: undefined }, verdict: { verdict: 'CANDIDATE', suspected: 'MODIFIED' },
    },
  ];
  for (const c of cases) {
    const detail = c.verdict.verdict === 'NOT_CHECKED' ? ` (${c.verdict.reason})` : c.verdict.verdict === 'CANDIDATE' ? ` (${c.verdict.suspected})` : '';
    it(`returns ${c.verdict.verdict}${detail} when ${c.reason}`, () => {
      // Act
      const verdict = screenSummary(c.summary, c.stored, START);
      // Assess
      expect(verdict).to.deep.equal(c.verdict);
    });
  }
});

describe('classifyConfirmed', () => {
  interface Case {
    reason: string;
    live: ScheduleSpec | null;
    stored: ScheduleRecord | undefined;
    ctx?: Partial<ClassifyContext>;
    expected: DriftItem | 'IN_SYNC';
  }
  const NOW = Date.parse('2026-11-24T10:00:10Z');
  const ctxOf = (c: Case): ClassifyContext => ({ runStartedAtMs: START, nowMs: NOW, groupExists: true, ...c.ctx });
  const id = { groupName: 'billing', scheduleName: 'invoice' };
  const present = { version: BEFORE_MS, lastEventId: 'e1', status: 'PRESENT' as const };
  const edited = spec({ target: { ...spec().target, arn: FN2 }, lastModificationDate: '2026-11-24T09:30:00.000Z' });
  const oneTime = spec({ scheduleExpression: 'at(2026-11-24T09:30:00)', actionAfterCompletion: 'DELETE' });
  const cases: Case[] = [
    { reason: 'live and store agree', live: spec(), stored: record(), expected: 'IN_SYNC' },
    {
      reason: 'the live schedule was modified after the run start', live: spec({ lastModificationDate: AFTER }), stored: record(),
      expected: { kind: 'NOT_CHECKED', ...id, reason: 'LIVE_CHANGED_AFTER_START' },
    },
    {
      reason: 'the store item changed after the run start', live: edited, stored: record(spec(), Date.parse(AFTER)),
      expected: { kind: 'NOT_CHECKED', ...id, reason: 'STORE_CHANGED_AFTER_START' },
    },
    {
      reason: 'the schedule is gone and the store tombstoned it after the run start', live: null, stored: tombstone(spec(), Date.parse(AFTER)),
      expected: { kind: 'NOT_CHECKED', ...id, reason: 'STORE_CHANGED_AFTER_START' },
    },
    {
      reason: 'the store has no item', live: spec(), stored: undefined,
      expected: { kind: 'MISSING_IN_STORE', ...id, live: spec() },
    },
    {
      reason: 'the store holds a tombstone', live: spec(), stored: tombstone(),
      expected: { kind: 'MISSING_IN_STORE', ...id, live: spec(), storeRead: { version: BEFORE_MS, lastEventId: 'e2', status: 'DELETED' } },
    },
    {
      reason: 'the live schedule differs from the store', live: edited, stored: record(),
      expected: {
        kind: 'MODIFIED', ...id, live: edited, storeRead: present,
        // What changed first; the service's own stamp last.
        differences: [
          { path: 'target.arn', expected: FN2, actual: FN },
          { path: 'lastModificationDate', expected: '2026-11-24T09:30:00.000Z', actual: '2026-11-20T08:00:00.000Z' },
        ],
      },
    },
    {
      reason: 'the schedule is gone for no known reason', live: null, stored: record(),
      expected: { kind: 'DELETED_LIVE', ...id, reason: 'UNKNOWN', storeRead: present },
    },
    {
      reason: 'the schedule is gone with its group', live: null, stored: record(), ctx: { groupExists: false },
      expected: { kind: 'DELETED_LIVE', ...id, reason: 'GROUP_DELETED', storeRead: present },
    },
    {
      reason: 'a one-time schedule completed and deleted itself', live: null, stored: record(oneTime),
      expected: { kind: 'DELETED_LIVE', ...id, reason: 'COMPLETED', expected: true, storeRead: present },
    },
    {
      reason: 'a listed schedule with no store item is gone by the time of the read (both sides agree now)', live: null, stored: undefined,
      ctx: { seenInListing: true }, expected: 'IN_SYNC',
    },
    {
      reason: 'a listed schedule with a tombstone is gone by the time of the read (both sides agree now)', live: null, stored: tombstone(),
      ctx: { seenInListing: true }, expected: 'IN_SYNC',
    },
    {
      reason: 'a listed MODIFIED candidate is gone by the time of the read', live: null, stored: record(), ctx: { seenInListing: true },
      expected: { kind: 'NOT_CHECKED', ...id, reason: 'DELETED_AFTER_LISTING' },
    },
  ];
  for (const c of cases) {
    const label = c.expected === 'IN_SYNC' ? 'IN_SYNC' : `${c.expected.kind}${c.expected.reason ? ` (${c.expected.reason})` : ''}`;
    it(`returns ${label} when ${c.reason}`, () => {
      // Act
      const verdict = classifyConfirmed(c.live, c.stored, ctxOf(c));
      // Assess
      expect(verdict).to.deep.equal(c.expected);
    });
  }

  it('still confirms a listed schedule that its read finds', () => {
    // Prepare: a MISSING_IN_STORE candidate from the listing.
    const live = spec({ groupName: 'ops', name: 'nightly' });
    // Act
    const verdict = classifyConfirmed(live, undefined, { runStartedAtMs: START, nowMs: START + 1000, groupExists: true, seenInListing: true });
    // Assess
    expect(verdict).to.include({ kind: 'MISSING_IN_STORE', groupName: 'ops', scheduleName: 'nightly' });
  });
});

describe('deletedLiveReason', () => {
  type Stored = Parameters<typeof deletedLiveReason>[0];
  interface Case { reason: string; stored: Stored; now: string; groupExists?: boolean; expected: string }
  const at = (time: string, tz?: string, after: 'DELETE' | 'NONE' = 'DELETE'): Stored => ({
    scheduleExpression: `at(${time})`, scheduleExpressionTimezone: tz, actionAfterCompletion: after,
  });
  const cases: Case[] = [
    { reason: 'the group no longer exists', stored: at('2026-11-24T09:00:00'), now: '2026-11-24T10:00:00Z', groupExists: false, expected: 'GROUP_DELETED' },
    { reason: 'a one-time schedule (UTC by default) is past its time', stored: at('2026-11-24T09:00:00'), now: '2026-11-24T10:00:00Z', expected: 'COMPLETED' },
    { reason: 'a one-time schedule is not yet due', stored: at('2026-11-24T11:00:00'), now: '2026-11-24T10:00:00Z', expected: 'UNKNOWN' },
    { reason: 'a one-time schedule is due exactly now (not before now)', stored: at('2026-11-24T10:00:00'), now: '2026-11-24T10:00:00Z', expected: 'UNKNOWN' },
    { reason: 'a one-time schedule keeps itself after completion (NONE)', stored: at('2026-11-24T09:00:00', undefined, 'NONE'), now: '2026-11-24T10:00:00Z', expected: 'UNKNOWN' },
    { reason: 'a one-time schedule has no ActionAfterCompletion', stored: { scheduleExpression: 'at(2026-11-24T09:00:00)' }, now: '2026-11-24T10:00:00Z', expected: 'UNKNOWN' },
    {
      reason: 'New York 12:00 is 17:00 UTC: not yet due at 16:30 UTC although 12:00 UTC has passed',
      stored: at('2026-11-24T12:00:00', 'America/New_York'), now: '2026-11-24T16:30:00Z', expected: 'UNKNOWN',
    },
    { reason: 'New York 12:00 (EST) has passed at 17:00:01 UTC', stored: at('2026-11-24T12:00:00', 'America/New_York'), now: '2026-11-24T17:00:01Z', expected: 'COMPLETED' },
    {
      reason: 'Tokyo 12:00 is 03:00 UTC: past at 04:00 UTC although 12:00 UTC is not',
      stored: at('2026-11-24T12:00:00', 'Asia/Tokyo'), now: '2026-11-24T04:00:00Z', expected: 'COMPLETED',
    },
    { reason: 'the time zone is not one Intl knows', stored: at('2026-11-24T09:00:00', 'Mars/Olympus_Mons'), now: '2026-11-24T10:00:00Z', expected: 'UNKNOWN' },
    { reason: 'the at() date does not exist', stored: at('2026-02-30T09:00:00'), now: '2026-11-24T10:00:00Z', expected: 'UNKNOWN' },
    {
      reason: 'a recurring schedule with DELETE is past its end date',
      stored: { scheduleExpression: 'rate(1 hour)', actionAfterCompletion: 'DELETE', endDate: '2026-11-24T09:00:00Z' }, now: '2026-11-24T10:00:00Z', expected: 'COMPLETED',
    },
    {
      reason: 'a recurring schedule with DELETE has no end date (never deleted by the service)',
      stored: { scheduleExpression: 'cron(0 * * * ? *)', actionAfterCompletion: 'DELETE' }, now: '2026-11-24T10:00:00Z', expected: 'UNKNOWN',
    },
    {
      reason: 'a recurring schedule with DELETE is before its end date',
      stored: { scheduleExpression: 'rate(1 hour)', actionAfterCompletion: 'DELETE', endDate: '2026-12-24T09:00:00Z' }, now: '2026-11-24T10:00:00Z', expected: 'UNKNOWN',
    },
    { reason: 'the store item has no expression', stored: { actionAfterCompletion: 'DELETE' }, now: '2026-11-24T10:00:00Z', expected: 'UNKNOWN' },
  ];
  for (const c of cases) {
    it(`returns ${c.expected} when ${c.reason}`, () => {
      // Act
      const reason = deletedLiveReason(c.stored, { groupExists: c.groupExists ?? true, nowMs: Date.parse(c.now) });
      // Assess
      expect(reason).to.equal(c.expected);
    });
  }
});

describe('oneTimeInstant', () => {
  const cases: { reason: string; expression: string; tz: string | undefined; expected: string | undefined }[] = [
    { reason: 'no time zone (UTC)', expression: 'at(2026-11-24T12:00:00)', tz: undefined, expected: '2026-11-24T12:00:00.000Z' },
    { reason: 'an explicit UTC', expression: 'at(2026-11-24T12:00:00)', tz: 'UTC', expected: '2026-11-24T12:00:00.000Z' },
    { reason: 'winter time in New York (UTC-5)', expression: 'at(2026-01-15T12:00:00)', tz: 'America/New_York', expected: '2026-01-15T17:00:00.000Z' },
    { reason: 'summer time in New York (UTC-4)', expression: 'at(2026-07-01T12:00:00)', tz: 'America/New_York', expected: '2026-07-01T16:00:00.000Z' },
    { reason: 'a half-hour offset (Kolkata, UTC+5:30)', expression: 'at(2026-03-11T10:21:00)', tz: 'Asia/Kolkata', expected: '2026-03-11T04:51:00.000Z' },
    { reason: 'a local time that is the previous UTC day (Auckland summer, UTC+13)', expression: 'at(2026-01-01T06:00:00)', tz: 'Pacific/Auckland', expected: '2025-12-31T17:00:00.000Z' },
    { reason: 'the repeated hour when clocks go back (first occurrence)', expression: 'at(2026-11-01T01:30:00)', tz: 'America/New_York', expected: '2026-11-01T05:30:00.000Z' },
    { reason: 'the hour right after clocks go forward', expression: 'at(2026-03-08T03:30:00)', tz: 'America/New_York', expected: '2026-03-08T07:30:00.000Z' },
    { reason: 'a rate expression', expression: 'rate(5 minutes)', tz: undefined, expected: undefined },
    { reason: 'an at() without seconds', expression: 'at(2026-11-24T12:00)', tz: undefined, expected: undefined },
    { reason: 'an hour out of range', expression: 'at(2026-11-24T24:00:00)', tz: undefined, expected: undefined },
    { reason: 'an unknown time zone', expression: 'at(2026-11-24T12:00:00)', tz: 'Nowhere/Null', expected: undefined },
  ];
  for (const c of cases) {
    it(`reads ${c.expression} when ${c.reason}`, () => {
      // Act
      const instant = oneTimeInstant(c.expression, c.tz);
      // Assess
      expect(instant === undefined ? undefined : new Date(instant).toISOString()).to.equal(c.expected);
    });
  }
});

describe('diffSpecs', () => {
  interface Case { reason: string; live: ScheduleSpec; store: ScheduleSpec; expected: PropertyDifference[] }
  const ecs = (strategy: unknown[], tags?: unknown[]) => ({
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/job:1',
    capacityProviderStrategy: strategy,
    ...(tags === undefined ? {} : { tags }),
  });
  const withTarget = (extra: Record<string, unknown>): ScheduleSpec => spec({ target: { ...spec().target, ...extra } });
  const cases: Case[] = [
    { reason: 'the specs are equal', live: spec(), store: spec(), expected: [] },
    {
      reason: 'a top-level value differs', live: spec({ state: 'DISABLED' }), store: spec(),
      expected: [{ path: 'state', expected: 'DISABLED', actual: 'ENABLED' }],
    },
    {
      reason: 'a nested value differs',
      live: withTarget({ retryPolicy: { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 3600 } }), store: spec(),
      expected: [{ path: 'target.retryPolicy.maximumRetryAttempts', expected: 5, actual: 3 }],
    },
    {
      reason: 'a property is absent in the store', live: spec({ description: 'Monthly invoice run' }), store: spec(),
      expected: [{ path: 'description', expected: 'Monthly invoice run', actual: undefined }],
    },
    {
      reason: 'a property is absent live', live: spec(), store: spec({ kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k' }),
      expected: [{ path: 'kmsKeyArn', expected: undefined, actual: 'arn:aws:kms:us-east-1:123456789012:key/k' }],
    },
    {
      reason: 'a whole nested object is absent in the store',
      live: spec(), store: withTarget({ retryPolicy: undefined }),
      expected: [{ path: 'target.retryPolicy', expected: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 }, actual: undefined }],
    },
    {
      reason: 'the store holds null where the API omits the key', live: spec(), store: spec({ description: null as unknown as string }),
      expected: [],
    },
    {
      reason: 'an array element property differs (compared by index)',
      live: withTarget({ ecsParameters: ecs([{ capacityProvider: 'FARGATE', weight: 2 }]) }),
      store: withTarget({ ecsParameters: ecs([{ capacityProvider: 'FARGATE', weight: 1 }]) }),
      expected: [{ path: 'target.ecsParameters.capacityProviderStrategy[0].weight', expected: 2, actual: 1 }],
    },
    {
      reason: 'an array is longer live',
      live: withTarget({ ecsParameters: ecs([{ capacityProvider: 'FARGATE' }, { capacityProvider: 'FARGATE_SPOT' }]) }),
      store: withTarget({ ecsParameters: ecs([{ capacityProvider: 'FARGATE' }]) }),
      expected: [{ path: 'target.ecsParameters.capacityProviderStrategy[1]', expected: { capacityProvider: 'FARGATE_SPOT' }, actual: undefined }],
    },
    {
      reason: 'array indices past 9 differ (sorted numerically, not as text)',
      live: withTarget({ ecsParameters: ecs([], Array.from({ length: 12 }, (_, i) => ({ k: `t${i}` }))) }),
      store: withTarget({ ecsParameters: ecs([], Array.from({ length: 12 }, (_, i) => ({ k: i === 2 || i === 10 ? 'x' : `t${i}` }))) }),
      expected: [
        { path: 'target.ecsParameters.tags[2].k', expected: 't2', actual: 'x' },
        { path: 'target.ecsParameters.tags[10].k', expected: 't10', actual: 'x' },
      ],
    },
    {
      reason: 'a value is an object on one side and a string on the other',
      live: withTarget({ sqsParameters: { messageGroupId: 'g' } }), store: withTarget({ sqsParameters: 'g' }),
      expected: [{ path: 'target.sqsParameters', expected: { messageGroupId: 'g' }, actual: 'g' }],
    },
    {
      reason: 'dates are the same instant written differently',
      live: spec({ startDate: '2026-12-01T00:00:00Z', lastModificationDate: '2026-11-20T08:00:00Z' }),
      store: spec({ startDate: '2026-12-01T00:00:00.000Z', lastModificationDate: '2026-11-20T09:00:00+01:00' }),
      expected: [],
    },
    {
      reason: 'dates are different instants',
      live: spec({ endDate: '2027-01-01T00:00:00Z' }), store: spec({ endDate: '2026-12-31T00:00:00Z' }),
      expected: [{ path: 'endDate', expected: '2027-01-01T00:00:00Z', actual: '2026-12-31T00:00:00Z' }],
    },
    {
      reason: 'a target input merely looks like a date (compared as text)',
      live: withTarget({ input: '2026-12-01T00:00:00Z' }), store: withTarget({ input: '2026-12-01T00:00:00.000Z' }),
      expected: [{ path: 'target.input', expected: '2026-12-01T00:00:00Z', actual: '2026-12-01T00:00:00.000Z' }],
    },
    {
      reason: 'several properties differ (sorted by path)',
      live: spec({ state: 'DISABLED', description: 'new', flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 15 }, target: { ...spec().target, arn: FN2 } }),
      store: spec({ description: 'old' }),
      expected: [
        { path: 'description', expected: 'new', actual: 'old' },
        { path: 'flexibleTimeWindow.maximumWindowInMinutes', expected: 15, actual: undefined },
        { path: 'flexibleTimeWindow.mode', expected: 'FLEXIBLE', actual: 'OFF' },
        { path: 'state', expected: 'DISABLED', actual: 'ENABLED' },
        { path: 'target.arn', expected: FN2, actual: FN },
      ],
    },
  ];
  for (const c of cases) {
    it(`finds ${c.expected.length} difference(s) when ${c.reason}`, () => {
      // Act
      const differences = diffSpecs(c.live, c.store);
      // Assess
      expect(differences).to.deep.equal(c.expected);
    });
  }

  it('gives the same output whatever the key order of its inputs', () => {
    // Prepare: the same specs with their keys inserted in reverse order.
    const live = spec({ state: 'DISABLED', description: 'a' });
    const store = spec({ kmsKeyArn: 'k' });
    const reversed = (s: ScheduleSpec): ScheduleSpec => Object.fromEntries(Object.entries(s).reverse()) as unknown as ScheduleSpec;
    // Act
    const a = diffSpecs(live, store);
    const b = diffSpecs(reversed(live), reversed(store));
    // Assess
    expect(b).to.deep.equal(a);
    expect(a.map((d) => d.path)).to.deep.equal(['description', 'kmsKeyArn', 'state']);
  });
});
