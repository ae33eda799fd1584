// Import rules checked by `npm run depcheck` (part of `npm test`); docs/architecture.md
// explains the folders and why they are ordered this way.

/**
 * Folders (and top-level files) from the bottom up: a module may import its own folder and
 * anything listed before it, never anything listed after it. A total order means no two
 * folders can import each other, directly or through a third.
 */
const LAYERS = [
  'gen',
  'error-message.ts',
  'rng.ts',
  'logger.ts',
  'tool-version.ts',
  'redact-secrets.ts',
  'format-number.ts',
  'model',
  'config',
  'stats',
  'analysis',
  'report',
  'load',
  'triton',
  'metrics',
  'control',
  'matrix',
  'github-api',
  'baseline',
  'pipeline.ts',
  'github',
  'sinks',
  'compose',
  'cli',
  'main.ts',
  'cli.ts',
];

/** Folders that touch the network, the file system, processes or GitHub. */
const IO_FOLDERS = [
  'triton',
  'metrics',
  'control',
  'load',
  'matrix',
  'github-api',
  'baseline',
  'sinks',
  'compose',
  'github',
  'cli',
];

/** Node built-ins that do I/O or read the process; pure code receives their results instead. */
const IO_BUILTINS = [
  'fs',
  'fs/promises',
  'net',
  'tls',
  'http',
  'https',
  'http2',
  'dgram',
  'dns',
  'child_process',
  'cluster',
  'worker_threads',
  'os',
  'process',
  'readline',
  'timers',
  'timers/promises',
  'perf_hooks',
];

const escape = (name) => name.replace(/[.]/g, '\\.');
const pathOf = (layer) => (layer.endsWith('.ts') ? `^src/${escape(layer)}$` : `^src/${layer}/`);

const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer}`,
  comment: `src/${layer} may import only layers listed before it in LAYERS (.dependency-cruiser.mjs).`,
  severity: 'error',
  from: { path: pathOf(layer) },
  to: { path: LAYERS.slice(i + 1).map(pathOf) },
}));

/** Pure cores: config parsing, model, stats, analysis and report. The config readers are input edges. */
const PURE = [
  '^src/format-number\\.ts$',
  '^src/model/',
  '^src/stats/',
  '^src/analysis/',
  '^src/report/',
  '^src/config/',
];
const CONFIG_READERS = [
  '^src/config/read-action-inputs\\.ts$',
  '^src/config/read-cli-flags\\.ts$',
  '^src/config/load-config-file\\.ts$',
];

export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules form a tree of imports: a cycle makes load order and ownership unclear.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'pure-imports-no-io-folder',
      comment: 'Pure cores never import I/O folders (docs/architecture.md, "Pure cores and I/O edges").',
      severity: 'error',
      from: { path: PURE, pathNot: CONFIG_READERS },
      to: { path: [...IO_FOLDERS.map(pathOf), '^src/pipeline\\.ts$', '^src/main\\.ts$', '^src/cli\\.ts$'] },
    },
    {
      name: 'pure-imports-no-io-builtin',
      comment: 'Pure cores never import Node built-ins that do I/O.',
      severity: 'error',
      // config/values.ts only uses node:net's isIPv4/isIPv6, which are string checks.
      from: { path: PURE, pathNot: [...CONFIG_READERS, '^src/config/values\\.ts$'] },
      to: { dependencyTypes: ['core'], path: IO_BUILTINS.map((name) => `^(node:)?${escape(name)}$`) },
    },
    {
      name: 'pure-imports-no-io-package',
      comment: 'Pure cores never import GitHub, gRPC or Actions clients.',
      severity: 'error',
      from: { path: PURE, pathNot: CONFIG_READERS },
      to: {
        path: [
          '@actions/',
          '@octokit/',
          '@grpc/',
          'node_modules/@actions/',
          'node_modules/@octokit/',
          'node_modules/@grpc/',
        ],
      },
    },
    ...layerRules,
  ],
  options: {
    // Type-only imports count: a type cycle is still a cycle between files.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
