// Tests run on the TypeScript sources: tsx compiles them on load, and the
// `tapedeck-source` condition makes `import ... from 'tapedeck'` resolve to ./index.ts.
export default {
  files: ['test/**/*.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx', '--conditions=tapedeck-source'],
  timeout: '2m',
  workerThreads: false,
};
