/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // jest uses cores - 1 workers by default: one on these 2-core machines. Two ran the suites ~20% faster.
  maxWorkers: "100%",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Transpile only (tsconfig has isolatedModules): `tsc --noEmit` type-checks once in `npm test`.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  moduleFileExtensions: ["ts", "js", "json"],
  setupFilesAfterEnv: ["<rootDir>/jest.setup.js"],
  globalSetup: "<rootDir>/jest.global-setup.js",
  globalTeardown: "<rootDir>/jest.global-teardown.js",
};
