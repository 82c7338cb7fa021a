/**
 * `audit`: the prerequisites a user forgets, each one pass / warn / fail with the fix.
 * - CloudTrail: a trail logging management write events in this region (DescribeTrails, GetTrailStatus,
 *   GetEventSelectors): without one, EventBridge receives no Scheduler events at all
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html).
 * - the observer's rule enabled (DescribeRule), its DLQ empty (GetQueueAttributes),
 * - the reconciler's timer schedule enabled (GetSchedule), and its last run succeeded recently (ListExecutions).
 * A check that cannot run (no setting, access denied) is a warning that says so; missing credentials end the
 * command instead (every check would fail the same way).
 */
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import { DescribeRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { Context } from '../context';
import { describeError, EXIT } from '../errors';
import { ago, line, renderJson } from '../output';
import { printable } from '../printable';
import { managementWriteCoverage } from '../trail-coverage';
import { executionConsoleUrl } from './reconcile';

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

export const AUDIT_FORMATS = ['text', 'json'] as const;

/** Errors that are about the caller's environment, not one check: they end the command. */
const FATAL = new Set(['CredentialsProviderError', 'ExpiredTokenException', 'ExpiredToken', 'TokenRefreshRequired']);

export async function audit(ctx: Context, options: { format: (typeof AUDIT_FORMATS)[number] }): Promise<number> {
  let timerInterval: number | undefined;
  const timer = await guarded('Reconciler timer', async () => {
    const { result, interval } = await timerCheck(ctx);
    timerInterval = interval;
    return result;
  });
  const results: CheckResult[] = [
    await guarded('CloudTrail trail', () => trailCheck(ctx)),
    await guarded('Observer rule', () => ruleCheck(ctx)),
    await guarded('Dead-letter queue', () => dlqCheck(ctx)),
    timer,
    await guarded('Last reconciliation', () => lastRunCheck(ctx, timerInterval)),
  ];
  if (options.format === 'json') {
    line(ctx.stdout, renderJson(results));
  } else {
    for (const r of results) {
      line(ctx.stdout, `${r.status.toUpperCase().padEnd(4)}  ${r.check.padEnd(20)} ${printable(r.detail)}`);
      if (r.fix) line(ctx.stdout, `      ${''.padEnd(20)} fix: ${printable(r.fix)}`);
    }
    const count = (s: CheckStatus) => results.filter((r) => r.status === s).length;
    line(ctx.stdout, `\n${count('pass')} passed, ${count('warn')} warning(s), ${count('fail')} failed`);
  }
  return results.some((r) => r.status === 'fail') ? EXIT.drift : EXIT.ok;
}

/** Runs one check; an AWS error other than a fatal one becomes a warning naming it. */
async function guarded(check: string, run: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Error && (FATAL.has(error.name) || /region is missing/i.test(error.message))) throw error;
    const result: CheckResult = { check, status: 'warn', detail: `could not check: ${describeError(error)}` };
    if (error instanceof Error && /AccessDenied|UnauthorizedOperation/.test(error.name)) result.fix = 'allow the read-only action named above to your AWS identity, or run audit with a role that has it';
    return result;
  }
}

function notChecked(check: string, flag: string): CheckResult {
  return { check, status: 'warn', detail: `not checked: no ${flag} given and none in the stack outputs`, fix: `pass ${flag}` };
}

