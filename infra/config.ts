/**
 * Stack configuration, parsed once at the edge into one typed, frozen object (STYLE.md §2).
 * `parseObserverConfig` is pure so that every rule is unit-tested without Pulumi; `loadConfig` only reads
 * the stack's values and hands them over.
 */
import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
  }
}

export interface ConfigProblem {
  key: string;
  message: string;
}

/** The values CloudWatch Logs accepts for a log group's retention, in days:
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

export const RECONCILE_MODES = ['report', 'repair'] as const;
export type ReconcileMode = (typeof RECONCILE_MODES)[number];

const RATE_EXPRESSION = /^rate\(([1-9]\d*) (minute|minutes|hour|hours|day|days)\)$/;
const CRON_FIELD = /^[0-9A-Za-z*?,\-\/#]+$/;

/**
 * A recurring Scheduler expression: `rate(value unit)` or `cron(minutes hours day-of-month month day-of-week year)`
 * with one of day-of-month and day-of-week `?`. `at(...)` is one-time and would reconcile once:
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
function isRecurringScheduleExpression(expression: string): boolean {
  if (RATE_EXPRESSION.test(expression)) return true;
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) return false;
  const fields = cron[1]!.trim().split(/\s+/);
  const [, , dayOfMonth, , dayOfWeek] = fields;
  return fields.length === 6 && fields.every((f) => CRON_FIELD.test(f)) && (dayOfMonth === '?') !== (dayOfWeek === '?');
}

/** What the drift alarm fires on (config `driftAlarm`: `off`, `any` or `above:N`). */
export type DriftAlarm = { mode: 'off' } | { mode: 'any' } | { mode: 'above'; count: number };

/** CloudWatch namespaces: up to 255 characters of these, with one non-space, and "AWS/" is reserved for AWS:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Namespace */
const METRICS_NAMESPACE = /^(?!AWS\/)(?=.*\S)[0-9A-Za-z.\-_\/#: ]{1,255}$/;

/** Tag keys and values as AWS tagging accepts them; "aws:" is reserved, and most services allow 50 tags per
 * resource, two of which the stack uses (app, stack):
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions */
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
export const RESERVED_TAG_KEYS: readonly string[] = ['app', 'stack'];
export const MAX_USER_TAGS = 48;

interface Field<T> {
  /** What the key accepts, in words: quoted in every error about it. */
  allowed: string;
  schema: z.ZodType<T>;
  /** Used when the key is unset; an optional key's default is undefined. */
  default: T;
}

function bool(fallback: boolean): Field<boolean> {
  return {
    allowed: 'true or false',
    schema: z.enum(['true', 'false']).transform((v) => v === 'true'),
    default: fallback,
  };
}

function int(min: number, max: number, fallback: number): Field<number> {
  return {
    allowed: `an integer from ${min} to ${max}`,
    schema: z
      .string()
      .regex(/^-?\d+$/)
      .transform(Number)
      .pipe(z.number().int().min(min).max(max)),
    default: fallback,
  };
}

function oneOf<T extends string | number>(values: readonly T[], fallback: T): Field<T> {
  return {
    allowed: `one of ${values.join(', ')}`,
    schema: z.string().refine((v) => values.map(String).includes(v)).transform((v) => values.find((x) => String(x) === v) as T),
    default: fallback,
  };
}

/** An AWS account id: https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html */
const ACCOUNT_ID = /^\d{12}$/;
/** A Region code (us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5, ...). */
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
/** An organization id: https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
/** sts:ExternalId: 2-1224 of \w+=,.@:/- (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). */
const EXTERNAL_ID = /^[\w+=,.@:\/-]{2,1224}$/;
/** A role ARN (the hub's monitor and reconciler roles a member trusts). */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/;

export const DEPLOYMENTS = ['standalone', 'hub', 'member'] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];

/** One member account of a hub, and the Regions observed in it. */
export interface MemberAccount {
  accountId: string;
  regions: readonly string[];
}

/** A JSON value of a config key, parsed, with "not JSON" as the problem. */
const json = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not JSON' });
    return z.NEVER;
  }
});

const commaList = (item: RegExp, max: number) =>
  z
    .string()
    .transform((text) => text.split(',').map((value) => value.trim()).filter((value) => value !== ''))
    .pipe(z.array(z.string().regex(item)).min(1).max(max).refine((values) => new Set(values).size === values.length));

