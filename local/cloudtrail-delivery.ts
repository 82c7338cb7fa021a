/**
 * CloudTrail between the Scheduler model and EventBridge: holds the events of API calls and delivers them
 * best-effort. AWS documents that events from CloudTrail reach EventBridge on a best-effort basis
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html); the CloudTrail FAQ
 * (https://aws.amazon.com/cloudtrail/faqs/) promises no delivery order and allows the same event to arrive more
 * than once, to be recognized by its eventID. The monitor must survive loss, reordering and duplicates; this class
 * makes them happen, deterministically from a seed.
 */
import type { CloudTrailEventBridgeEvent } from './cloudtrail-record';

export interface CloudTrailDeliveryOptions {
  /** Seed of the fault PRNG: the same seed and the same pushes give the same deliveries. Default 1. */
  seed: number;
  /** Probability (0-1) that a delivered event is delivered a second time. Default 0. */
  duplicateRate: number;
  /** Probability (0-1) that an event is never delivered. Default 0. */
  lossRate: number;
  /** Shuffle each batch before delivery. Default false. */
  reorder: boolean;
  /**
   * With `reorder`, shuffle within consecutive windows of this many events instead of the whole batch: events
   * arrive out of order, but not hours apart (a burst's events arrive within the same minutes). 0 (default): the
   * whole batch.
   */
  reorderWindow: number;
  /**
   * When > 0, pending events are delivered automatically this long after the first of them was pushed (CloudTrail
   * is minutes late in AWS). 0 (default): events wait for `flush()`, which tests call when they choose.
   */
  delayMs: number;
}

export type CloudTrailSink = (event: CloudTrailEventBridgeEvent) => void;

const DEFAULTS: CloudTrailDeliveryOptions = { seed: 1, duplicateRate: 0, lossRate: 0, reorder: false, reorderWindow: 0, delayMs: 0 };

/** mulberry32: a tiny seeded PRNG, plenty for fault injection. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class CloudTrailDelivery {
  readonly options: CloudTrailDeliveryOptions;
  /** Events handed to the sink, duplicates included. */
  delivered = 0;
  /** Extra copies delivered. */
  duplicated = 0;
  /** Events dropped. */
  lost = 0;
  private readonly random: () => number;
  private readonly sink?: CloudTrailSink;
  private pending: CloudTrailEventBridgeEvent[] = [];
  private timer?: NodeJS.Timeout;

  constructor(options: Partial<CloudTrailDeliveryOptions> & { sink?: CloudTrailSink } = {}) {
    const { sink, ...rest } = options;
    this.options = { ...DEFAULTS, ...rest };
    for (const rate of ['duplicateRate', 'lossRate'] as const) {
      const value = this.options[rate];
      if (!(value >= 0 && value <= 1)) throw new RangeError(`${rate} must be between 0 and 1, got ${value}`);
    }
    this.sink = sink;
    this.random = mulberry32(this.options.seed);
  }

  /** Events pushed and not yet delivered or lost. */
  get pendingCount(): number {
    return this.pending.length;
  }

  push(event: CloudTrailEventBridgeEvent): void {
    this.pending.push(event);
    if (this.options.delayMs > 0 && this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.options.delayMs);
      this.timer.unref();
    }
  }

  /**
   * Decides the fate of every pending event (lost, delivered, delivered twice), shuffles the batch when `reorder`
   * is set, hands each event to the sink in that order and returns them in the same order.
   */
  flush(): CloudTrailEventBridgeEvent[] {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const batch: CloudTrailEventBridgeEvent[] = [];
    for (const event of this.pending) {
      if (this.random() < this.options.lossRate) {
        this.lost += 1;
        continue;
      }
      batch.push(event);
      if (this.random() < this.options.duplicateRate) {
        // A duplicate is the same record delivered again: same envelope id and same detail.eventID.
        batch.push(structuredClone(event));
        this.duplicated += 1;
      }
    }
    this.pending = [];
    if (this.options.reorder) {
      const window = this.options.reorderWindow > 0 ? this.options.reorderWindow : batch.length;
      for (let from = 0; from < batch.length; from += window) {
        const part = batch.slice(from, from + window);
        this.shuffle(part);
        batch.splice(from, part.length, ...part);
      }
    }
    for (const event of batch) {
      this.delivered += 1;
      this.sink?.(event);
    }
    return batch;
  }

  /** Drops pending events without delivering them and stops the delay timer. */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  private shuffle(events: CloudTrailEventBridgeEvent[]): void {
    for (let i = events.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.random() * (i + 1));
      [events[i], events[j]] = [events[j], events[i]];
    }
  }
}
