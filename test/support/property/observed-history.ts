/**
 * Plays a history with the observer running: CloudTrail delivers (and the monitor drains the queue) after the
 * operations the faults name, and once more at the end, so events arrive late, out of order, twice or never.
 */
import { describeHistory, type DeliveryFaults, type TimedOperation } from './histories';
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
  options: { settleAtEnd?: boolean } = {},
): Promise<ObservedHistory> {
  const clock = new VirtualClock();
  const pipeline = new InProcessPipeline({
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

/** A counterexample, readable: the history one operation a line, and the delivery faults. */
export function explain(history: readonly TimedOperation[], faults: DeliveryFaults, extra: Record<string, unknown> = {}): string {
  return `history:\n${describeHistory(history)}\nfaults: ${JSON.stringify(faults)}${Object.keys(extra).length ? `\n${JSON.stringify(extra)}` : ''}`;
}
