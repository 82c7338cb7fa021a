/**
 * The program as a user meets it: the launcher in bin/, --help, usage errors, and the sandbox command.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { runCli } from './support/run-cli';

const ROOT = join(__dirname, '..', '..');

describe('scheduler-observer program', () => {
  it('lists every command when the launcher in bin/ runs with --help', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'bin', 'scheduler-observer.js'), '--help'], { cwd: ROOT });
    for (const command of ['report', 'query [options]', 'reconcile [options]', 'audit [options]', 'sandbox']) expect(stdout).to.include(`\n  ${command}`);
  });

  it('lists list and show under report --help', async () => {
    const result = await runCli(['report', '--help']);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.include('list [options]').and.include('show [options] [run-id]');
  });

  it('exits 1 with commander\'s one-line message when the command is unknown', async () => {
    const result = await runCli(['reconcil']);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/^error: unknown command 'reconcil'\n\(Did you mean reconcile\?\)/);
  });

  it('exits 1 naming the kinds when --kind is not a drift kind', async () => {
    const result = await runCli(['report', 'show', '--kind', 'DRIFTED', '--bucket', 'b']);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include('unknown drift kind "DRIFTED": one of IN_SYNC, MISSING_IN_STORE, MODIFIED, DELETED_LIVE, NOT_CHECKED');
  });

  it('runs the local sandbox story to zero drift and exits 0 (what npm start runs)', async function () {
    this.timeout(60_000);
    const result = await runCli(['sandbox']);
    expect(result.code, result.stdout.slice(-2000)).to.equal(0);
    expect(result.stdout).to.include('Zero drift after repair');
  });
});
