/**
 * `reconcile`: starts a reconciler execution (StartExecution), and with --wait follows it (DescribeExecution,
 * polled with backoff) and prints its summary: the execution output of functions/core/report.ts
 * executionSummary. Exit codes as for `report show`.
 */
import { DescribeExecutionCommand, StartExecutionCommand, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { S3ObjectStore } from '../../functions/adapters/objects';
import { runKeys } from '../../functions/core/reconcile';
import type { ExecutionSummary } from '../../functions/core/report';
import type { Context } from '../context';
import { CliError, EXIT } from '../errors';
import { line } from '../output';
import { printable, printableDeep } from '../printable';
import { regionFromArn } from '../stack';
import { renderSummary } from '../report-view';

export const MODES = ['report', 'repair', 'backfill'] as const;

export interface ReconcileOptions {
  mode: (typeof MODES)[number];
  groups?: string[];
  wait?: boolean;
  name?: string;
  /** Seconds --wait waits before giving up (the execution goes on). */
  timeout: number;
}

/** DescribeExecution is throttled per account (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-api-action-throttling-general): poll at 1 s, then back off to 10 s. */
export const POLL = { firstMs: 1_000, factor: 1.5, maxMs: 10_000 } as const;

/** The console page of one execution. */
export function executionConsoleUrl(executionArn: string): string {
  const region = regionFromArn(executionArn) ?? 'us-east-1';
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${encodeURIComponent(executionArn)}`;
}

export async function reconcile(ctx: Context, options: ReconcileOptions): Promise<number> {
  const stateMachineArn = ctx.stack.require('stateMachineArn');
  const input = { mode: options.mode, ...(options.groups && options.groups.length > 0 ? { groups: options.groups } : {}) };
  const started = await ctx.clients.sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), ...(options.name ? { name: options.name } : {}) }),
  );
  const executionArn = started.executionArn!;
  const name = executionArn.split(':').pop();
  const scope = input.groups ? `groups ${input.groups.join(', ')}` : 'all groups';
  line(ctx.stdout, `Started reconciler execution ${name} (${options.mode} mode, ${scope})`);
  line(ctx.stdout, `Console: ${executionConsoleUrl(executionArn)}`);
  if (!options.wait) return EXIT.ok;

  const execution = await follow(ctx, executionArn, options.timeout);
  switch (execution.status) {
    case 'SUCCEEDED': {
      const summary = printableDeep(parseSummary(execution.output));
      line(ctx.stdout, renderSummary(summary));
      return summary.result === 'DRIFT_FOUND' ? EXIT.drift : EXIT.ok;
    }
    default: {
      const reason = printable([execution.error, execution.cause].filter(Boolean).join(': ') || 'no error given');
      throw new CliError(`execution ${name} ${execution.status}: ${reason} (history: ${executionConsoleUrl(executionArn)})`);
    }
  }
}

/**
 * How far a running execution got, from the objects its steps leave under runs/<runId>/ in the report bucket
 * (functions/core/reconcile.ts runKeys): listing batches (50 ListSchedules pages each), comparison batches (5,000
 * schedules or store items each) and repair batches. A long backfill shows its progress this way.
 */
export async function runProgress(objects: { list(prefix: string): AsyncIterable<{ key: string }> }, runId: string): Promise<string> {
  const count = async (prefix: string) => {
    let n = 0;
    for await (const _ of objects.list(prefix)) n++;
    return n;
  };
  const [listing, compared, repairs] = await Promise.all([count(runKeys.listingPrefix(runId)), count(runKeys.groupPrefix(runId)), count(runKeys.repairPrefix(runId))]);
  return `${listing} listing batch(es), ${compared} comparison batch(es)${repairs > 0 ? `, ${repairs} repair batch(es)` : ''} done`;
}

/** runProgress, or nothing when the bucket is not known or not readable: progress is a courtesy, never an error. */
async function progressOf(ctx: Context, runId: string): Promise<string> {
  try {
    const bucket = ctx.stack.get('bucket');
    if (!bucket) return '';
    return `, ${await runProgress(new S3ObjectStore(ctx.clients.s3, bucket), runId)}`;
  } catch {
    return '';
  }
}

async function follow(ctx: Context, executionArn: string, timeoutSeconds: number): Promise<DescribeExecutionCommandOutput> {
  const begin = ctx.now().getTime();
  let delay: number = POLL.firstMs;
  let lastReported = -Infinity;
  for (;;) {
    const execution = await ctx.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const elapsed = Math.round((ctx.now().getTime() - begin) / 1000);
    if (execution.status !== 'RUNNING' && execution.status !== 'PENDING_REDRIVE') {
      if (ctx.stderr.isTTY) ctx.stderr.write('\r\x1b[K');
      line(ctx.stdout, `${execution.status} after ${elapsed} s`);
      return execution;
    }
    if (ctx.stderr.isTTY) {
      ctx.stderr.write(`\r\x1b[K${execution.status} ${elapsed} s${await progressOf(ctx, executionArn.split(':').pop()!)}`);
    } else if (elapsed - lastReported >= 30) {
      // Piped output (CI logs): a line now and then, not one per poll.
      ctx.stderr.write(`${execution.status} ${elapsed} s${await progressOf(ctx, executionArn.split(':').pop()!)}\n`);
      lastReported = elapsed;
    }
    if (elapsed >= timeoutSeconds) {
      throw new CliError(`execution still ${execution.status} after ${elapsed} s (--timeout ${timeoutSeconds}); it goes on: ${executionConsoleUrl(executionArn)}`);
    }
    await ctx.sleep(delay);
    delay = Math.min(POLL.maxMs, delay * POLL.factor);
  }
}

function parseSummary(output: string | undefined): ExecutionSummary {
  try {
    const summary = JSON.parse(output ?? '') as ExecutionSummary;
    if (typeof summary?.result === 'string' && typeof summary.counts === 'object') return summary;
  } catch {
    // reported below
  }
  throw new CliError(`the execution succeeded but its output is not a reconciler summary: ${printable((output ?? '(none)').slice(0, 200))}`);
}
