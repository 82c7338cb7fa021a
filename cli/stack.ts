/**
 * Where the stack is: flags first, then (when the `pulumi` CLI is on PATH) the outputs of the current Pulumi
 * stack (`pulumi stack output --json`, names as index.ts exports them). A command asks for what it needs with
 * `require(...)`; a missing value is one error naming the flag.
 */
import { timerGroupName } from '../infra/physical-names';
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { MissingSettingError } from './errors';

export type SettingKey = 'table' | 'bucket' | 'stateMachineArn' | 'ruleName' | 'dlqUrl' | 'timerGroup' | 'timerName';

export interface StackFlags {
  table?: string;
  bucket?: string;
  stateMachineArn?: string;
  ruleName?: string;
  eventBus?: string;
  dlqUrl?: string;
  timerGroup?: string;
  timerName?: string;
  region?: string;
  profile?: string;
  stack?: string;
}

const FLAG_OF: Record<SettingKey, { flag: string; output: string; what: string }> = {
  table: { flag: '--table NAME', output: 'tableName', what: 'state store table' },
  bucket: { flag: '--bucket NAME', output: 'reportBucketName', what: 'report bucket' },
  stateMachineArn: { flag: '--state-machine-arn ARN', output: 'stateMachineArn', what: 'reconciler state machine' },
  ruleName: { flag: '--rule-name NAME', output: 'ruleArn', what: 'EventBridge rule' },
  dlqUrl: { flag: '--dlq-url URL', output: 'dlqUrl', what: 'dead-letter queue' },
  timerGroup: { flag: '--timer-group NAME', output: 'timerGroupName', what: "reconciler timer's schedule group" },
  timerName: { flag: '--timer-name NAME', output: '(found by listing the timer group)', what: 'reconciler timer schedule' },
};


export interface StackSettings {
  readonly values: Partial<Record<SettingKey, string>>;
  readonly region?: string;
  readonly profile?: string;
  readonly eventBus?: string;
  /** Where the values came from, for messages: "flags", "pulumi stack dev". */
  readonly source: string;
  require(key: SettingKey): string;
  get(key: SettingKey): string | undefined;
}

/** Runs the Pulumi CLI; tests put a fake `pulumi` on PATH instead. */
export type PulumiRunner = (args: string[], env: NodeJS.ProcessEnv) => Promise<string>;

export const runPulumi: PulumiRunner = (args, env) =>
  new Promise((resolve, reject) => {
    execFile('pulumi', args, { env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(firstLine(String(stderr)) || error.message));
      else resolve(String(stdout));
    });
  });

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

export function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** `arn:aws:events:<region>:<account>:rule/[<bus>/]<name>` → name and bus (the default bus when absent). */
export function ruleFromArn(arn: string): { name: string; bus?: string } | undefined {
  const match = /^arn:[^:]+:events:[^:]*:[^:]*:rule\/(?:([^/]+)\/)?([^/]+)$/.exec(arn);
  if (!match) return undefined;
  return { name: match[2]!, ...(match[1] ? { bus: match[1] } : {}) };
}

export function regionFromArn(arn: string | undefined): string | undefined {
  const region = arn?.split(':')[3];
  return region ? region : undefined;
}

/** Maps `pulumi stack output --json` (index.ts export names) to settings. */
export function settingsFromOutputs(outputs: Record<string, unknown>, stackName?: string): { values: Partial<Record<SettingKey, string>>; eventBus?: string; region?: string } {
  const text = (key: string) => (typeof outputs[key] === 'string' && outputs[key] !== '' ? (outputs[key] as string) : undefined);
  const values: Partial<Record<SettingKey, string>> = {};
  const set = (key: SettingKey, value: string | undefined) => {
    if (value !== undefined) values[key] = value;
  };
  set('table', text('tableName'));
  set('bucket', text('reportBucketName'));
  set('stateMachineArn', text('stateMachineArn'));
  set('dlqUrl', text('dlqUrl'));
  const rule = text('ruleArn') === undefined ? undefined : ruleFromArn(text('ruleArn')!);
  set('ruleName', rule?.name);
  // Not exported by index.ts today: taken when a later version exports them, derived from the stack name otherwise.
  // Stacks deployed before the timerGroupName output: the name infra/reconciler.ts gives the group.
  set('timerGroup', text('timerGroupName') ?? (stackName ? timerGroupName(stackName) : undefined));
  set('timerName', text('timerScheduleName'));
  return { values, ...(rule?.bus ? { eventBus: rule.bus } : {}), region: regionFromArn(text('stateMachineArn') ?? text('ruleArn') ?? text('tableArn')) };
}

export interface ResolveOptions {
  env: NodeJS.ProcessEnv;
  /** What the command will ask for: the Pulumi CLI runs only when one of them is not given as a flag. */
  needs: readonly SettingKey[];
  pulumi?: PulumiRunner;
}

export async function resolveStack(flags: StackFlags, options: ResolveOptions): Promise<StackSettings> {
  const values: Partial<Record<SettingKey, string>> = {};
  for (const key of Object.keys(FLAG_OF) as SettingKey[]) {
    const value = flags[key];
    if (value !== undefined && value !== '') values[key] = value;
  }
  let source = 'flags';
  let eventBus = flags.eventBus;
  let stackRegion: string | undefined;
  let pulumiProblem: string | undefined;

  const missing = options.needs.filter((key) => values[key] === undefined);
  if (missing.length > 0) {
    if (!onPath('pulumi', options.env)) {
      pulumiProblem = 'the pulumi CLI is not on PATH to read the stack outputs';
    } else {
      const run = options.pulumi ?? runPulumi;
      const stackArgs = flags.stack ? ['--stack', flags.stack] : [];
      try {
        const outputs = JSON.parse(await run(['stack', 'output', '--json', ...stackArgs], options.env)) as Record<string, unknown>;
        const stackName = flags.stack ?? (missing.includes('timerGroup') ? firstLine(await run(['stack', '--show-name', ...stackArgs], options.env)) : undefined);
        const fromStack = settingsFromOutputs(outputs, stackName);
        for (const key of missing) if (fromStack.values[key] !== undefined) values[key] = fromStack.values[key];
        eventBus ??= fromStack.eventBus;
        stackRegion = fromStack.region;
        source = `pulumi stack${stackName ? ` ${stackName}` : ''}`;
      } catch (error) {
        pulumiProblem = `'pulumi stack output' failed: ${(error as Error).message}`;
      }
    }
  }

  const region = flags.region ?? stackRegion;
  return {
    values,
    source,
    ...(region ? { region } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(eventBus ? { eventBus } : {}),
    get: (key) => values[key],
    require(key) {
      const value = values[key];
      if (value !== undefined) return value;
      const { flag, output, what } = FLAG_OF[key];
      const why = pulumiProblem ?? `the Pulumi stack has no output ${output}`;
      throw new MissingSettingError(`no ${what}: pass ${flag} (${why})`);
    },
  };
}
