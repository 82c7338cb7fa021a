/**
 * AWS list prices, us-east-1, used to price the extrapolated runs. What the docs search could confirm, and what it
 * could not (AWS pricing pages render their rate tables client-side, so the stored page text often lacks them):
 *
 * - Step Functions Standard: $0.025 per 1,000 state transitions — https://aws.amazon.com/step-functions/pricing/
 *   (rate as the issue states it; the search found it only in third-party text quoting that page).
 * - Lambda, arm64: $0.0000133334 per GB-second — https://aws.amazon.com/lambda/pricing/ (confirmed by artillery's
 *   price table, base arm64 1333340e-10 per GB-s: https://app.unpkg.com/artillery@2.0.28/files/lib/platform/aws-lambda/prices.js);
 *   $0.20 per 1M requests (a transcript of the Lambda pricing page quotes "$0.20 per million requests").
 * - DynamoDB on-demand: $0.125 per million read request units, $0.625 per million write request units (after the
 *   November 2024 on-demand price reduction) — https://aws.amazon.com/dynamodb/pricing/on-demand/. The stored page
 *   text confirms the units (strongly consistent read = 1 RRU per 4 KB, eventually consistent = ½, standard write =
 *   1 WRU per 1 KB); its dollar figures were not in the text, so the two rates are as the issue states them.
 * - EventBridge Scheduler API calls (ListScheduleGroups, ListSchedules, GetSchedule): no charge. Scheduler bills
 *   scheduled invocations only (the AWS price list's `ScheduledInvocation` usage type, first 14 million a month
 *   free — https://aws.amazon.com/eventbridge/pricing/); there is no API-request line item.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PRICES = {
  stepFunctionsPerTransition: 0.025 / 1_000,
  lambdaPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1_000_000,
  dynamoPerReadRequestUnit: 0.125 / 1_000_000,
  dynamoPerWriteRequestUnit: 0.625 / 1_000_000,
  schedulerPerApiCall: 0,
} as const;

export interface LambdaMemory {
  scan: number;
  report: number;
  repair: number;
}

/**
 * The memory sizes infra/reconciler.ts configures (`fn('scan', timeout, memoryMb, ...)`), `undefined` meaning
 * BundledFunction's default in infra/lambda-function.ts. Read from the source so the prices follow the stack.
 */
export function configuredLambdaMemory(root = join(__dirname, '..')): LambdaMemory {
  const reconciler = readFileSync(join(root, 'infra/reconciler.ts'), 'utf8');
  const fallback = /memorySize:\s*args\.memoryMb\s*\?\?\s*(\d+)/.exec(readFileSync(join(root, 'infra/lambda-function.ts'), 'utf8'));
  if (!fallback) throw new Error('infra/lambda-function.ts: no default memorySize found');
  const sizeOf = (suffix: keyof LambdaMemory) => {
    const match = new RegExp(`fn\\('${suffix}',\\s*\\d+,\\s*(\\d+|undefined)`).exec(reconciler);
    if (!match) throw new Error(`infra/reconciler.ts: no fn('${suffix}', ...) found`);
    return match[1] === 'undefined' ? Number(fallback[1]) : Number(match[1]);
  };
  return { scan: sizeOf('scan'), report: sizeOf('report'), repair: sizeOf('repair') };
}
