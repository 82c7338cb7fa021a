/**
 * The scheduler-observer command line. `run(argv, options)` is the whole program, in-process: it returns the
 * exit code and writes only to the streams it is given, so tests run it against the local engines and read
 * what it printed. bin/scheduler-observer.js calls `main()`.
 *
 * Exit codes: 0 no drift (or success), 2 drift found (report show, reconcile --wait) or a failed check (audit),
 * 1 an error: one line on stderr, with the stack trace only under --debug.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { DriftKind } from '../functions/core/drift-types';
import { audit, AUDIT_FORMATS } from './commands/audit';
import { query, QUERY_FORMATS } from './commands/query';
import { MODES, reconcile } from './commands/reconcile';
import { LIST_FORMATS, parseKind, reportList, reportShow, SHOW_FORMATS } from './commands/report';
import { sandbox } from './commands/sandbox';
import { lazyClients, type Context, type RunOptions } from './context';
import { describeError, EXIT } from './errors';
import { printable } from './printable';
import { resolveStack, type PulumiRunner, type SettingKey, type StackFlags } from './stack';

export type { RunOptions } from './context';

interface GlobalFlags extends StackFlags {
  debug?: boolean;
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

function kindList(value: string, previous: DriftKind[] | undefined): DriftKind[] {
  return parseKind(value, previous);
}

function groupList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((g) => g.trim()).filter(Boolean)];
}

export async function run(argv: readonly string[], options: RunOptions & { pulumi?: PulumiRunner } = {}): Promise<number> {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const created: Array<{ destroy(): void }> = [];
  let exitCode: number = EXIT.ok;

  /** Wraps a command: resolves the stack for what it needs, builds its context, keeps its exit code. */
  const action =
    <A extends unknown[]>(needs: readonly SettingKey[], body: (ctx: Context, ...args: A) => Promise<number>) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const flags = command.optsWithGlobals<GlobalFlags>();
      const stack = await resolveStack(flags, { env, needs, ...(options.pulumi ? { pulumi: options.pulumi } : {}) });
      const ctx: Context = {
        env,
        stdout,
        stderr,
        now: options.now ?? (() => new Date()),
        sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
        stack,
        clients: lazyClients(options.clients ?? {}, { region: stack.region, profile: stack.profile }, created),
      };
      exitCode = await body(ctx, ...(args.slice(0, -1) as A));
    };

  const program = new Command('scheduler-observer')
    .description('Read drift reports, query the schedule state store, start reconciliations and audit the prerequisites of a scheduler-observer stack.')
    .version(version())
    .exitOverride()
    .configureOutput({ writeOut: (s) => void stdout.write(s), writeErr: (s) => void stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)')
    .option('--table <name>', 'state store table (stack output tableName)')
    .option('--bucket <name>', 'report bucket (stack output reportBucketName)')
    .option('--state-machine-arn <arn>', 'reconciler state machine (stack output stateMachineArn)')
    .option('--rule-name <name>', "observer's EventBridge rule (from stack output ruleArn)")
    .option('--event-bus <name>', "the rule's event bus (default: the default bus)")
    .option('--dlq-url <url>', "observer's dead-letter queue (stack output dlqUrl)")
    .option('--timer-group <name>', "reconciler timer's schedule group (default: scheduler-observer-reconciler-timer-<stack>)")
    .option('--timer-name <name>', 'reconciler timer schedule (default: the schedule in the timer group that starts the state machine)')
    .option('--stack <name>', 'Pulumi stack to read outputs from (default: the current stack)')
    .option('--region <region>', 'AWS region (default: the stack resources\' region, else the AWS SDK chain)')
    .option('--profile <name>', 'AWS shared config profile (default: the AWS SDK chain: AWS_PROFILE, env, SSO, instance role)')
    .option('--debug', 'print stack traces of errors')
    .addHelpText(
      'after',
      '\nStack settings come from the flags above, else from `pulumi stack output --json` when the pulumi CLI is on PATH.\n' +
        'Exit codes: 0 no drift / success, 2 drift found or an audit check failed, 1 error.',
    );

  const report = program.command('report').description('drift reports written by the reconciler to the report bucket');
  report
    .command('list')
    .description('list reports, newest first: run id, time, mode, counts per kind')
    .addOption(new Option('--limit <n>', 'how many reports').argParser(positiveInt).default(20))
    .addOption(new Option('--format <format>', 'output format').choices(LIST_FORMATS).default('table'))
    .action(action(['bucket'], (ctx, opts: { limit: number; format: (typeof LIST_FORMATS)[number] }) => reportList(ctx, opts)));
  report
    .command('show')
    .description('show one report (the latest by default); exit 0 no drift, 2 drift, 1 error or failed run')
    .argument('[run-id]', 'the run id (execution name), as report list shows it')
    .option('--latest', 'the latest report (the default without RUN_ID)')
    .addOption(new Option('--format <format>', 'output format').choices(SHOW_FORMATS).default('table'))
    .addOption(new Option('--kind <kind...>', 'only items of these kinds (repeat or comma-separate); the exit code counts only these').argParser(kindList))
    .action(
      action(['bucket'], (ctx, runId: string | undefined, opts: { latest?: boolean; format: (typeof SHOW_FORMATS)[number]; kind?: DriftKind[] }) =>
        reportShow(ctx, runId, opts),
      ),
    );

  program
    .command('query')
    .description('query the state store: by group (Query), by target (byTarget index), else a Scan')
    .option('--group <group>', 'schedule group (the partition key: a Query)')
    .option('--target <arn>', 'target ARN (the byTarget index: a Query)')
    .addOption(new Option('--state <state>', 'schedule state').choices(['ENABLED', 'DISABLED']))
    .option('--name-prefix <prefix>', 'schedule name prefix (a key condition with --group)')
    .option('--include-deleted', 'include tombstones of deleted schedules')
    .addOption(new Option('--format <format>', 'output format').choices(QUERY_FORMATS).default('table'))
    .option('--explain', 'print on stderr which DynamoDB operation serves the query, why, and what it read')
    .action(action(['table'], (ctx, opts: Parameters<typeof query>[1]) => query(ctx, opts)));

  program
    .command('reconcile')
    .description('start a reconciler run; with --wait, follow it and print its summary (exit 0 in sync, 2 drift, 1 failed)')
    .addOption(new Option('--mode <mode>', 'report only, or repair the store too').choices(MODES).default('report'))
    .addOption(new Option('--groups <group...>', 'only these schedule groups (repeat or comma-separate)').argParser(groupList))
    .option('--wait', 'wait for the run to finish and print its summary')
    .option('--name <name>', 'execution name (the run id; default: generated)')
    .addOption(new Option('--timeout <seconds>', 'how long --wait waits').argParser(positiveInt).default(3600))
    .action(action(['stateMachineArn'], (ctx, opts: Parameters<typeof reconcile>[1]) => reconcile(ctx, opts)));

  program
    .command('audit')
    .description('check the prerequisites: CloudTrail trail, rule enabled, DLQ empty, timer enabled, last run (exit 2 when a check fails)')
    .addOption(new Option('--format <format>', 'output format').choices(AUDIT_FORMATS).default('text'))
    .action(action(['ruleName', 'dlqUrl', 'stateMachineArn', 'timerGroup'], (ctx, opts: { format: (typeof AUDIT_FORMATS)[number] }) => audit(ctx, opts)));

  program
    .command('sandbox')
    .description('run the local sandbox (what `npm start` runs): the whole story on local engines, no AWS account')
    .action(action([], (ctx) => sandbox(ctx)));

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    // Commander has already printed its own message (usage errors) or the help/version text.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    stderr.write(`error: ${printable(describeError(error))}\n`);
    if (argv.includes('--debug') && error instanceof Error) stderr.write(`${error.stack ?? ''}\n`);
    return EXIT.error;
  } finally {
    for (const client of created) client.destroy();
  }
}

export async function main(): Promise<void> {
  // The SDK warns once per process that its 2027 releases need Node >= 22; the CLI supports Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.exitCode = await run(process.argv.slice(2));
}

if (require.main === module) void main();
