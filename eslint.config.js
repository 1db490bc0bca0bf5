import js from "@eslint/js";
import jest from "eslint-plugin-jest";
import tseslint from "typescript-eslint";

// The house's import boundaries (docs/ARCHITECTURE.md): what each folder may not import.
const IO_MODULES = ["node:fs", "node:fs/promises", "node:child_process", "node:net", "node:http", "node:https", "node:os", "node:process", "node:worker_threads", "fs", "child_process", "os", "process"];
const GITHUB_CLIENT = [
  { group: ["probot", "probot/*"], message: "GitHub I/O lives in src/github.", allowTypeImports: false },
  { group: ["@octokit/*"], message: "GitHub I/O lives in src/github." },
];
function edges(...folders) {
  return folders.map((f) => ({ group: [`**/${f}/*`, `**/${f}`], message: `not imported from here: see the import directions in docs/ARCHITECTURE.md (${f}/).` }));
}
function restrict(paths, patterns) {
  return { "no-restricted-imports": ["error", { paths: paths.map((name) => ({ name, message: "I/O is not allowed in this folder (docs/ARCHITECTURE.md)." })), patterns }] };
}

export default tseslint.config(
  { ignores: ["dist/**", "action/**", "node_modules/**", "coverage/**", "examples/**", "bin/**", "*.config.js", "scripts/**", "bench/**/*.js", "test/**/*.js", ".bench/**", "test/fixtures/**", ".ci/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ["src/**/*.ts", "test/**/*.ts", "bench/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // An un-awaited promise in a handler is a lost write or an unhandled rejection.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "no-restricted-syntax": ["error", { selector: "ExportDefaultDeclaration", message: "Use named exports (Probot's entry is the exception)." }],
    },
  },
  {
    files: ["src/index.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // The functional core: no I/O, no GitHub client, no environment or clock, nothing from the edges.
    files: ["src/domain/**/*.ts"],
    rules: {
      ...restrict(IO_MODULES, [...GITHUB_CLIENT, ...edges("engine", "app", "github", "handlers", "local", "cli", "action")]),
      "no-restricted-globals": ["error", { name: "process", message: "The domain reads no environment: take it as an argument." }],
      "no-restricted-properties": ["error", { object: "Date", property: "now", message: "The domain reads no clock: take the time as an argument." }],
    },
  },
  {
    // The pipelines: over ports, so no GitHub client and no local I/O.
    files: ["src/engine/**/*.ts"],
    rules: restrict(IO_MODULES, [...GITHUB_CLIENT, ...edges("app", "github", "handlers", "local", "cli", "action")]),
  },
  {
    // Thin handlers: the Probot context type, the composition root, the pipelines, the domain.
    files: ["src/handlers/**/*.ts"],
    rules: restrict(IO_MODULES, [{ group: ["probot"], message: "Handlers take only the Context type from probot.", allowTypeImports: true }, { group: ["@octokit/*"], message: "GitHub I/O lives in src/github." }, ...edges("github", "local", "cli", "action")]),
  },
  {
    files: ["src/github/**/*.ts"],
    rules: restrict([], edges("handlers", "local", "cli", "action")),
  },
  {
    // The CLI's Source implements the engine's ports, as github/ does.
    files: ["src/local/**/*.ts"],
    rules: restrict([], [...GITHUB_CLIENT, ...edges("app", "github", "handlers", "cli", "action")]),
  },
  {
    files: ["test/**/*.ts"],
    ...jest.configs["flat/recommended"],
    rules: {
      ...jest.configs["flat/recommended"].rules,
      // An assertion is `expect` or a helper that expects (the strict-nock tests end with one).
      "jest/expect-expect": ["error", { assertFunctionNames: ["expect", "expectOnlyMockedRequests"] }],
      // Tests that run only where they can (a built dist/, a user other than root).
      "jest/no-standalone-expect": ["error", { additionalTestBlockFunctions: ["itWhenBuilt", "itAsUser"] }],
    },
  },
);
