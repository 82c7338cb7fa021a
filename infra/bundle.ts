/**
 * Bundles a TypeScript Lambda handler into one `index.js` with esbuild, at deploy time.
 */
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { buildSync } from 'esbuild';

const PROJECT_ROOT = path.resolve(__dirname, '..');
const cache = new Map<string, pulumi.asset.AssetArchive>();

/**
 * `entry` is relative to the project root (e.g. `functions/handlers/monitor.ts`) and must export `handler`.
 * Bundled once per entry per process: several components, or several test programs, may share a handler.
 */
export function bundleFunction(entry: string): pulumi.asset.AssetArchive {
  const cached = cache.get(entry);
  if (cached) return cached;
  const result = buildSync({
    entryPoints: [path.resolve(PROJECT_ROOT, entry)],
    outfile: 'index.js',
    write: false,
    bundle: true,
    platform: 'node',
    // The nodejs22.x runtime. Pure JavaScript, so nothing here depends on arm64; a native dependency would.
    target: 'node22',
    format: 'cjs',
    minify: true,
    // Minified names would break code that reads `constructor.name`; errors are matched by name (STYLE.md §6).
    keepNames: true,
    // Inline so that the deployed file carries its own map (read with NODE_OPTIONS=--enable-source-maps).
    sourcemap: 'inline',
    // Prefer ES modules so that the AWS SDK tree-shakes.
    mainFields: ['module', 'main'],
    // @aws-sdk/* is bundled, not left `external` to use the runtime's copy: the deployed code then runs the
    // exact SDK version the tests ran against, not whichever v3 the runtime happens to ship
    // (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included).
    external: [],
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild produced no output for ${entry}`);
  const archive = new pulumi.asset.AssetArchive({ 'index.js': new pulumi.asset.StringAsset(output.text) });
  cache.set(entry, archive);
  return archive;
}
