/**
 * The benchmark's data: N schedules over G groups in the local Scheduler model, the state store seeded exactly
 * as the observer would have left it (presentRecord items, versions from the schedules' dates), then 1% drift of
 * each kind injected behind the observer's back.
 *
 * Seeding goes around the measured paths on purpose (SchedulerModel.seed, BatchWriteItem of 25): 100,000
 * schedules through HTTP take ~80 s. Everything measured afterwards uses the real SDK clients.
 *
 * Which schedule gets which drift is decided by its index i (deterministic, spread over every group):
 *   i % 100 == 1  MISSING_IN_STORE   its store item is never written
 *   i % 100 == 2  MODIFIED           state or target changed in the model, dated before the run
 *   i % 100 == 3  DELETED_LIVE       removed from the model without an event; every 4th is a one-time at()
 *                                    schedule with ActionAfterCompletion DELETE, completed (reason COMPLETED)
 *   i % 100 == 4  NOT_CHECKED        changed during the report run, just before its group's first batch
 *   i % 100 == 5  NOT_CHECKED        changed during the repair run, likewise
 * Seeded data is dated an hour before the runs: CloudTrail versions have one-second resolution, and anything
 * dated after a run's start is NOT_CHECKED.
 */
import { randomUUID } from 'node:crypto';
import { DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { presentRecord } from '../functions/core/records';
import type { ScheduleRecord } from '../functions/core/types';
import type { SchedulerModel, StoredSchedule, WireSchedule } from '../local/scheduler';
import { mapLimit } from '../functions/core/reconcile';

export const TARGET = 'arn:aws:sqs:us-east-1:123456789012:orders';
export const OTHER_TARGET = 'arn:aws:sqs:us-east-1:123456789012:invoices';
const ROLE = 'arn:aws:iam::123456789012:role/scheduler';

export type DriftRole = 'MISSING_IN_STORE' | 'MODIFIED' | 'DELETED_LIVE' | 'NOT_CHECKED_REPORT' | 'NOT_CHECKED_REPAIR';

export function roleOf(index: number): DriftRole | undefined {
  switch (index % 100) {
    case 1: return 'MISSING_IN_STORE';
    case 2: return 'MODIFIED';
    case 3: return 'DELETED_LIVE';
    case 4: return 'NOT_CHECKED_REPORT';
    case 5: return 'NOT_CHECKED_REPAIR';
    default: return undefined;
  }
}

export const groupName = (g: number) => `bench-${String(g).padStart(3, '0')}`;
export const scheduleName = (i: number) => `s-${String(i).padStart(7, '0')}`;

export interface Dataset {
  schedules: number;
  groups: number;
  /** Epoch ms (a whole second) of every seeded schedule. */
  seededAt: number;
  /** Per group, the schedules to change during each run (NOT_CHECKED). */
  notChecked: { report: Map<string, StoredSchedule[]>; repair: Map<string, StoredSchedule[]> };
  injected: { MISSING_IN_STORE: number; MODIFIED: number; DELETED_LIVE: number; COMPLETED: number; NOT_CHECKED_PER_RUN: number };
  /** Typical stored item size in bytes (for request-unit estimates). */
  itemBytes: number;
}

export function wireSpec(group: string, index: number, oneTime: boolean): WireSchedule {
  return {
    GroupName: group,
    ScheduleExpression: oneTime ? 'at(2020-01-01T00:00:00)' : 'rate(1 hour)',
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: TARGET,
      RoleArn: ROLE,
      Input: JSON.stringify({ order: index }),
      RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
    },
    State: 'ENABLED',
    ActionAfterCompletion: oneTime ? 'DELETE' : 'NONE',
  };
}

/** A change a run must notice (MODIFIED) or must leave alone (NOT_CHECKED): alternately state and target. */
export function changed(schedule: StoredSchedule, at: number, index: number): StoredSchedule {
  const spec = structuredClone(schedule.spec);
  if (index % 2 === 0) spec.State = spec.State === 'ENABLED' ? 'DISABLED' : 'ENABLED';
  else spec.Target.Arn = spec.Target.Arn === TARGET ? OTHER_TARGET : TARGET;
  return { ...schedule, spec, lastModificationDate: at };
}

/** BatchWriteItem, 25 items a call, retrying UnprocessedItems (not measured). */
export async function batchWrite(doc: DynamoDBDocumentClient, tableName: string, items: ScheduleRecord[]): Promise<void> {
  const chunks: ScheduleRecord[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await mapLimit(chunks, 4, async (chunk) => {
    let requests: unknown[] = chunk.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const { UnprocessedItems } = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests as any } }));
      requests = UnprocessedItems?.[tableName] ?? [];
    }
  });
}