const FIELDS = {
  /**
   * The deployment shape (README "Organization"): `standalone` observes the account and Region it is deployed in;
   * a `member` forwards its Scheduler events to a hub's event bus and lets the hub's roles read its schedules;
   * `hub` collects every member's (not available yet: see `crossFieldProblems`).
   */
  deployment: oneOf(DEPLOYMENTS, 'standalone'),
  /** Hub: the member accounts and their Regions, as JSON: [{"accountId":"111122223333","regions":["us-east-1"]}]. */
  members: {
    allowed: 'a JSON list of {"accountId": "<12 digits>", "regions": ["<region>", ...]}, at most 1,000 accounts, each once, each with 1-30 distinct Regions',
    schema: json.pipe(
      z
        .array(z.object({ accountId: z.string().regex(ACCOUNT_ID), regions: z.array(z.string().regex(REGION)).min(1).max(30).refine((r) => new Set(r).size === r.length) }).strict())
        .min(1)
        .max(1000)
        .refine((members) => new Set(members.map((m) => m.accountId)).size === members.length)
        .transform((members) => Object.freeze(members.map((m) => Object.freeze({ accountId: m.accountId, regions: Object.freeze([...m.regions]) })))),
    ),
    default: Object.freeze([]),
  } as Field<readonly MemberAccount[]>,
  /** Hub or member: the AWS Organization whose accounts may send events to the hub and assume the member role. */
  organizationId: {
    allowed: 'an organization id (o- and 10-32 lowercase letters or digits)',
    schema: z.string().regex(ORGANIZATION_ID),
    default: undefined,
  } as Field<string | undefined>,
  /** Hub with organizationId: the Regions observed in every account of the organization (comma-separated). */
  memberRegions: {
    allowed: 'a comma-separated list of 1-30 distinct Region codes (us-east-1, eu-west-1, ...)',
    schema: commaList(REGION, 30),
    default: Object.freeze([]),
  } as Field<readonly string[]>,
  /** Hub: the role the hub's `pulumi up` assumes in each member account to deploy the member pieces there. */
  memberDeployRoleName: {
    allowed: 'an IAM role name (1-64 of letters, digits and _ + = , . @ -)',
    schema: z.string().regex(/^[\w+=,.@-]{1,64}$/),
    default: 'OrganizationAccountAccessRole',
  } as Field<string>,
  /** Member: the hub's account and Region, and the name of its event bus (the hub stack's `hubEventBusName` output). */
  hubAccountId: { allowed: 'an AWS account id (12 digits)', schema: z.string().regex(ACCOUNT_ID), default: undefined } as Field<string | undefined>,
  hubRegion: { allowed: 'a Region code (us-east-1, eu-west-1, ...)', schema: z.string().regex(REGION), default: undefined } as Field<string | undefined>,
  hubEventBusName: {
    allowed: 'an event bus name (1-256 of letters, digits and . - _ /, not "default")',
    schema: z.string().regex(/^[\/\.\-_A-Za-z0-9]{1,256}$/).refine((name) => name !== 'default'),
    default: undefined,
  } as Field<string | undefined>,
  /** Member: the hub's role ARNs that may assume the member's read role (the hub stack's `memberTrustedRoleArns` output). */
  hubRoleArns: {
    allowed: 'a comma-separated list of 1-10 distinct IAM role ARNs',
    schema: commaList(ROLE_ARN, 10),
    default: Object.freeze([]),
  } as Field<readonly string[]>,
  /** Hub or member without an organization: the sts:ExternalId the hub's roles present when they assume a member role. */
  memberExternalId: {
    allowed: 'an external id: 2-1224 of letters, digits and _ + = , . @ : / -',
    schema: z.string().regex(EXTERNAL_ID),
    default: undefined,
  } as Field<string | undefined>,

  /** Off by default: many accounts already have an organization trail, and a second trail costs money. */
  createTrail: bool(false),
  trailMultiRegion: bool(false),
  demoSeed: bool(false),
  tombstoneTtlDays: int(1, 3650, 30),
  logRetentionDays: oneOf(LOG_RETENTION_DAYS, 30),
  logLevel: oneOf(LOG_LEVELS, 'INFO'),
  /** Lambda accepts up to 10,000 records per batch from a standard queue:
   * https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html#lambda-CreateEventSourceMapping-request-BatchSize */
  monitorBatchSize: int(1, 10000, 10),
  monitorBatchWindowSeconds: int(0, 300, 5),
  /** Maximum concurrency for SQS event sources is 2-1000:
   * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html#events-sqs-max-concurrency */
  monitorMaxConcurrency: int(2, 1000, 5),
  /**
   * GetSchedule calls per second the monitor may make in all, split over monitorMaxConcurrency environments. The
   * account's default is 1,000 per second in the larger Regions, 250 in the others, shared with every other tool:
   * https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html */
  monitorGetScheduleRate: int(1, 10000, 100),
  monitorTimeoutSeconds: int(3, 900, 30),
  tableDeletionProtection: bool(true),
  /**
   * Whether `pulumi destroy` empties the stack's buckets (reports, run data, the trail's logs) before deleting
   * them; off by default, so that a destroy never deletes audit data by surprise (S3 refuses to delete a
   * non-empty bucket: https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html).
   */
  forceDestroyBuckets: bool(false),
  /** Optional customer managed key for the state store; unset means DynamoDB's AWS owned key. */
  tableKmsKeyArn: {
    allowed: 'a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)',
    schema: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/),
    default: undefined,
  } as Field<string | undefined>,
  /**
   * Customer managed keys that schedules in this account encrypt their payload with. Scheduler decrypts a payload
   * with the caller's permissions (https://docs.aws.amazon.com/scheduler/latest/UserGuide/encryption-rest.html),
   * so the monitor and the reconciler may use these keys for kms:Decrypt, only through Scheduler and only for this
   * account's schedules. A schedule whose key is not listed (or whose key policy refuses) is recorded as live and
   * unreadable, and reported NOT_CHECKED (KMS_ACCESS_DENIED).
   */
  scheduleKmsKeyArns: {
    allowed: 'a comma-separated list of KMS key ARNs (arn:<partition>:kms:<region>:<account>:key/<id>)',
    schema: z
      .string()
      .transform((text) => text.split(',').map((arn) => arn.trim()).filter((arn) => arn !== ''))
      .pipe(z.array(z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/)).max(50)),
    default: [],
  } as Field<string[]>,
  /**
   * What the observer keeps of each schedule's target input, in the store, reports, alerts and logs: a keyed
   * hash (default; the key is a Secrets Manager secret the stack creates), the input in full, or nothing.
   */
  targetInput: oneOf(['hash', 'full', 'omit'] as const, 'hash'),
  /**
   * Minutes between heartbeats (infra/heartbeat.ts): the stack's own schedule whose description the heartbeat
   * rewrites, so that the observer proves it still records changes (alarm observer-blind). 0 turns it off.
   */
  heartbeatMinutes: int(0, 1440, 5),
  /** How often the reconciler runs. */
  reconcileSchedule: {
    allowed:
      'rate(<positive integer> minute|minutes|hour|hours|day|days) or cron(<6 fields>) with day-of-month or day-of-week "?"',
    schema: z.string().refine(isRecurringScheduleExpression),
    default: 'rate(1 hour)',
  } as Field<string>,
  /** `report` only reports drift; `repair` also writes the live truth into the store. */
  reconcileMode: oneOf(RECONCILE_MODES, 'report'),
  /** The reconciler's timer schedule is ENABLED (true) or DISABLED (false); a run by hand works either way. */
  reconcileEnabled: bool(true),
  /** Days a drift report is kept in the report bucket (S3 lifecycle expiry). */
  reportRetentionDays: int(1, 3650, 90),
  /** Optional address subscribed (by email, after confirmation) to the reconciler's drift alerts. */
  alertEmail: {
    allowed: 'an email address (name@example.com)',
    schema: z.email(),
    default: undefined,
  } as Field<string | undefined>,
  /** The "observer is falling behind" alarm: the oldest message in the queue is older than this many seconds. */
  queueAgeAlarmSeconds: int(60, 86400, 900),
  /** The drift alarm: never, on any drift item, or only above N items in a run (infra/alarms.ts). */
  driftAlarm: {
    allowed: 'off, any or above:<N> with N an integer from 1 to 1000000',
    schema: z
      .string()
      .regex(/^(off|any|above:[1-9]\d{0,6})$/)
      .transform((v): DriftAlarm => (v === 'off' || v === 'any' ? { mode: v } : { mode: 'above', count: Number(v.slice('above:'.length)) }))
      .refine((v) => v.mode !== 'above' || v.count <= 1_000_000),
    default: { mode: 'any' },
  } as Field<DriftAlarm>,
  /** The handlers' POWERTOOLS_METRICS_NAMESPACE, which the dashboard and alarms read. */
  metricsNamespace: {
    allowed: 'a CloudWatch namespace: 1-255 of A-Z a-z 0-9 . - _ / # : and space, not starting with "AWS/"',
    schema: z.string().regex(METRICS_NAMESPACE),
    default: 'SchedulerObserver',
  } as Field<string>,
  /** Tags added to every taggable resource next to app and stack (infra/tags.ts). */
  tags: {
    allowed:
      `a JSON object of string values such as {"team":"platform"}: at most ${MAX_USER_TAGS} tags, keys of 1-128 and values ` +
      'of 0-256 letters, digits, spaces or _ . : / = + - @, no key starting with "aws:", and not the keys app or stack',
    schema: z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'not JSON' });
          return z.NEVER;
        }
      })
      .pipe(
        z
          .record(z.string().regex(TAG_KEY).refine((k) => !RESERVED_TAG_KEYS.includes(k)), z.string().regex(TAG_VALUE))
          .refine((tags) => Object.keys(tags).length <= MAX_USER_TAGS),
      )
      .transform((tags) => Object.freeze({ ...tags })),
    default: Object.freeze({}),
  } as Field<Readonly<Record<string, string>>>,
} as const;

