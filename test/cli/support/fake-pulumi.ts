import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A directory with an executable `pulumi` that records its arguments and prints `stdout` (or fails); shell builtins only, PATH holds nothing else. */
export function fakePulumi(stdout: string, exitCode = 0): { dir: string; calls: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-pulumi-'));
  const calls = join(dir, 'calls.txt');
  const script = `#!/bin/sh\necho "$@" >> '${calls}'\nif [ "$2" = "--show-name" ]; then echo dev; exit 0; fi\n${exitCode === 0 ? `printf '%s\\n' '${stdout}'` : `echo '${stdout}' >&2; exit ${exitCode}`}\n`;
  writeFileSync(join(dir, 'pulumi'), script, { mode: 0o755 });
  return { dir, calls };
}
