/**
 * Stack resolution: flags, else `pulumi stack output --json` from a `pulumi` on PATH (here a fake one, a shell
 * script printing the outputs index.ts exports), else one error naming the flag.
 */
import { expect } from 'chai';
import { resolveStack, ruleFromArn, settingsFromOutputs } from '../../cli/stack';
import { fakePulumi } from './support/fake-pulumi';

const OUTPUTS = {
  tableName: 'scheduler-observer-state-5e4d3c2',
  tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/scheduler-observer-state-5e4d3c2',
  dlqUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/scheduler-observer-dlq-1a2b3c4',
  ruleArn: 'arn:aws:events:eu-west-1:123456789012:rule/scheduler-observer-rule-9a8b7c6',
  stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:scheduler-observer-reconciler-state-machine-7f3e2a1',
  reportBucketName: 'scheduler-observer-reconciler-reports-0f9e8d7',
};

describe('stack resolution', () => {
  it('maps the stack outputs of index.ts, the rule name from its ARN and the timer group from the stack name', () => {
    const settings = settingsFromOutputs(OUTPUTS, 'dev');
    expect(settings).to.deep.equal({
      values: {
        table: OUTPUTS.tableName,
        bucket: OUTPUTS.reportBucketName,
        stateMachineArn: OUTPUTS.stateMachineArn,
        dlqUrl: OUTPUTS.dlqUrl,
        ruleName: 'scheduler-observer-rule-9a8b7c6',
        timerGroup: 'scheduler-observer-reconciler-timer-dev',
      },
      region: 'eu-west-1',
    });
  });

  it('reads the bus of a rule on a custom bus from its ARN', () => {
    expect(ruleFromArn('arn:aws:events:us-east-1:123456789012:rule/audit-bus/my-rule')).to.deep.equal({ name: 'my-rule', bus: 'audit-bus' });
  });

  it('does not run pulumi when the flags give everything the command needs', async () => {
    const { dir } = fakePulumi('{}', 1);
    const settings = await resolveStack({ table: 't' }, { env: { PATH: dir }, needs: ['table'], pulumi: () => Promise.reject(new Error('must not run')) });
    expect(settings.require('table')).to.equal('t');
    expect(settings.source).to.equal('flags');
  });

  it('takes missing values and the region from `pulumi stack output --json` when pulumi is on PATH, flags winning', async () => {
    const { dir, calls } = fakePulumi(JSON.stringify(OUTPUTS));
    const settings = await resolveStack({ bucket: 'my-own-bucket' }, { env: { PATH: dir }, needs: ['table', 'bucket', 'timerGroup'] });
    expect(settings.require('table')).to.equal(OUTPUTS.tableName);
    expect(settings.require('bucket')).to.equal('my-own-bucket');
    expect(settings.require('timerGroup')).to.equal('scheduler-observer-reconciler-timer-dev');
    expect(settings.region).to.equal('eu-west-1');
    expect(settings.source).to.equal('pulumi stack dev');
    expect((await import('node:fs')).readFileSync(calls, 'utf8')).to.equal('stack output --json\nstack --show-name\n');
  });

  it('passes --stack through to pulumi', async () => {
    const { dir, calls } = fakePulumi(JSON.stringify(OUTPUTS));
    await resolveStack({ stack: 'prod' }, { env: { PATH: dir }, needs: ['table'] });
    expect((await import('node:fs')).readFileSync(calls, 'utf8')).to.equal('stack output --json --stack prod\n');
  });

  it("names the flag and pulumi's own error when pulumi fails", async () => {
    const { dir } = fakePulumi('error: no stack selected', 255);
    const settings = await resolveStack({}, { env: { PATH: dir }, needs: ['table'] });
    expect(() => settings.require('table')).to.throw("no state store table: pass --table NAME ('pulumi stack output' failed: error: no stack selected)");
  });

  it('names the flag and the output when the stack does not export it', async () => {
    const { dir } = fakePulumi(JSON.stringify({ tableName: 't' }));
    const settings = await resolveStack({}, { env: { PATH: dir }, needs: ['table', 'dlqUrl'] });
    expect(() => settings.require('dlqUrl')).to.throw('no dead-letter queue: pass --dlq-url URL (the Pulumi stack has no output dlqUrl)');
  });

  it('names the flag when pulumi is not on PATH', async () => {
    const settings = await resolveStack({}, { env: { PATH: '' }, needs: ['stateMachineArn'] });
    expect(() => settings.require('stateMachineArn')).to.throw('no reconciler state machine: pass --state-machine-arn ARN (the pulumi CLI is not on PATH to read the stack outputs)');
  });
});
