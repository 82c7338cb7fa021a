/**
 * The Scheduler API speaks PascalCase (GetSchedule's `Target.RetryPolicy.MaximumRetryAttempts`); the store
 * and CloudTrail speak camelCase. Converts keys recursively, leaving the contents of user-keyed maps
 * (ECS `Tags`) as they are: their keys are the user's, not the API's.
 */
const USER_KEYED_MAPS = new Set(['Tags', 'tags']);

export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined) continue;
    const camel = key.charAt(0).toLowerCase() + key.slice(1);
    out[camel] = USER_KEYED_MAPS.has(key) ? inner : camelCaseKeys(inner);
  }
  return out;
}
