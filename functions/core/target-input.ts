/**
 * A schedule's `Target.Input` often carries tokens, keys or personal data (which is why Scheduler lets owners
 * encrypt it with their own key: https://docs.aws.amazon.com/scheduler/latest/UserGuide/encryption-rest.html).
 * The observer applies one rule, config `targetInput`, to every spec it reads, before anything stores, compares,
 * reports, publishes or logs it:
 * - `hash` (default): the input becomes `hmac-sha256:<base64url>`, a keyed hash (HMAC-SHA-256 with a stack
 *   secret, https://www.rfc-editor.org/rfc/rfc2104). Equal inputs hash equal, so a change is still detected, and
 *   reported as "input changed" without either value; without the key, the hash reveals nothing, not even a guess.
 * - `full`: the input as Scheduler returns it.
 * - `omit`: no input at all (a change to it goes unseen).
 * Applied where the truth is read (functions/adapters/scheduler.ts), so every place that holds a spec now or
 * later (store, drift reports, alerts, logs, history) gets the protected form.
 */
import { createHmac } from 'node:crypto';
import type { ScheduleSpec } from './types';

export const TARGET_INPUT_MODES = ['hash', 'full', 'omit'] as const;
export type TargetInputMode = (typeof TARGET_INPUT_MODES)[number];

export const INPUT_HASH_PREFIX = 'hmac-sha256:';

/** Shortest key accepted: RFC 2104 recommends at least the hash's output length (32 bytes for SHA-256). */
export const MIN_KEY_BYTES = 32;

export type InputPolicy = { mode: 'full' } | { mode: 'omit' } | { mode: 'hash'; key: Buffer };

export class InputPolicyError extends Error {
  override name = 'InputPolicyError';
}

export function inputPolicy(mode: TargetInputMode, key?: string | Buffer): InputPolicy {
  if (mode === 'full' || mode === 'omit') return { mode };
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (bytes === undefined || bytes.length < MIN_KEY_BYTES) {
    throw new InputPolicyError(`targetInput hash needs a key of at least ${MIN_KEY_BYTES} bytes (got ${bytes?.length ?? 0})`);
  }
  return { mode, key: bytes };
}

/** The keyed hash of one input. */
export function hashInput(input: string, key: Buffer): string {
  return `${INPUT_HASH_PREFIX}${createHmac('sha256', key).update(input, 'utf8').digest('base64url')}`;
}

export function isHashedInput(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(INPUT_HASH_PREFIX);
}

/** The spec with its target input as the policy says (a new object; the spec is not changed). */
export function protectInput(spec: ScheduleSpec, policy: InputPolicy): ScheduleSpec {
  const input = spec.target?.input;
  if (policy.mode === 'full' || input === undefined) return spec;
  const { input: _input, ...target } = spec.target;
  if (policy.mode === 'omit') return { ...spec, target };
  return { ...spec, target: { ...target, input: hashInput(input, policy.key) } };
}
