/**
 * fast-check generators of Scheduler histories: small (1-3 groups, ≤ 8 schedule names, ≤ 25 operations) so a
 * property plays ≥ 1,000 of them in seconds, and timed so that several calls often share one CloudTrail second.
 */
import fc from 'fast-check';

export const GROUPS = ['default', 'g1', 'g2'] as const;
export const NAMES = ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7'] as const;

export type GroupName = (typeof GROUPS)[number];

/** What one step of a history does; the player adapts it to the model's state (see history-player.ts). */
export type Operation =
  /** CreateSchedule, or UpdateSchedule when it exists (creating its group first when missing). */
  | { kind: 'write'; group: GroupName; name: string; variant: number }
  | { kind: 'delete'; group: GroupName; name: string }
  /** DeleteSchedule then CreateSchedule of the same name in the same millisecond, so the same second. */
  | { kind: 'deleteAndRecreate'; group: GroupName; name: string; variant: number }
  /** A one-time at() schedule with ActionAfterCompletion DELETE. */
  | { kind: 'createOneTime'; group: GroupName; name: string }
  /** The one-time schedule runs and deletes itself: no API call, no CloudTrail event. */
  | { kind: 'complete'; group: GroupName; name: string }
  | { kind: 'createGroup'; group: GroupName }
  | { kind: 'deleteGroup'; group: GroupName }
  /** Scheduler finishes the group deletions left DELETING (deferred deletion; nothing to do otherwise). */
  | { kind: 'finishGroupDeletions' };

export interface TimedOperation {
  /** Milliseconds the clock moves before the operation: 0 puts it in the same second as the one before. */
  gapMs: number;
  op: Operation;
}

export interface HistoryOptions {
  minOperations?: number;
  maxOperations?: number;
  /**
   * Whether one-time schedules may complete. A completion deletes the schedule with no CloudTrail event at all, so
   * only the reconciler can learn of it: histories "without loss" leave it out.
   */
  completions?: boolean;
  /** Whether group deletions are deferred (Scheduler's asynchronous deletion) and so may be finished later. */
  deferredDeletion?: boolean;
}

export function historyArbitrary(options: HistoryOptions = {}): fc.Arbitrary<TimedOperation[]> {
  return fc
    .record({
      groups: fc.integer({ min: 1, max: 3 }),
      names: fc.integer({ min: 1, max: NAMES.length }),
    })
    .chain(({ groups, names }) =>
      fc.array(timedOperationArbitrary(GROUPS.slice(0, groups), NAMES.slice(0, names), options.completions ?? true, options), {
        minLength: options.minOperations ?? 1,
        maxLength: options.maxOperations ?? 25,
      }));
}

export function timedOperationArbitrary(
  groups: readonly GroupName[],
  names: readonly string[],
  completions = true,
  options: { deferredDeletion?: boolean } = {},
): fc.Arbitrary<TimedOperation> {
  const group = fc.constantFrom(...groups);
  const name = fc.constantFrom(...names);
  const variant = fc.integer({ min: 0, max: 5 });
  const kinds: Array<fc.WeightedArbitrary<Operation>> = [
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('write' as const), group, name, variant }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), group, name }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteAndRecreate' as const), group, name, variant }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('createOneTime' as const), group, name }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('createGroup' as const), group }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteGroup' as const), group }) },
  ];
  if (completions) kinds.push({ weight: 1, arbitrary: fc.record({ kind: fc.constant('complete' as const), group, name }) });
  if (options.deferredDeletion) kinds.push({ weight: 1, arbitrary: fc.record({ kind: fc.constant('finishGroupDeletions' as const) }) });
  const op = fc.oneof(...kinds);
  const gapMs = fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 400 }) },
    { weight: 2, arbitrary: fc.integer({ min: 600, max: 2_500 }) },
  );
  return fc.record({ gapMs, op });
}

/**
 * Clocks that disagree and events that lie about their time: CloudTrail's eventTime runs `skewMs` ahead of the
 * monitor's clock (negative: behind), and with probability `replayRate` an event is delivered once more as a
 * replay stamped `replayTime` (the year 2099, 1971, or an hour ahead), under its own or a new eventID.
 */
export interface ClockFaults {
  skewMs: number;
  replaySeed: number;
  replayRate: number;
  replayTime: 'future' | 'far-past' | 'hour-ahead';
  replayId: 'same' | 'new';
}

export function clockFaultsArbitrary(): fc.Arbitrary<ClockFaults> {
  return fc
    .record({
      // Beyond the 5-minute tolerance either way, within it, and none.
      skewMs: fc.constantFrom(-600_000, -90_000, -2_000, 0, 2_000, 90_000, 600_000),
      replaySeed: fc.integer({ min: 1, max: 0x7fffffff }),
      replayRate: fc.constantFrom(0, 0.2, 0.5),
      replayTime: fc.constantFrom('future' as const, 'far-past' as const, 'hour-ahead' as const),
      replayId: fc.constantFrom('same' as const, 'new' as const),
    })
    // A CloudTrail clock 10 minutes behind the monitor's is a clock error the monitor cannot see (every event just
    // looks late): a write from a replay it settles then outranks the real events. Replays are played only with
    // clocks that agree within the tolerance, or where CloudTrail runs ahead (every event is then settled by reads).
    .map((faults) => (faults.skewMs < -300_000 ? { ...faults, replayRate: 0 } : faults));
}

/** CloudTrail delivery faults: the seed of CloudTrailDelivery's PRNG and its rates. */
export interface DeliveryFaults {
  seed: number;
  duplicateRate: number;
  lossRate: number;
  reorder: boolean;
  /** Operations after which CloudTrail delivers what it holds (the rest waits: delay). */
  flushAfter: number[];
  batchSize: number;
  maximumConcurrency: number | undefined;
}

export function deliveryArbitrary(loss: 'none' | 'some'): fc.Arbitrary<DeliveryFaults> {
  return fc.record({
    seed: fc.integer({ min: 1, max: 0x7fffffff }),
    duplicateRate: fc.constantFrom(0, 0.2, 0.5),
    lossRate: loss === 'none' ? fc.constant(0) : fc.constantFrom(0.1, 0.3, 0.6),
    reorder: fc.boolean(),
    flushAfter: fc.uniqueArray(fc.integer({ min: 0, max: 24 }), { maxLength: 4 }),
    batchSize: fc.integer({ min: 1, max: 4 }),
    maximumConcurrency: fc.option(fc.constantFrom(2, 3), { nil: undefined }),
  });
}

export function describeHistory(history: readonly TimedOperation[]): string {
  return history
    .map(({ gapMs, op }, i) => `${i}: +${gapMs}ms ${op.kind} ${'group' in op ? op.group : ''}${'name' in op ? `/${op.name}` : ''}${'variant' in op ? ` v${op.variant}` : ''}`)
    .join('\n');
}
