import { expect } from 'chai';
import { loadProgram, oneOfType } from '../support/pulumi-mocks';

const TABLE = 'aws:dynamodb/table:Table';

describe('StateStore', () => {
  it('keys the table by groupName + scheduleName, on demand', async () => {
    const { inputs } = oneOfType((await loadProgram()).resources, TABLE);

    expect(inputs.billingMode).to.equal('PAY_PER_REQUEST');
    expect(inputs.hashKey).to.equal('groupName');
    expect(inputs.rangeKey).to.equal('scheduleName');
    expect(inputs.attributes).to.have.deep.members([
      { name: 'groupName', type: 'S' },
      { name: 'scheduleName', type: 'S' },
      { name: 'targetArn', type: 'S' },
    ]);
  });

  it('indexes schedules by target ARN in the byTarget index, projecting every attribute', async () => {
    const { inputs } = oneOfType((await loadProgram()).resources, TABLE);

    expect(inputs.globalSecondaryIndexes).to.deep.equal([
      { name: 'byTarget', keySchemas: [{ attributeName: 'targetArn', keyType: 'HASH' }], projectionType: 'ALL' },
    ]);
  });

  it('turns on point-in-time recovery, TTL on expiresAt and deletion protection by default', async () => {
    const { inputs } = oneOfType((await loadProgram()).resources, TABLE);

    expect(inputs.pointInTimeRecovery).to.deep.equal({ enabled: true });
    expect(inputs.ttl).to.deep.equal({ attributeName: 'expiresAt', enabled: true });
    expect(inputs.deletionProtectionEnabled).to.equal(true);
  });

  it('drops deletion protection when tableDeletionProtection is false', async () => {
    const { inputs } = oneOfType((await loadProgram({ tableDeletionProtection: 'false' })).resources, TABLE);

    expect(inputs.deletionProtectionEnabled).to.equal(false);
  });

  it('encrypts with the AWS owned key when no KMS key is configured', async () => {
    const { inputs } = oneOfType((await loadProgram()).resources, TABLE);

    // `enabled: false` selects the AWS owned key in this provider; the table is encrypted at rest either way.
    expect(inputs.serverSideEncryption).to.deep.equal({ enabled: false });
  });

  it('encrypts with the configured customer managed key when tableKmsKeyArn is set', async () => {
    const kmsKeyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { inputs } = oneOfType((await loadProgram({ tableKmsKeyArn: kmsKeyArn })).resources, TABLE);

    expect(inputs.serverSideEncryption).to.deep.equal({ enabled: true, kmsKeyArn });
  });
});

describe('a state store with a customer managed key, in the whole program', function () {
  this.timeout(60_000);
  const tableKmsKeyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  it('lets every role that reads or writes the table use the key, through DynamoDB only', async () => {
    // Prepare / Act
    const { resources } = await loadProgram({ tableKmsKeyArn });
    // Assess: each role policy granting a DynamoDB action on the table grants kms:Decrypt on the key via DynamoDB.
    const policies = resources.filter((r) => r.type === 'aws:iam/rolePolicy:RolePolicy').map((r) => ({ name: r.name, doc: JSON.parse(r.inputs.policy as string) as { Statement: Array<{ Action: string | string[]; Resource?: string | string[]; Condition?: unknown }> } }));
    const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
    const tableUsers = policies.filter((p) => p.doc.Statement.some((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:'))));
    expect(tableUsers.map((p) => p.name)).to.have.length(5);
    for (const { name, doc } of tableUsers) {
      const key = doc.Statement.find((s) => asList(s.Action).includes('kms:Decrypt'));
      expect(key, name).to.deep.include({ Resource: tableKmsKeyArn, Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } } });
    }
  });
});
