/**
 * The reconciler's ASL lives in statemachines/*.asl.json with `${Placeholders}` (the AWS SAM
 * DefinitionSubstitutions style, https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-statemachine.html).
 * One helper fills them, and refuses to produce a definition with a placeholder left or a value unused:
 * either would be a deploy-time bug that Step Functions reports only when an execution reaches the state.
 * Pure: no Pulumi import (the tests and the local engine substitute the same file).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export class UnresolvedPlaceholderError extends Error {
  override name = 'UnresolvedPlaceholderError';
}

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;

export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();
}

/** Replaces every `${Name}` with `values[Name]` (JSON-string-escaped); throws on a leftover or an unused value. */
export function substituteDefinition(template: string, values: Record<string, string>): string {
  const wanted = placeholdersOf(template);
  const missing = wanted.filter((name) => !(name in values));
  if (missing.length > 0) {
    throw new UnresolvedPlaceholderError(`state machine definition has placeholders with no value: ${missing.map((n) => `\${${n}}`).join(', ')}`);
  }
  const unused = Object.keys(values).filter((name) => !wanted.includes(name));
  if (unused.length > 0) {
    throw new UnresolvedPlaceholderError(`substitutions not used by the definition (a renamed placeholder?): ${unused.join(', ')}`);
  }
  // Values go inside JSON strings: escape them as JSON does, without the surrounding quotes.
  const result = template.replace(PLACEHOLDER, (_, name: string) => JSON.stringify(values[name]).slice(1, -1));
  JSON.parse(result);
  return result;
}

export const STATEMACHINES_DIR = path.resolve(__dirname, '..', 'statemachines');

export function readDefinitionTemplate(file: string): string {
  return readFileSync(path.join(STATEMACHINES_DIR, file), 'utf8');
}
