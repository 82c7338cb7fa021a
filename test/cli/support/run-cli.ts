/**
 * Runs the CLI in-process (cli/index.ts `run`) and captures what it printed. PATH is empty unless a test gives
 * one, so no real `pulumi` on the machine is ever consulted.
 */
import { run, type RunOptions } from '../../../cli/index';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Capture {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export async function runCli(argv: string[], options: Omit<RunOptions, 'stdout' | 'stderr'> = {}): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await run(argv, { env: { PATH: '' }, sleep: async () => undefined, ...options, stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
