/**
 * Two sets of suites, chosen by file name so that a new suite lands in the right one by its name alone:
 *   fast    `npm test`: everything else; kept within its 30 s budget on a quiet machine
 *   system  `npm run test:system`: suites that spawn the app or the cdktf CLI many times, run terraform, or
 *           inject faults, signals, full disks and parallel runs. CI runs both; `npx jest FILE` runs any one.
 */
const SYSTEM_SUITES = [
  // Anything named *.system.test.ts or kept under __tests__/system/.
  "\\.system\\.test\\.ts$",
  "/__tests__/system/.*\\.test\\.ts$",
  // The real cdktf CLI, end to end.
  "/__tests__/synth-cli\\.test\\.ts$",
  // Terraform itself (init, validate, plan against the synthesized stacks).
  "/__tests__/terraform-[^/]*\\.test\\.ts$",
  // The synth's publish under crashes, full disks, signals and parallel synths.
  "/__tests__/publish-[^/]*\\.test\\.ts$",
  // The golden stacks: the app run on every example config, compared with the checked-in JSON.
  "/__tests__/golden-[^/]*\\.test\\.ts$",
  // The access report against mutated policies, one synth per mutation.
  "/__tests__/access-report-mutations[^/]*\\.test\\.ts$",
];

/** What both sets share. */
const shared = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  // Transpile only, with sucrase as the app's loader does (loader/): `tsc --noEmit` type-checks once in `npm test`.
  // ts-jest's per-file TypeScript transpile cost ~13% of the fast suites' CPU time with a cold cache.
  // import() becomes require(), as under the app's loader; jest's CommonJS runtime cannot run a real import().
  transform: { "^.+\\.ts$": ["@sucrase/jest-plugin", { preserveDynamicImport: false }] },
  moduleFileExtensions: ["ts", "js", "json"],
  // cdktf loads archiver (zip support for assets) eagerly, in every suite: load it on first use instead.
  moduleNameMapper: { "^archiver$": "<rootDir>/loader/archiver-on-first-use.js" },
  setupFilesAfterEnv: ["<rootDir>/test-support/jest-setup.js"],
};

/** @type {import('jest').Config} */
module.exports = {
  // Shared 2-core machines get loaded (load average 10+ seen): jest's 5 s default failed hooks that synthesize.
  // Slow hooks and tests also set their own limits; this is the floor for the rest. A global option: jest
  // ignores testTimeout inside a project's config.
  testTimeout: 60_000,
  // jest uses cores - 1 workers by default: one on these 2-core machines. Two ran the suites ~20% faster.
  maxWorkers: "100%",
  // One private temp folder per run, removed at the end (test-support/jest-temp-dirs.js).
  globalSetup: "<rootDir>/test-support/jest-global-setup.js",
  globalTeardown: "<rootDir>/test-support/jest-global-teardown.js",
  projects: [
    {
      ...shared,
      displayName: "fast",
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", ...SYSTEM_SUITES],
    },
    {
      ...shared,
      displayName: "system",
      testRegex: SYSTEM_SUITES,
    },
  ],
};
