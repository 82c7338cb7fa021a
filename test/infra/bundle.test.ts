import { expect } from 'chai';
import * as pulumi from '@pulumi/pulumi';
import { bundleFunction } from '../../infra/bundle';

async function bundledText(entry: string): Promise<string> {
  const asset = (await bundleFunction(entry).assets)['index.js'];
  if (!(asset instanceof pulumi.asset.StringAsset)) throw new Error('index.js is not a StringAsset');
  return (await asset.text) as string;
}

/** Loads bundled CommonJS text the way Lambda would: its dependencies are all inside, only Node built-ins remain. */
function load(text: string, env: Record<string, string>): Record<string, unknown> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    const loaded: { exports: Record<string, unknown> } = { exports: {} };
    new Function('module', 'exports', 'require', text)(loaded, loaded.exports, require);
    return loaded.exports;
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

const HANDLERS: { entry: string; env: Record<string, string> }[] = [
  { entry: 'functions/handlers/monitor.ts', env: { TABLE_NAME: 'store', TARGET_INPUT: 'full' } },
  {
    entry: 'functions/handlers/demo-seed.ts',
    env: { DEMO_GROUP: 'g', DEMO_TARGET_ARN: 'arn:aws:sqs:us-east-1:123456789012:q', DEMO_ROLE_ARN: 'arn:aws:iam::123456789012:role/r' },
  },
];

describe('bundleFunction', () => {
  for (const { entry, env } of HANDLERS) {
    it(`bundles ${entry} into one CommonJS index.js exporting handler, with the AWS SDK inside`, async () => {
      const text = await bundledText(entry);

      // Only the SDK's optional signers stay unresolved; it requires them inside try/catch.
      const sdkRequires = [...text.matchAll(/require\(["'](@aws-sdk\/[^"']+)["']\)/g)].map((m) => m[1]);
      expect(sdkRequires.filter((name) => !/^@aws-sdk\/signature-v4(-crt|a)$/.test(name!))).to.deep.equal([]);
      expect(text).to.include('handler');
      expect(text).to.include('//# sourceMappingURL=data:application/json;base64,');
      // No local engine reaches a Lambda: in particular not the AGPL IAM evaluator (local/iam/).
      expect(text).not.to.match(/iam-simulate|@cloud-copilot|local\/iam\//);
      expect(load(text, env).handler).to.be.a('function');
    });
  }

  it('keeps class names through minification, so that errors are still matched by name', async () => {
    const text = await bundledText('functions/handlers/monitor.ts');

    expect(() => load(text, { TABLE_NAME: '' })).to.throw().with.property('name', 'ConfigurationError');
  });

  it('returns the cached archive when the same entry is bundled twice', () => {
    expect(bundleFunction('functions/handlers/demo-seed.ts')).to.equal(bundleFunction('functions/handlers/demo-seed.ts'));
  });

  it('fails with esbuild’s error when the entry does not exist', () => {
    expect(() => bundleFunction('functions/handlers/no-such-handler.ts')).to.throw(/no-such-handler/);
  });
});
