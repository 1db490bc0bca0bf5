// Jest runs in ESM mode (probot 14 is ESM-only); @swc/jest strips types, `npm run typecheck` checks them.
export default {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript" },
          target: "es2022",
          experimental: { keepImportAttributes: true },
        },
        module: { type: "es6" },
      },
    ],
  },
  globalSetup: "<rootDir>/test/global-setup.js",
  // `npm run coverage` (and .ci/run): v8 coverage of every source file, whether a test loads it or not.
  // Not on by default: it nearly doubles the CPU time of a run. Thresholds sit just under what is measured.
  coverageProvider: "v8",
  collectCoverageFrom: ["src/**/*.ts"],
  coverageReporters: ["text-summary", "json-summary", "lcov"],
  coverageThreshold: { global: { statements: 95, branches: 87, functions: 95, lines: 95 } },
  // Generous: the first test of a suite loads Probot and the GitHub schema, which on a loaded 2-core machine
  // (CI with coverage, or helpers side by side) has taken over 20 s. A hang still fails, later.
  testTimeout: 60000,
};
