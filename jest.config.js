/** Jest runs the TypeScript sources through swc (decorator metadata included); `tsc --noEmit`
 * in `npm test` does the type-checking. inversify 8 ships ESM only, so it is transformed too. */
const swc = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
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
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs)/)'],
  // Samples import the package by name, as users do; in specs that is the TypeScript source.
  moduleNameMapper: { '^asphalt-ts$': '<rootDir>/lib/index.ts', '^asphalt-ts/testing$': '<rootDir>/lib/testing/index.ts' },
  testTimeout: 20000,
};