async function trailCheck(ctx: Context): Promise<CheckResult> {
  const check = 'CloudTrail trail';
  const region = await ctx.clients.cloudtrail.config.region();
  // includeShadowTrails: multi-region and organization trails homed elsewhere also log this region.
  const { trailList = [] } = await ctx.clients.cloudtrail.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  const here = trailList.filter((t) => t.IsMultiRegionTrail || t.HomeRegion === region);
  const createFix = 'pulumi config set scheduler-observer:createTrail true && pulumi up (or add management write events to an existing trail)';
  if (here.length === 0) return { check, status: 'fail', detail: `no CloudTrail trail logs ${region}: EventBridge receives no Scheduler events`, fix: createFix };

  const findings: string[] = [];
  let stopped: Trail | undefined;
  let unknown: { trail: Trail; why: string } | undefined;
  for (const trail of here) {
    const label = describeTrail(trail);
    const selectors = await ctx.clients.cloudtrail.send(new GetEventSelectorsCommand({ TrailName: trail.TrailARN ?? trail.Name }));
    const coverage = managementWriteCoverage(selectors);
    if (coverage.covered === false) {
      findings.push(`${label}: ${coverage.why}`);
      continue;
    }
    let logging: boolean | undefined;
    try {
      logging = (await ctx.clients.cloudtrail.send(new GetTrailStatusCommand({ Name: trail.TrailARN ?? trail.Name }))).IsLogging;
    } catch (error) {
      // An organization trail seen from a member account may not answer GetTrailStatus.
      if (error instanceof Error && FATAL.has(error.name)) throw error;
      unknown ??= { trail, why: `logging status unknown (${describeError(error)})` };
      continue;
    }
    if (logging && coverage.covered === true) return { check, status: 'pass', detail: `${label} is logging management write events in ${region}` };
    if (!logging) {
      stopped ??= trail;
      findings.push(`${label}: logging is stopped`);
    } else if (coverage.covered === 'partly') {
      unknown ??= { trail, why: `its selectors may not include Scheduler writes: ${coverage.why}` };
    }
  }
  if (unknown) return { check, status: 'warn', detail: `${describeTrail(unknown.trail)}: ${unknown.why}`, fix: 'confirm the trail logs scheduler.amazonaws.com management write events, or create one: ' + createFix };
  if (stopped) return { check, status: 'fail', detail: findings.join('; '), fix: `aws cloudtrail start-logging --name ${stopped.TrailARN ?? stopped.Name}` };
  return { check, status: 'fail', detail: findings.join('; '), fix: createFix };
}

function describeTrail(trail: Trail): string {
  const kinds = [trail.IsOrganizationTrail ? 'organization' : '', trail.IsMultiRegionTrail ? 'multi-region' : `${trail.HomeRegion ?? ''} only`].filter(Boolean);
  return `trail ${trail.Name} (${kinds.join(', ')})`;
}

async function ruleCheck(ctx: Context): Promise<CheckResult> {
  const check = 'Observer rule';
  const name = ctx.stack.get('ruleName');
  if (!name) return notChecked(check, '--rule-name');
  const bus = ctx.stack.eventBus;
  try {
    const rule = await ctx.clients.eventbridge.send(new DescribeRuleCommand({ Name: name, ...(bus ? { EventBusName: bus } : {}) }));
    // ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS also delivers read-only events; the monitor ignores them.
    if (rule.State === 'ENABLED' || rule.State === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') {
      return { check, status: 'pass', detail: `rule ${name} is ${rule.State}` };
    }
    return { check, status: 'fail', detail: `rule ${name} is ${rule.State}: Scheduler changes are not recorded`, fix: `aws events enable-rule --name ${name}${bus ? ` --event-bus-name ${bus}` : ''}` };
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return { check, status: 'fail', detail: `rule ${name} does not exist`, fix: 'pulumi up (the stack creates it)' };
    throw error;
  }
}

/** Visible, in flight and delayed: any of them is a message that failed (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html). */
const DLQ_COUNTS = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;

async function dlqCheck(ctx: Context): Promise<CheckResult> {
  const check = 'Dead-letter queue';
  const url = ctx.stack.get('dlqUrl');
  if (!url) return notChecked(check, '--dlq-url');
  try {
    const { Attributes = {} } = await ctx.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...DLQ_COUNTS] }),
    );
    const total = DLQ_COUNTS.reduce((sum, attribute) => sum + Number(Attributes[attribute] ?? 0), 0);
    if (total === 0) return { check, status: 'pass', detail: 'empty' };
    return {
      check,
      status: 'fail',
      detail: `${total} message(s): events the monitor failed 3 times, so the store may miss those changes`,
      fix: `scheduler-observer reconcile --mode repair --wait; read them for the cause (aws sqs receive-message --queue-url ${url}), then aws sqs purge-queue --queue-url ${url}`,
    };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue') {
      return { check, status: 'fail', detail: `queue ${url} does not exist`, fix: 'pulumi up (the stack creates it), or pass the right --dlq-url' };
    }
    throw error;
  }
}

