/** Jest runs the TypeScript sources through swc (decorator metadata included); `tsc --noEmit`
 * in `npm test` does the type-checking. inversify 8 ships ESM only, so it is transformed too. */
// The compiler options the CLI uses for `.ts` component modules, so specs compile code the same way.
const swc = require('./lib/runner/cli/swc-typescript.json');
const swcJs = { jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } };

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/spec/global-setup.js',
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    '^.+\\.m?js$': ['@swc/jest', swcJs],
  },
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs|cbor2|@cto\\.af)/)'],
  // Samples import the package by name, as users do; in specs that is the TypeScript source.
  moduleNameMapper: { '^asphalt-ts$': '<rootDir>/lib/index.ts', '^asphalt-ts/testing/([a-z-]+)$': '<rootDir>/lib/$1/testing.ts', '^asphalt-ts/([a-z-]+)$': '<rootDir>/lib/$1/index.ts' },
  testTimeout: 20000,
};
