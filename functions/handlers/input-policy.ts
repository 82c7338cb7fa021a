/**
 * The target-input rule of the Lambdas that read schedules (monitor, reconciler scan), from their environment:
 * `TARGET_INPUT` (hash | full | omit, set from config `targetInput`) and, for `hash`, the Secrets Manager secret
 * that holds the key (`TARGET_INPUT_KEY_SECRET_ARN`). Checked at cold start; the key itself is fetched on first
 * use and cached by Powertools Parameters for KEY_CACHE_SECONDS, so a rotated key is picked up within that.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { inputPolicy, TARGET_INPUT_MODES, type InputPolicy, type TargetInputMode } from '../core/target-input';
import { ConfigurationError, requireEnv } from './env';

export const KEY_CACHE_SECONDS = 300;

export type KeyFetcher = (secretArn: string) => Promise<string | undefined>;

const fetchKey: KeyFetcher = async (secretArn) => (await getSecret(secretArn, { maxAge: KEY_CACHE_SECONDS })) as string | undefined;

export function inputPolicyFromEnv(env: NodeJS.ProcessEnv = process.env, fetch: KeyFetcher = fetchKey): InputPolicy | (() => Promise<InputPolicy>) {
  const mode = requireEnv('TARGET_INPUT', env);
  if (!(TARGET_INPUT_MODES as readonly string[]).includes(mode)) {
    throw new ConfigurationError(`environment variable TARGET_INPUT must be one of ${TARGET_INPUT_MODES.join(', ')}, got "${mode}"`);
  }
  if (mode !== 'hash') return inputPolicy(mode as TargetInputMode);
  const secretArn = requireEnv('TARGET_INPUT_KEY_SECRET_ARN', env);
  return async () => {
    const key = await fetch(secretArn);
    if (typeof key !== 'string') throw new ConfigurationError(`the target-input key secret ${secretArn} has no string value`);
    return inputPolicy('hash', key);
  };
}
