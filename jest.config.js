// Jest runs under the pinned Node 24 (node_modules/.bin/node) with --experimental-vm-modules,
// TypeScript compiled to CommonJS by @swc/jest (Nest 12 itself is ESM, loaded via require(esm)).
const { swcOptions, moduleNameMapper } = require('./scripts/swc-options.cjs');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions()] },
  moduleNameMapper,
  setupFilesAfterEnv: ['<rootDir>/test/support/jest.setup.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.cjs',
  testTimeout: 30000,
  maxWorkers: 2,
};
