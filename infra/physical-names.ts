/**
 * One naming helper for every physical name the stack sets itself. Stack names may hold capitals and dots
 * (`Prod.eu-1`) and up to 100 characters; most services allow fewer characters and fewer of them, so a name
 * built from the stack name is made valid for its service here, once, and never by hand at a call site.
 *
 * A name that had to change (a character replaced, or cut to length) gets a short hash of the wanted name as
 * a suffix, so that two stacks whose names differ only in what was replaced (`Prod.eu-1`, `Prod_eu-1`) never
 * share a physical name. A name that is valid as it is stays exactly as it is (no resource is replaced on
 * upgrade for stacks that were valid already).
 */
import { createHash } from 'node:crypto';

export interface NameRule {
  /** Characters allowed, as a character class body (used to replace the others). */
  allowed: string;
  max: number;
  min: number;
  /** What the service's documentation says, for the error message and the table tests. */
  doc: string;
  /** Case the service requires, if any. */
  lowerCase?: boolean;
  /** Extra rules: must start (and end) with a letter or digit. */
  alphanumericEnds?: boolean;
}

/**
 * The rules, each from the service's API reference (the `Name` member's pattern and length). Resources named by
 * Pulumi's auto-naming (logical name plus a random suffix) keep fixed logical names and need none of this.
 */
export const NAME_RULES = {
  /** https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-FunctionName */
  lambda: { allowed: 'a-zA-Z0-9_-', min: 1, max: 64, doc: 'Lambda function name: 1-64 of a-z A-Z 0-9 - _' },
  /** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html#API_CreateRole_RequestParameters */
  iamRole: { allowed: '\\w+=,.@-', min: 1, max: 64, doc: 'IAM role name: 1-64 of a-z A-Z 0-9 _ + = , . @ -' },
  /** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html#API_CreateQueue_RequestParameters */
  sqs: { allowed: 'a-zA-Z0-9_-', min: 1, max: 80, doc: 'SQS queue name: 1-80 of a-z A-Z 0-9 - _' },
  /** https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html#API_CreateTopic_RequestParameters */
  sns: { allowed: 'a-zA-Z0-9_-', min: 1, max: 256, doc: 'SNS topic name: 1-256 of a-z A-Z 0-9 - _' },
  /** https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html */
  s3: { allowed: 'a-z0-9-', min: 3, max: 63, lowerCase: true, alphanumericEnds: true, doc: 'S3 bucket name: 3-63 of a-z 0-9 - (dots avoided: they break virtual-hosted TLS), starting and ending with a letter or digit' },
  /** https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html#StepFunctions-CreateStateMachine-request-name */
  stateMachine: { allowed: 'a-zA-Z0-9_-', min: 1, max: 80, doc: 'state machine name: 1-80 characters, no white space, brackets, wildcards or punctuation (a-z A-Z 0-9 - _ used)' },
  /** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html#eventbridge-PutRule-request-Name */
  eventRule: { allowed: 'a-zA-Z0-9._-', min: 1, max: 64, doc: 'EventBridge rule name: 1-64 of a-z A-Z 0-9 . - _' },
  /** https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html#DDB-CreateTable-request-TableName */
  dynamodbTable: { allowed: 'a-zA-Z0-9_.-', min: 3, max: 255, doc: 'DynamoDB table name: 3-255 of a-z A-Z 0-9 _ - .' },
  /** https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html#API_CreateSchedule_RequestSyntax */
  schedule: { allowed: '0-9a-zA-Z._-', min: 1, max: 64, doc: 'Scheduler schedule name: 1-64 of 0-9 a-z A-Z - _ .' },
  /** https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateScheduleGroup.html#API_CreateScheduleGroup_RequestSyntax */
  scheduleGroup: { allowed: '0-9a-zA-Z._-', min: 1, max: 64, doc: 'Scheduler group name: 1-64 of 0-9 a-z A-Z - _ .' },
  /** https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html#CWL-CreateLogGroup-request-logGroupName */
  logGroup: { allowed: '.\\-_/#A-Za-z0-9', min: 1, max: 512, doc: 'log group name: 1-512 of a-z A-Z 0-9 . - _ / #' },
  /** https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html#API_PutDashboard_RequestParameters */
  dashboard: { allowed: 'A-Za-z0-9_-', min: 1, max: 255, doc: 'dashboard name: 1-255 of A-Z a-z 0-9 - _' },
  /** https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html#API_PutMetricAlarm_RequestParameters (1-255; printable ASCII used) */
  alarm: { allowed: 'A-Za-z0-9._-', min: 1, max: 255, doc: 'alarm name: 1-255 characters (a-z A-Z 0-9 . - _ used)' },
  /** https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html#KMS-CreateAlias-request-AliasName (the part after alias/) */
  kmsAlias: { allowed: 'a-zA-Z0-9/_-', min: 1, max: 250, doc: 'KMS alias name after alias/: 1-250 of a-z A-Z 0-9 / _ -' },
  /** https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html#awscloudtrail-CreateTrail-request-Name */
  trail: { allowed: 'a-zA-Z0-9._-', min: 3, max: 128, alphanumericEnds: true, doc: 'trail name: 3-128 of a-z A-Z 0-9 . _ -, starting and ending with a letter or digit, no two of . _ - side by side' },
} as const satisfies Record<string, NameRule>;

export type NamedService = keyof typeof NAME_RULES;

const HASH_LENGTH = 8;

/** The physical name for `service` built from `parts` joined with `-` (typically a component name and the stack). */
export function physicalName(service: NamedService, ...parts: string[]): string {
  const rule: NameRule = NAME_RULES[service];
  const wanted = parts.join('-');
  let name = rule.lowerCase ? wanted.toLowerCase() : wanted;
  name = name.replace(new RegExp(`[^${rule.allowed}]`, 'g'), '-');
  if (service === 'trail') name = name.replace(/[._-]{2,}/g, '-');
  if (rule.alphanumericEnds) name = name.replace(/^[^a-zA-Z0-9]+/, '').replace(/[^a-zA-Z0-9]+$/, '');
  if (name === wanted && name.length >= rule.min && name.length <= rule.max) return name;
  // Changed or out of length: keep what fits, then a hash of the wanted name keeps it unique.
  const hash = createHash('sha256').update(wanted).digest('hex').slice(0, HASH_LENGTH);
  const head = name.slice(0, rule.max - HASH_LENGTH - 1).replace(/[^a-zA-Z0-9]+$/, '');
  return head.length > 0 ? `${head}-${hash}` : hash;
}

/**
 * The reconciler timer's schedule group (infra/reconciler.ts): exported by the stack as `timerGroupName`, and
 * worked out here from the stack name by the CLI for stacks deployed before that output existed.
 */
export function timerGroupName(stack: string): string {
  return physicalName('scheduleGroup', 'scheduler-observer-reconciler-timer', stack);
}

/** Whether `name` satisfies the service's documented rule (the tests check every name the stack sets). */
export function isValidName(service: NamedService, name: string): boolean {
  const rule: NameRule = NAME_RULES[service];
  if (name.length < rule.min || name.length > rule.max) return false;
  if (!new RegExp(`^[${rule.allowed}]+$`).test(name)) return false;
  if (rule.alphanumericEnds && !/^[a-zA-Z0-9](.*[a-zA-Z0-9])?$/.test(name)) return false;
  if (service === 'trail' && /[._-]{2}/.test(name)) return false;
  if (service === 's3' && (/^xn--|-s3alias$|--ol-s3$/.test(name) || /^\d+\.\d+\.\d+\.\d+$/.test(name))) return false;
  return true;
}
