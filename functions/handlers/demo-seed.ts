/**
 * Lambda entry point of the demo seed (invoked once by `pulumi up` when demoSeed is on): runs the demo story
 * against the real Scheduler so that the observer has something to record.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { runDemoStory, type DemoStoryResult } from '../demo/story';
import { intEnv, requireEnv } from './env';
import { logger } from './observability';

const groupName = requireEnv('DEMO_GROUP');
const targetArn = requireEnv('DEMO_TARGET_ARN');
const roleArn = requireEnv('DEMO_ROLE_ARN');
// Below the function's 120 s timeout, with room for the calls themselves.
const waitMs = intEnv('DEMO_WAIT_MS', { min: 0, max: 90_000, fallback: 60_000 });

const scheduler = new SchedulerClient({});

export async function handler(): Promise<DemoStoryResult> {
  const result = await runDemoStory(scheduler, {
    groupName,
    targetArn,
    roleArn,
    waitMs,
    log: (line) => logger.info(line),
  });
  logger.info('demo story done', { result });
  return result;
}
