/**
 * `pulumi up` cannot run here (no Pulumi CLI, no AWS), but its first step can: the Pulumi Node.js runner
 * compiles index.ts with the project's ts-node and TypeScript. This runs that step in a plain Node process
 * (no tsx), type checking included, so a program that only tsx could load fails here and not at deploy time.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';

const run = promisify(execFile);

describe('the program as pulumi up loads it', function () {
  this.timeout(120_000);

  it('compiles with ts-node and registers every resource when all options are on', async () => {
    // Act
    const { stdout } = await run(process.execPath, [require.resolve('../support/load-like-pulumi-up.js'), JSON.stringify({ createTrail: 'true', demoSeed: 'true' })]);
    // Assess: the same count the tsx-loaded program registers with these options (test/infra/program.test.ts).
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).to.deep.equal({ resources: 86 });
  });
});
