// The layer rule `npm test` enforces: a folder imports only from its own layer's folders or
// from layers below it. Lowest first; folders on one line are siblings and may not import
// each other unless listed in `siblings`.
const layers = [
  ['model'],
  ['calendar', 'data-plane'],
  ['actors'],
  ['machines'],
  ['session'],
  ['broker'],
  ['metrics'],
  ['run'],
  ['storage', 'feeds'],
  ['sweep'],
  ['control'],
  ['inspector'],
  ['cli'],
];

const folder = (name) => `^${name}/`;
const above = (index) => layers.slice(index + 1).flat();

const upward = layers.flatMap((group, index) =>
  above(index).length === 0
    ? []
    : group.map((name) => ({
        name: `${name}-imports-upward`,
        comment: `${name}/ sits below ${above(index).join(', ')}: it may not import them (README, "How it is built").`,
        severity: 'error',
        from: { path: folder(name) },
        to: { path: `^(${above(index).join('|')})/` },
      })),
);

const siblings = layers
  .filter((group) => group.length > 1)
  .flatMap((group) =>
    group.map((name) => ({
      name: `${name}-imports-sibling`,
      comment: `${name}/ and ${group.filter((other) => other !== name).join(', ')} are one layer: neither imports the other.`,
      severity: 'error',
      from: { path: folder(name) },
      to: { path: `^(${group.filter((other) => other !== name).join('|')})/` },
    })),
  );

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    ...siblings,
    {
      name: 'library-imports-tests-or-bench',
      comment: 'The library never imports its tests or benchmarks.',
      severity: 'error',
      from: { pathNot: '^(test|bench)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: merge them or move the shared part down.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
