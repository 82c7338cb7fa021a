/**
 * Environment variables are read once, at cold start, and checked: a missing or malformed one fails the
 * init phase with its name in the error, instead of failing every invocation later.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(`environment variable ${name} is required but not set`);
  }
  return value;
}

export function intEnv(
  name: string,
  bounds: { min: number; max: number; fallback?: number },
  env: NodeJS.ProcessEnv = process.env,
): number {
  const raw = env[name];
  if ((raw === undefined || raw === '') && bounds.fallback !== undefined) return bounds.fallback;
  const value = Number(requireEnv(name, env));
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw new ConfigurationError(`environment variable ${name} must be an integer from ${bounds.min} to ${bounds.max}, got "${raw}"`);
  }
  return value;
}
