import { javascript, JsonFile, typescript } from 'projen';

// The versions below are pinned exactly: the manifests this package emits are part of its contract,
// and a drifting dependency must never change them silently.
const CDK8S = '2.70.106';
const CONSTRUCTS = '10.8.1';
const CDK8S_PLUS = '2.5.6';
const PULUMI = '3.248.0'; // the last release that supports Node 20 (3.249.0 requires Node >= 22)
const PULUMI_KUBERNETES = '4.34.2';
const PULUMI_AWS = '7.48.0';

const project = new typescript.TypeScriptProject({
  name: 'tokenscale',
  description:
    'Typed infrastructure-as-code constructs for running LLM inference on Kubernetes at the lowest GPU cost that keeps latency, data-residency and audit promises.',
  license: 'Apache-2.0',
  copyrightOwner: 'The tokenscale authors',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  projenVersion: '0.103.25',
  typescriptVersion: '5.9.3',
  minNodeVersion: '20.0.0',
  github: false,
  release: false,
  depsUpgrade: false,
  buildWorkflow: false,
  pullRequestTemplate: false,
  sampleCode: false,
  prettier: false,
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'projenrc', 'bench'], tsconfigPath: './test/tsconfig.json' },
  docgen: false,
  entrypoint: 'lib/core/index.js',
  bin: { tokenscale: 'lib/cli/main.js' },
  entrypointTypes: 'lib/core/index.d.ts',
  tsconfig: {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      module: 'CommonJS',
      moduleResolution: javascript.TypeScriptModuleResolution.NODE,
      strict: true,
      noUncheckedIndexedAccess: false,
      esModuleInterop: true,
      skipLibCheck: true,
      resolveJsonModule: true,
    },
  },
  tsconfigDev: {
    compilerOptions: {
      baseUrl: '..',
      paths: {
        'tokenscale': ['src/core/index.ts'],
        'tokenscale/cdk8s': ['src/cdk8s/index.ts'],
        'tokenscale/pulumi': ['src/pulumi/index.ts'],
      },
    },
    include: ['../examples/**/*.ts', '../src/**/*.ts', '../bench/**/*.ts', '**/*.ts'],
  },
  jestOptions: {
    // Jest 30's resolver needs native unrs-resolver bindings (see the note on eslint-import-resolver-typescript).
    jestVersion: '29.7.0',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    coverageText: false,
    passWithNoTests: false,
    junitReporting: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      moduleNameMapper: {
        '^tokenscale$': '<rootDir>/src/core/index.ts',
        '^tokenscale/(cdk8s|pulumi)$': '<rootDir>/src/$1/index.ts',
      },
    },
  },
  deps: [
    // YAML serialization of synthesized manifests and parsing of upstream CRD files.
    'yaml@2.9.1',
    // Type-only Kubernetes object definitions: builders get excess-property checks at compile time.
    'kubernetes-types@1.30.0',
    // Parses the cron expressions of scheduled capacity windows, so a bad one fails before synth.
    'cron-parser@5.10.5',
    // A real CEL engine: the compliance rules are evaluated at synth with the same text admission runs.
    '@bufbuild/cel@0.6.1',
    // Seeded pseudo-random numbers for synthetic traces (deterministic simulation results).
    'pure-rand@6.1.0',
    // The fleet file is checked against its published JSON Schema (unknown keys, wrong types) at run time.
    'ajv@8.20.0',
    // Argument parsing, help and usage errors of the `tokenscale` command (v14: the last line for Node 20).
    'commander@14.0.3',
    // A progress bar for long simulations when attached to a terminal.
    'cli-progress@3.12.0',
    // The simulator's chart: a Vega-Lite spec rendered to SVG headless (v5: CommonJS, loads under jest).
    'vega@5.33.1',
    'vega-lite@5.23.0',
  ],
  peerDeps: [`cdk8s@^${CDK8S}`, `constructs@^${CONSTRUCTS}`, `cdk8s-plus-28@^${CDK8S_PLUS}`],
  devDeps: [
    `cdk8s@${CDK8S}`,
    `constructs@${CONSTRUCTS}`,
    `cdk8s-plus-28@${CDK8S_PLUS}`,
    `@pulumi/pulumi@${PULUMI}`,
    `@pulumi/kubernetes@${PULUMI_KUBERNETES}`,
    `@pulumi/aws@${PULUMI_AWS}`,
    '@types/cli-progress@3.11.6',
    // Property-based tests: generated valid and invalid specs.
    'fast-check@4.10.2',
    // The fleet file's JSON Schema is generated from the TypeScript types (one source of truth).
    // 2.4.0 is the last release that supports Node 20 (2.5.0 on require Node >= 22).
    'ts-json-schema-generator@2.4.0',
    // The official PromQL grammar: every emitted query is parsed in tests.
    '@prometheus-io/lezer-promql@0.315.0',
    '@lezer/lr@1.4.12',
    '@lezer/highlight@1.2.3',
    // Schema validation of built-in kinds when the exact upstream schema files are absent.
    'kubernetes-models@4.5.1',
    // Resolves `tokenscale/*` imports in examples when they run under ts-node.
    'tsconfig-paths@4.2.0',
    'ts-node@10.9.2',
    // API.md is generated from the doc comments (jsii-docgen needs jsii, which Pulumi's types are not).
    'typedoc@0.28.20',
    'typedoc-plugin-markdown@4.14.1',
  ],
});

