/**
 * `sandbox`: the local story of local/sandbox.ts (what `npm start` runs), on the local engines, no AWS account.
 * runSandbox prints with console.log; while it runs, that goes to this command's stdout (a test's buffer).
 */
import { format } from 'node:util';
import type { Context } from '../context';

export async function sandbox(ctx: Context): Promise<number> {
  // Imported here: it loads the local engines, which no other command needs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runSandbox } = require('../../local/sandbox') as typeof import('../../local/sandbox');
  if (ctx.stdout === process.stdout) return runSandbox();
  const original = console.log;
  console.log = (...args: unknown[]) => void ctx.stdout.write(`${format(...args)}\n`);
  try {
    return await runSandbox();
  } finally {
    console.log = original;
  }
}
