/**
 * Captures what Powertools Metrics prints (CloudWatch Embedded Metric Format lines,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html)
 * instead of writing it to stdout, so that tests assert the very lines CloudWatch would ingest and the
 * sandbox can show the counts.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';

export interface CapturedMetrics {
  metrics: Metrics;
  /** Every EMF document printed so far. */
  documents: Array<Record<string, unknown>>;
  /** Sum of each metric's values over all documents. */
  totals(): Record<string, number>;
}

export function captureMetrics(namespace = 'SchedulerObserver'): CapturedMetrics {
  const documents: Array<Record<string, unknown>> = [];
  const sink = (line: unknown) => {
    documents.push(typeof line === 'string' ? JSON.parse(line) : (line as Record<string, unknown>));
  };
  const quiet = { log() {}, info() {}, warn() {}, error() {}, debug() {} };
  const metrics = new Metrics({ namespace, serviceName: 'scheduler-observer', logger: quiet });
  // Powertools always prints EMF through its own `console` field, whatever `logger` says (see the
  // `logger` option's doc in @aws-lambda-powertools/metrics): point that console at the capture.
  (metrics as unknown as { console: Pick<Console, 'log'> }).console = { log: sink };
  return {
    metrics,
    documents,
    totals() {
      const totals: Record<string, number> = {};
      for (const document of documents) {
        const aws = document._aws as { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> } | undefined;
        for (const directive of aws?.CloudWatchMetrics ?? []) {
          for (const { Name } of directive.Metrics) {
            const value = document[Name];
            const values = Array.isArray(value) ? value : [value];
            totals[Name] = (totals[Name] ?? 0) + values.reduce((sum: number, v) => sum + Number(v), 0);
          }
        }
      }
      return totals;
    },
  };
}
