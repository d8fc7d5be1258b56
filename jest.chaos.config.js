// The chaos suite (issue 21, test/chaos/*.chaos-spec.ts): real nodes in network namespaces under
// kernel faults. Run by `npm run test:chaos` (short schedule) or `npm run test:chaos -- --long`.
// The regular config does not match *.chaos-spec.ts; the checker's own unit spec runs there.
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/chaos'],
  testMatch: ['**/*.chaos-spec.ts'],
  testTimeout: 600000,
  maxWorkers: 1,
};
