// Architecture rules for lib/, checked by `npm test` (scripts/test.sh runs `npm run arch`).
// The core is lib/ minus the runner, the workers, the bridge and the battery folders.
const batteries = ['health', 'http', 'sql', 'redis', 'mailer', 'serialization', 'templating', 'queue', 'scheduler'];
const outside = ['runner', 'workers', 'bridge', ...batteries];
const edges = ['workers', 'bridge', ...batteries];
// Type-only cycles found on f4805ac, in files of the core rewrite (context/, graph/, events/); drop
// an entry once its cycle is gone (`npm run arch` then proves it).
const knownTypeCycles = ['^lib/context/(context|service-task)\\.ts$', '^lib/graph/(component-graph|graph-export)\\.ts$', '^lib/events/(signal|signal-stream)\\.ts$'];
const any = (names) => `(${names.join('|')})`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycle anywhere in lib/ through imports that exist at run time.',
      from: { path: '^lib/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      // A cycle made only of `import type` is erased by the compiler, so it cannot change what
      // loads first; it still couples two files. Reported (and fatal) like the others, except the
      // ones listed in `knownTypeCycles` below, which are waiting for the core rewrite.
      name: 'no-type-only-cycles',
      severity: 'error',
      comment: 'No import cycle through type-only imports either.',
      from: { path: '^lib/', pathNot: knownTypeCycles },
      to: { circular: true },
    },
    {
      name: 'core-imports-no-battery',
      severity: 'error',
      comment: 'The core imports nothing from the runner, the workers, the bridge or any battery.',
      from: { path: '^lib/', pathNot: `^lib/${any(outside)}/` },
      to: { path: `^lib/${any(outside)}/` },
    },
    {
      name: 'battery-imports-public-entries-only',
      severity: 'error',
      comment:
        'workers/, bridge/ and every battery import, from outside their own folder, only the core entry ' +
        '(lib/index.ts) or another folder\'s index.ts.',
      from: { path: `^lib/${any(edges)}/` },
      to: { path: '^lib/', pathNot: ['^lib/$1/', '^lib/index\\.ts$', '^lib/[^/]+/index\\.ts$'] },
    },
    {
      name: 'runner-imports-no-battery-internals',
      severity: 'error',
      comment: 'The runner reaches the workers, the bridge and the batteries through their index.ts only.',
      from: { path: '^lib/runner/' },
      to: { path: `^lib/${any(edges)}/`, pathNot: `^lib/${any(edges)}/index\\.ts$` },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every relative import resolves to a file.',
      from: { path: '^lib/' },
      to: { couldNotResolve: true, pathNot: '^node:' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