// eslint-import-resolver-typescript v4 pulls native unrs-resolver bindings whose per-platform optional
// packages npm leaves out of the lock file, which then fails `npm ci`; v3.6 resolves with enhanced-resolve.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.addDevDeps('eslint-import-resolver-typescript@3.6.3');
project.deps.removeDependency('@types/jest');
project.addDevDeps('@types/jest@29.5.14');
project.deps.removeDependency('ts-jest');
project.addDevDeps('ts-jest@29.4.15');

project.package.addPeerDeps(`@pulumi/pulumi@^${PULUMI}`, `@pulumi/kubernetes@^${PULUMI_KUBERNETES}`, `@pulumi/aws@^${PULUMI_AWS}`);
// Install scripts of dependencies (npm's `allowScripts`): none is needed. @pulumi/kubernetes's downloads its
// Pulumi plugin, which the Pulumi CLI installs itself at `pulumi up` (tests use mocks); protobufjs's only checks
// the version scheme its dependents use.
project.package.addField('allowScripts', { '@pulumi/kubernetes': false, 'protobufjs': false });
project.package.addField('peerDependenciesMeta', {
  '@pulumi/pulumi': { optional: true },
  '@pulumi/kubernetes': { optional: true },
  '@pulumi/aws': { optional: true },
  'cdk8s': { optional: true },
  'constructs': { optional: true },
  'cdk8s-plus-28': { optional: true },
});
project.package.addField('exports', {
  '.': { types: './lib/core/index.d.ts', default: './lib/core/index.js' },
  './cdk8s': { types: './lib/cdk8s/index.d.ts', default: './lib/cdk8s/index.js' },
  './pulumi': { types: './lib/pulumi/index.d.ts', default: './lib/pulumi/index.js' },
  './package.json': './package.json',
});
project.package.addField('typesVersions', {
  '*': {
    cdk8s: ['lib/cdk8s/index.d.ts'],
    pulumi: ['lib/pulumi/index.d.ts'],
  },
});

// src/core stays framework-free: the cdk8s and Pulumi front ends are thin shells over it.
project.eslint?.addOverride({
  files: ['src/core/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: ['cdk8s', 'cdk8s-*', 'cdk8s/*', 'constructs'], message: 'src/core must not import cdk8s.' },
          { group: ['@pulumi/*'], message: 'src/core must not import Pulumi.' },
          { group: ['**/cdk8s/**', '**/pulumi/**', '**/cli/**'], message: 'src/core must not import a front end.' },
        ],
      },
    ],
  },
});

// Examples are type-checked and linted with the test settings (they import `tokenscale/*` by path alias).
new JsonFile(project, 'examples/tsconfig.json', {
  obj: { extends: '../test/tsconfig.json', include: ['**/*.ts'] },
});

const tsNode = 'TS_NODE_PROJECT=test/tsconfig.json TS_NODE_TRANSPILE_ONLY=true ts-node -r tsconfig-paths/register';
project.addTask('synth', {
  description: 'Synthesize the default example into dist/ and print its summary',
  exec: `${tsNode} examples/default/main.ts`,
  receiveArgs: true,
});

// Examples are type-checked as part of the tests (ts-jest checks only the files it runs).
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

const docgen = 'TS_NODE_PROJECT=build-tools/tsconfig.json TS_NODE_TRANSPILE_ONLY=true ts-node build-tools/api-docs.ts';
const fleetSchema = 'TS_NODE_PROJECT=build-tools/tsconfig.json TS_NODE_TRANSPILE_ONLY=true ts-node build-tools/fleet-schema.ts';
const docgenTask = project.addTask('docgen', { description: 'Generate API.md from the doc comments and schema/fleet.schema.json from the types', exec: docgen });
docgenTask.exec(fleetSchema);
// typedoc is an ES module: the docs check runs as its own step (Node >= 20.19 loads it with require).
project.testTask.exec('tsc --noEmit -p build-tools/tsconfig.json');
project.testTask.exec(`${docgen} --check`);
project.testTask.exec(`${fleetSchema} --check`);

project.addTask('test:props', {
  description: 'The property-based tests with 1,000 generated specs per property',
  env: { TOKENSCALE_PROPERTY_RUNS: '1000' },
  exec: 'jest --ci test/properties',
});

// The README's simulation of the default example on the shared trace (regenerate after engine changes;
// a test fails when docs/simulation/results.json no longer matches a fresh run).
project.addTask('docs:simulation', {
  description: 'Simulate and tune the default example on ../shared/traces into docs/simulation (chart, report, results, tuning)',
  exec: `${tsNode} src/cli/main.ts simulate -f examples/default/fleet.yaml --trace ../shared/traces/AzureLLMInferenceTrace_conv.csv --tune --out docs/simulation`,
});

project.addTask('bench', {
  description: 'Benchmarks: policy quality, synth and simulator speed, as ratios measured in the same run',
  // --expose-gc: the memory measure collects garbage before it reads the heap.
  env: { NODE_OPTIONS: '--expose-gc' },
  exec: `${tsNode} bench/run.ts`,
});

project.gitignore.exclude('/dist/', '/.dist.*', '/bench-results/', '/.docs-check/', '/.init-check/');
// The published package holds the compiled library, its schema, docs and examples; not the CI script, the
// benchmarks or the generators of API.md and the schema.
project.addPackageIgnore('/.ci/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('/build-tools/');
project.synth();