export type ConfigKey = keyof typeof FIELDS;
export const CONFIG_KEYS = Object.keys(FIELDS) as ConfigKey[];

export type ObserverConfig = Readonly<{ [K in ConfigKey]: (typeof FIELDS)[K] extends Field<infer T> ? T : never }>;

/**
 * - Lambda rejects a batch size above 10 from a standard queue unless the batching window is at least 1 s:
 *   https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-batchwindow
 * - A batch of distinct schedules needs monitorBatchSize GetSchedule calls, at monitorGetScheduleRate /
 *   monitorMaxConcurrency per second in each environment (functions/adapters/rate-limit.ts): that must fit in the
 *   monitor's timeout, or every such batch would time out and return to the queue.
 */
function crossFieldProblems(config: ObserverConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (config.monitorBatchSize > 10 && config.monitorBatchWindowSeconds === 0) {
    problems.push({
      key: 'monitorBatchSize',
      message:
        `scheduler-observer:monitorBatchSize = ${config.monitorBatchSize} needs ` +
        `scheduler-observer:monitorBatchWindowSeconds of at least 1 (it is 0): ` +
        'a standard queue allows a batch size above 10 only with a batching window',
    });
  }
  const share = config.monitorGetScheduleRate / config.monitorMaxConcurrency;
  const readSeconds = config.monitorBatchSize / share;
  if (readSeconds > config.monitorTimeoutSeconds) {
    problems.push({
      key: 'monitorGetScheduleRate',
      message:
        `scheduler-observer:monitorGetScheduleRate = ${config.monitorGetScheduleRate} over ` +
        `monitorMaxConcurrency = ${config.monitorMaxConcurrency} gives each monitor ${round(share)} GetSchedule calls per second: ` +
        `a batch of ${config.monitorBatchSize} distinct schedules needs ${round(readSeconds)} s, more than monitorTimeoutSeconds = ` +
        `${config.monitorTimeoutSeconds}; raise the rate or the timeout, or lower the batch size`,
    });
  }
  problems.push(...shapeProblems(config));
  return problems;
}