async function timerCheck(ctx: Context): Promise<{ result: CheckResult; interval?: number }> {
  const check = 'Reconciler timer';
  const group = ctx.stack.get('timerGroup');
  if (!group) return { result: notChecked(check, '--timer-group') };
  const stateMachineArn = ctx.stack.get('stateMachineArn');
  let name = ctx.stack.get('timerName');
  if (!name) {
    // The schedule's name is generated by Pulumi; it is the one in the timer group that starts the state machine.
    const { Schedules = [] } = await ctx.clients.scheduler.send(new ListSchedulesCommand({ GroupName: group }));
    const timer = Schedules.find((s) => stateMachineArn !== undefined && s.Target?.Arn === stateMachineArn) ?? (Schedules.length === 1 ? Schedules[0] : undefined);
    if (!timer?.Name) {
      return { result: { check, status: 'fail', detail: `no schedule in group ${group} starts the reconciler`, fix: 'pulumi up (the stack creates the timer), or pass --timer-group/--timer-name' } };
    }
    name = timer.Name;
  }
  try {
    const schedule = await ctx.clients.scheduler.send(new GetScheduleCommand({ GroupName: group, Name: name }));
    const interval = rateMs(schedule.ScheduleExpression ?? '');
    const label = `schedule ${group}/${name} (${schedule.ScheduleExpression})`;
    if (stateMachineArn !== undefined && schedule.Target?.Arn !== stateMachineArn) {
      return { result: { check, status: 'fail', detail: `${label} starts ${schedule.Target?.Arn}, not the reconciler ${stateMachineArn}`, fix: 'pulumi up' } };
    }
    if (schedule.State === 'ENABLED') return { result: { check, status: 'pass', detail: `${label} is ENABLED` }, ...(interval ? { interval } : {}) };
    return {
      result: {
        check,
        status: 'warn',
        detail: `${label} is ${schedule.State}: no timed runs (hand-started runs still work)`,
        fix: 'pulumi config set scheduler-observer:reconcileEnabled true && pulumi up',
      },
    };
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') {
      return { result: { check, status: 'fail', detail: `schedule ${group}/${name} does not exist`, fix: 'pulumi up (the stack creates it)' } };
    }
    throw error;
  }
}

/** A run is overdue after two missed timer runs; without a rate() to go by, after a day and an hour. */
const DEFAULT_MAX_AGE_MS = 25 * 3_600_000;

async function lastRunCheck(ctx: Context, timerInterval: number | undefined): Promise<CheckResult> {
  const check = 'Last reconciliation';
  const stateMachineArn = ctx.stack.get('stateMachineArn');
  if (!stateMachineArn) return notChecked(check, '--state-machine-arn');
  // Newest first (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html).
  const { executions = [] } = await ctx.clients.sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 20 }));
  const finished = executions.find((e) => e.status !== 'RUNNING' && e.status !== 'PENDING_REDRIVE');
  const running = executions.filter((e) => e.status === 'RUNNING').length;
  const note = running > 0 ? ` (${running} running now)` : '';
  if (!finished) {
    return { check, status: 'warn', detail: `no finished reconciler run yet${note}`, fix: 'scheduler-observer reconcile --wait' };
  }
  const when = finished.stopDate ?? finished.startDate;
  const age = when ? ctx.now().getTime() - when.getTime() : Infinity;
  const since = when ? ago(when, ctx.now()) : 'at an unknown time';
  if (finished.status !== 'SUCCEEDED') {
    return {
      check,
      status: 'fail',
      detail: `last run ${finished.name} ${finished.status} ${since}${note}`,
      fix: `read its error in ${executionConsoleUrl(finished.executionArn!)}, then scheduler-observer reconcile --wait`,
    };
  }
  const maxAge = timerInterval ? 2 * timerInterval : DEFAULT_MAX_AGE_MS;
  if (age > maxAge) {
    return { check, status: 'warn', detail: `last run ${finished.name} succeeded ${since}: overdue${note}`, fix: 'check the reconciler timer above; scheduler-observer reconcile --wait runs one now' };
  }
  return { check, status: 'pass', detail: `last run ${finished.name} succeeded ${since}${note}` };
}

/** rate(5 minutes) → 300000; anything else (cron, at) → undefined. */
export function rateMs(expression: string): number | undefined {
  const match = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) return undefined;
  const unit = match[2]!.startsWith('minute') ? 60_000 : match[2]!.startsWith('hour') ? 3_600_000 : 86_400_000;
  return Number(match[1]) * unit;
}
