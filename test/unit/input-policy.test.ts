/**
 * The target-input rule (config `targetInput`): the pure protection of a spec, and the Lambdas' reading of it
 * from their environment, with the key from Secrets Manager (aws-sdk-client-mock answers GetSecretValue as the
 * API reference documents it: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { hashInput, inputPolicy, InputPolicyError, isHashedInput, protectInput } from '../../functions/core/target-input';
import type { ScheduleSpec } from '../../functions/core/types';
import { inputPolicyFromEnv } from '../../functions/handlers/input-policy';
import { errorOf } from '../support/error-of';

const KEY = 'k'.repeat(32);
const OTHER_KEY = 'o'.repeat(32);
const spec = (input?: string): ScheduleSpec => ({
  groupName: 'g', name: 's', scheduleExpression: 'rate(1 hour)', state: 'ENABLED', flexibleTimeWindow: { mode: 'OFF' },
  target: { arn: 'arn:aws:sqs:us-east-1:123456789012:q', roleArn: 'arn:aws:iam::123456789012:role/r', ...(input === undefined ? {} : { input }) },
});

describe('protectInput', () => {
  const cases = [
    { reason: 'full keeps the input', policy: inputPolicy('full'), input: '{"token":"t0p"}', expected: '{"token":"t0p"}' },
    { reason: 'omit drops the input', policy: inputPolicy('omit'), input: '{"token":"t0p"}', expected: undefined },
    { reason: 'hash keeps only a keyed hash', policy: inputPolicy('hash', KEY), input: '{"token":"t0p"}', expected: hashInput('{"token":"t0p"}', Buffer.from(KEY)) },
    { reason: 'a schedule without input stays without', policy: inputPolicy('hash', KEY), input: undefined, expected: undefined },
  ];
  for (const c of cases) {
    it(`gives ${JSON.stringify(c.expected)} when ${c.reason}`, () => {
      const original = spec(c.input);
      const protectedSpec = protectInput(original, c.policy);
      expect(protectedSpec.target.input).to.equal(c.expected);
      expect(Object.hasOwn(protectedSpec.target, 'input')).to.equal(c.expected !== undefined);
      expect(original.target.input, 'the spec read is not changed').to.equal(c.input);
    });
  }

  it('hashes equal inputs equally, and different inputs or keys differently, never showing the input', () => {
    const key = Buffer.from(KEY);
    expect(hashInput('a', key)).to.equal(hashInput('a', key));
    expect(hashInput('a', key)).to.not.equal(hashInput('b', key));
    expect(hashInput('a', key)).to.not.equal(hashInput('a', Buffer.from(OTHER_KEY)));
    expect(hashInput('{"token":"t0p"}', key)).to.match(/^hmac-sha256:[A-Za-z0-9_-]{43}$/).and.not.include('t0p');
    expect(isHashedInput(hashInput('a', key))).to.equal(true);
    expect(isHashedInput('{"a":1}')).to.equal(false);
  });

  it('refuses a key shorter than 32 bytes, naming the rule', () => {
    expect(() => inputPolicy('hash', 'short')).to.throw(InputPolicyError, 'at least 32 bytes');
  });
});

describe('inputPolicyFromEnv', () => {
  const secrets = mockClient(SecretsManagerClient);
  afterEach(() => secrets.reset());
  // A class mock patches every SecretsManagerClient in this process, and mocha's parallel workers run other files after this one.
  after(() => secrets.restore());
  const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:scheduler-observer-input-key-AbCdEf';

  it('reads the key from the secret once and hashes with it', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: KEY });
    const policy = inputPolicyFromEnv({ TARGET_INPUT: 'hash', TARGET_INPUT_KEY_SECRET_ARN: SECRET_ARN, AWS_REGION: 'us-east-1' });
    expect(policy).to.be.a('function');
    const resolved = await (policy as () => Promise<ReturnType<typeof inputPolicy>>)();
    await (policy as () => Promise<unknown>)();
    expect(protectInput(spec('secret'), resolved).target.input).to.equal(hashInput('secret', Buffer.from(KEY)));
    expect(secrets.commandCalls(GetSecretValueCommand)).to.have.length(1);
  });

  it('fails by name when the secret holds no usable key', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'short' });
    const policy = inputPolicyFromEnv({ TARGET_INPUT: 'hash', TARGET_INPUT_KEY_SECRET_ARN: `${SECRET_ARN}-2`, AWS_REGION: 'us-east-1' }) as () => Promise<unknown>;
    expect((await errorOf(policy())).name).to.equal('InputPolicyError');
  });

  it('needs no secret for full or omit', () => {
    expect(inputPolicyFromEnv({ TARGET_INPUT: 'full' })).to.deep.equal({ mode: 'full' });
    expect(inputPolicyFromEnv({ TARGET_INPUT: 'omit' })).to.deep.equal({ mode: 'omit' });
  });
});
