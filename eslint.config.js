import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "action/**", "node_modules/**", "coverage/**", "examples/**", "bin/**", "*.config.js", "scripts/**", "bench/**/*.js", "test/**/*.js", ".bench/**", "test/fixtures/**", ".ci/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
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
);
