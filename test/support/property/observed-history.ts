/**
 * Plays a history with the observer running: CloudTrail delivers (and the monitor drains the queue) after the
 * operations the faults name, and once more at the end, so events arrive late, out of order, twice or never.
 */
import { mulberry32 } from '../../../local/cloudtrail-delivery';
import type { CloudTrailEventBridgeEvent } from '../../../local/cloudtrail-record';
import { describeHistory, type ClockFaults, type DeliveryFaults, type TimedOperation } from './histories';
import { HistoryPlayer } from './history-player';
import { InProcessPipeline } from './in-process-pipeline';
import { VirtualClock } from './virtual-clock';

export interface ObservedHistory {
  clock: VirtualClock;
  pipeline: InProcessPipeline;
  player: HistoryPlayer;
}

export async function playObserved(
  history: readonly TimedOperation[],
  faults: DeliveryFaults,
  throttle?: (call: number) => boolean,
  options: { settleAtEnd?: boolean; clocks?: ClockFaults; groupDeletion?: 'immediate' | 'deferred' } = {},
): Promise<ObservedHistory> {
  const clock = new VirtualClock();
  const pipeline = new InProcessPipeline({
    ...(options.clocks ? { schedulerSkewMs: options.clocks.skewMs, replay: replayer(options.clocks) } : {}),
    ...(options.groupDeletion ? { groupDeletion: options.groupDeletion } : {}),
    clock,
    deliverySeed: faults.seed,
    duplicateRate: faults.duplicateRate,
    lossRate: faults.lossRate,
    reorder: faults.reorder,
    batchSize: faults.batchSize,
    maximumConcurrency: faults.maximumConcurrency,
    ...(throttle ? { throttle } : {}),
  });
  const player = new HistoryPlayer(pipeline.scheduler, clock);
  for (const [index, step] of history.entries()) {
    player.play(step);
    if (faults.flushAfter.includes(index)) await pipeline.settle();
  }
  // Without the final settle, what CloudTrail still holds stays pending: delayed past the end of the history.
  if (options.settleAtEnd ?? true) await pipeline.settle();
  return { clock, pipeline, player };
}

const REPLAY_TIMES = { future: () => '2099-01-01T00:00:00Z', 'far-past': () => '1971-01-01T00:00:00Z' } as const;

/** Re-stamps a share of the events (ClockFaults): a replay tool, a hand-made event, a clock gone wrong. */
function replayer(faults: ClockFaults): (event: CloudTrailEventBridgeEvent) => CloudTrailEventBridgeEvent | undefined {
  const random = mulberry32(faults.replaySeed);
  let n = 0;
  return (event) => {
    if (random() >= faults.replayRate) return undefined;
    const detail = event.detail as { eventTime: string; eventID: string };
    const eventTime = faults.replayTime === 'hour-ahead'
      ? new Date(Date.parse(detail.eventTime) + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
      : REPLAY_TIMES[faults.replayTime]();
    const eventID = faults.replayId === 'same' ? detail.eventID : `${detail.eventID}-replay-${n++}`;
    return { ...event, detail: { ...event.detail, eventTime, eventID } };
  };
}

/** A counterexample, readable: the history one operation a line, and the delivery faults. */
export function explain(history: readonly TimedOperation[], faults: DeliveryFaults, extra: Record<string, unknown> = {}): string {
  return `history:\n${describeHistory(history)}\nfaults: ${JSON.stringify(faults)}${Object.keys(extra).length ? `\n${JSON.stringify(extra)}` : ''}`;
}