/** The keys each deployment shape takes; a key set for another shape is a mistake worth naming. */
const SHAPE_KEYS: Record<Deployment, readonly ConfigKey[]> = {
  standalone: [],
  hub: ['members', 'organizationId', 'memberRegions', 'memberExternalId'],
  member: ['organizationId', 'hubAccountId', 'hubRegion', 'hubEventBusName', 'hubRoleArns', 'memberExternalId'],
};
const SHAPED_KEYS: readonly ConfigKey[] = ['members', 'organizationId', 'memberRegions', 'hubAccountId', 'hubRegion', 'hubEventBusName', 'hubRoleArns', 'memberExternalId'];

/**
 * The deployment shape's rules (README "Organization"):
 * - a key of another shape is an error (a standalone stack with `members` was meant to be a hub);
 * - a hub lists its `members`, or names an `organizationId` with `memberRegions`; without an organization the
 *   member roles' trust needs a `memberExternalId`;
 * - a member names its hub (account, Region, bus, role ARNs) and the organization or the external id its trust
 *   policy requires.
 */
function shapeProblems(config: ObserverConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const shape = config.deployment;
  const isSet = (key: ConfigKey) => {
    const value = config[key] as unknown;
    return Array.isArray(value) ? value.length > 0 : value !== undefined;
  };
  const need = (key: ConfigKey, why: string) => {
    if (!isSet(key)) problems.push({ key, message: `scheduler-observer:${key} is required with deployment = ${shape}: ${why}` });
  };
  for (const key of SHAPED_KEYS) {
    if (isSet(key) && !SHAPE_KEYS[shape].includes(key)) {
      const takers = DEPLOYMENTS.filter((d) => SHAPE_KEYS[d].includes(key));
      problems.push({ key, message: `scheduler-observer:${key} applies to deployment = ${takers.join(' or ')}, not ${shape} (set scheduler-observer:deployment, or remove the key)` });
    }
  }
  if (problems.length > 0) return problems;
  if (shape === 'hub') {
    if (isSet('members') === isSet('organizationId')) {
      problems.push({ key: 'members', message: 'deployment = hub needs exactly one of scheduler-observer:members (the accounts and their Regions) and scheduler-observer:organizationId (every account of the organization)' });
    } else if (isSet('organizationId')) {
      need('memberRegions', 'the Regions observed in every account of the organization');
    } else if (isSet('memberRegions')) {
      problems.push({ key: 'memberRegions', message: 'scheduler-observer:memberRegions goes with organizationId; with members, each member lists its own regions' });
    }
    if (!isSet('organizationId')) need('memberExternalId', 'without an organization, the member roles trust the hub only with this external id');
    if (problems.length === 0) {
      problems.push({
        key: 'deployment',
        message:
          'deployment = hub is not available yet: the hub\'s monitor and reconciler do not read member accounts (their store keys and ' +
          'cross-account reads are still being built, README "Organization"); deploy a standalone stack in each account and Region meanwhile',
      });
    }
  }
  if (shape === 'member') {
    need('hubAccountId', 'the account of the hub stack that collects this account\'s changes');
    need('hubRegion', 'the Region of the hub stack');
    need('hubEventBusName', 'the hub stack\'s hubEventBusName output');
    need('hubRoleArns', 'the hub stack\'s memberTrustedRoleArns output: the only roles that may read this account\'s schedules');
    if (!isSet('organizationId') && !isSet('memberExternalId')) {
      problems.push({ key: 'memberExternalId', message: 'deployment = member needs scheduler-observer:organizationId or scheduler-observer:memberExternalId: the read role\'s trust policy requires one of them' });
    }
    if (config.hubAccountId !== undefined && config.hubRoleArns.some((arn) => arn.split(':')[4] !== config.hubAccountId)) {
      problems.push({ key: 'hubRoleArns', message: `scheduler-observer:hubRoleArns must be roles of the hub account ${config.hubAccountId}` });
    }
  }
  return problems;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Parses raw stack config values (strings, as `pulumi config` stores them). Throws ConfigError naming every bad key. */
export function parseObserverConfig(raw: Record<string, string | undefined>): ObserverConfig {
  const problems: ConfigProblem[] = Object.keys(raw)
    .filter((key) => !(CONFIG_KEYS as string[]).includes(key))
    .map((key) => ({
      key,
      message: `scheduler-observer:${key} is not a known key (a typo?): expected one of ${CONFIG_KEYS.join(', ')}`,
    }));
  const values: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const field: Field<unknown> = FIELDS[key];
    const value = raw[key];
    if (value === undefined || value === '') {
      values[key] = field.default;
      continue;
    }
    const result = field.schema.safeParse(value);
    if (result.success) {
      values[key] = result.data;
    } else {
      problems.push({
        key,
        message: `scheduler-observer:${key} = ${JSON.stringify(value)} is invalid: expected ${field.allowed}`,
      });
    }
  }
  const config = Object.freeze(values) as ObserverConfig;
  problems.push(...(problems.length === 0 ? crossFieldProblems(config) : []));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Reads this stack's `scheduler-observer:*` values; the one place the program touches stack config. */
export function loadConfig(): ObserverConfig {
  const config = new pulumi.Config();
  const prefix = `${config.name}:`;
  // Every key in the project's namespace, so that a misspelt key fails instead of silently using a default.
  const present = Object.keys(pulumi.runtime.allConfig())
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length));
  return parseObserverConfig(Object.fromEntries([...new Set([...present, ...CONFIG_KEYS])].map((key) => [key, config.get(key)])));
}