export async function seedDataset(
  options: { schedules: number; groups: number; scheduler: SchedulerModel; doc: DynamoDBDocumentClient; tableName: string },
  progress: (message: string) => void,
): Promise<Dataset> {
  const { schedules, groups, scheduler, doc, tableName } = options;
  const seededAt = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
  const perGroup = Math.ceil(schedules / groups);
  const notChecked: Dataset['notChecked'] = { report: new Map(), repair: new Map() };
  const all: StoredSchedule[] = [];
  const injected = { MISSING_IN_STORE: 0, MODIFIED: 0, DELETED_LIVE: 0, COMPLETED: 0, NOT_CHECKED_PER_RUN: 0 };
  let deletedLive = 0;
  for (let i = 0; i < schedules; i++) {
    const group = groupName(Math.floor(i / perGroup));
    const role = roleOf(i);
    const oneTime = role === 'DELETED_LIVE' && deletedLive++ % 4 === 0;
    const schedule: StoredSchedule = { name: scheduleName(i), spec: wireSpec(group, i, oneTime), creationDate: seededAt, lastModificationDate: seededAt };
    all.push(schedule);
    if (role === 'NOT_CHECKED_REPORT' || role === 'NOT_CHECKED_REPAIR') {
      const map = role === 'NOT_CHECKED_REPORT' ? notChecked.report : notChecked.repair;
      if (!map.has(group)) map.set(group, []);
      map.get(group)!.push(schedule);
    }
  }
  progress(`seeding the Scheduler model: ${schedules.toLocaleString('en-US')} schedules in ${groups} group(s)`);
  scheduler.seed(all);

  // The store as the observer leaves it: presentRecord of what GetSchedule answers, version = the change's
  // CloudTrail eventTime (a whole second), read just after.
  const byName = new Map(all.map((s, i) => [`${s.spec.GroupName}/${s.name}`, i]));
  const items: ScheduleRecord[] = [];
  for (const spec of scheduler.snapshot()) {
    const index = byName.get(`${spec.groupName}/${spec.name}`);
    if (index === undefined) continue; // only the benchmark's groups
    if (roleOf(index) === 'MISSING_IN_STORE') {
      injected.MISSING_IN_STORE++;
      continue;
    }
    items.push(presentRecord(spec, { version: seededAt, eventId: randomUUID(), readAt: seededAt + 200, observedVia: 'event', now: new Date(seededAt + 300) }));
  }
  const itemBytes = Math.round(items.reduce((n, item) => n + Buffer.byteLength(JSON.stringify(item)), 0) / Math.max(1, items.length));
  progress(`seeding the state store: ${items.length.toLocaleString('en-US')} items by BatchWriteItem (~${itemBytes} B each)`);
  const started = Date.now();
  await batchWrite(doc, tableName, items);
  progress(`  store seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // Drift behind the observer's back, all dated before the runs.
  const modified: StoredSchedule[] = [];
  const client = new SchedulerClient(scheduler.clientConfig());
  const deletions: Array<{ group: string; name: string }> = [];
  all.forEach((schedule, i) => {
    const role = roleOf(i);
    if (role === 'MODIFIED') modified.push(changed(schedule, seededAt + 1_800_000, i));
    if (role === 'DELETED_LIVE') {
      if (schedule.spec.ActionAfterCompletion === 'DELETE') {
        scheduler.completeOneTimeSchedule(schedule.spec.GroupName, schedule.name);
        injected.COMPLETED++;
      } else deletions.push({ group: schedule.spec.GroupName, name: schedule.name });
      injected.DELETED_LIVE++;
    }
  });
  scheduler.seed(modified);
  injected.MODIFIED = modified.length;
  // DeleteSchedule through the API (the model started without an observer: no event goes anywhere).
  await mapLimit(deletions, 8, async ({ group, name }) => {
    await client.send(new DeleteScheduleCommand({ GroupName: group, Name: name }));
  });
  client.destroy();
  injected.NOT_CHECKED_PER_RUN = [...notChecked.report.values()].reduce((n, names) => n + names.length, 0);
  progress(`  drift injected: ${JSON.stringify(injected)}`);
  return { schedules, groups, seededAt, notChecked, injected, itemBytes };
}
