// The Jest preset of asphalt-ts: `module.exports = { preset: 'asphalt-ts' }` in jest.config.js.
// TypeScript is compiled with @swc/core (a devDependency of the project) with decorators and their
// metadata, as `asphalt run` compiles `.ts` component modules; inversify 8 ships ESM only, so it
// is compiled to CommonJS too, and reflect-metadata is loaded before each test file.
'use strict';
const { join } = require('node:path');

module.exports = {
  testEnvironment: 'node',
  setupFiles: [require.resolve('reflect-metadata')],
  transform: { '^.+\\.(c|m)?(t|j)sx?$': join(__dirname, 'dist', 'lib', 'runner', 'jest-transform.js') },
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs|cbor2|@cto\\.af)/)'],
  // Tests compiled into dist/ by tsc are not run twice.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/'],
};
