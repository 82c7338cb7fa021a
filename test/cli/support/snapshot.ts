/**
 * Output snapshots: test/cli/__snapshots__/<name>.txt, committed. A missing snapshot is written on the first
 * run (and the test says so); UPDATE_SNAPSHOTS=1 rewrites them all after a deliberate output change.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';

const DIR = join(__dirname, '..', '__snapshots__');

export function matchSnapshot(name: string, actual: string): void {
  const file = join(DIR, `${name}.txt`);
  if (!existsSync(file) || process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(file, actual);
    if (process.env.CI) throw new Error(`snapshot ${name} was missing; written now, commit it`);
    return;
  }
  expect(actual, `snapshot ${file} (UPDATE_SNAPSHOTS=1 to rewrite)`).to.equal(readFileSync(file, 'utf8'));
}
