// Loads index.ts the way `pulumi up` does for a TypeScript program (no tsx): the project's ts-node,
// registered with the compiler options @pulumi/pulumi's runner passes for TypeScript ≥ 4.7
// (node_modules/@pulumi/pulumi/cmd/run/run.js), type checking on. The Pulumi engine is replaced by the
// shared mocks. Prints the number of resources the program registered, as JSON, on success.
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..');
require('ts-node').register({
  compiler: 'typescript',
  project: path.join(root, 'tsconfig.json'),
  compilerOptions: { target: 'ES2020', module: 'nodenext', moduleResolution: 'nodenext', sourceMap: 'true' },
});
const { loadProgram } = require(path.join(root, 'test', 'support', 'pulumi-mocks.ts'));
loadProgram(JSON.parse(process.argv[2] || '{}')).then(
  (program) => console.log(JSON.stringify({ resources: program.resources.length })),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
