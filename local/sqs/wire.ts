/**
 * Reading members of an AWS JSON 1.0 request body. A missing required member answers MissingParameter ("The
 * request must contain the parameter X.", SQS's wording); a member of the wrong JSON type answers
 * InvalidParameterValue. The real service answers a type mismatch with coral's SerializationException, which the
 * SDK never produces (it serialises from the schema) and SQS does not document: the model keeps to documented errors.
 */
import { invalidParameter, missingParameter } from './errors';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A required string member; `path` names it in errors (`Entries.1.Id`). Empty strings count as missing. */
export function requiredString(value: unknown, path: string): string {
  if (value === undefined || value === null || value === '') throw missingParameter(path);
  if (typeof value !== 'string') throw invalidParameter(path, value, 'must be a string.');
  return value;
}

export function optionalString(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(path, value, 'must be a string.');
  return value;
}

/**
 * An integer member within [min, max], in SQS's words for ReceiveMessage's limits: "Value 21 for parameter
 * WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided." (MaxNumberOfMessages has its own
 * wording, passed as `reason`: "Must be between 1 and 10, if provided.")
 */
export function optionalInteger(value: unknown, path: string, min: number, max: number, reason = `Must be >= ${min} and <= ${max}, if provided.`): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalidParameter(path, value, reason);
  return value;
}

export function requiredInteger(value: unknown, path: string, min: number, max: number): number {
  if (value === undefined || value === null) throw missingParameter(path);
  return optionalInteger(value, path, min, max)!;
}

/** A list of strings (AttributeNames, MessageAttributeNames), empty when absent. */
export function stringList(value: unknown, path: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw invalidParameter(path, value, 'must be a list of strings.');
  return value as string[];
}
