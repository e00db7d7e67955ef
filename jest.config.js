/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // jest uses cores - 1 workers by default: one on these 2-core machines. Two ran the suites ~20% faster.
  maxWorkers: "100%",
  // Shared 2-core machines get loaded (load average 10+ seen): jest's 5 s default failed hooks that synthesize.
  // Slow hooks and tests also set their own limits; this is the floor for the rest.
  testTimeout: 60_000,
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // The Terraform suites (terraform init/validate/plan, ~1 min) run in `npm run test:terraform`, after `npm test`.
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/__tests__/terraform-"],
  // Transpile only (tsconfig has isolatedModules): `tsc --noEmit` type-checks once in `npm test`.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  moduleFileExtensions: ["ts", "js", "json"],
  setupFilesAfterEnv: ["<rootDir>/jest.setup.js"],
  globalSetup: "<rootDir>/jest.global-setup.js",
  globalTeardown: "<rootDir>/jest.global-teardown.js",
};
