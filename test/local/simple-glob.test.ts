import { describe, expect, it } from "@jest/globals";
import { minimatch } from "minimatch";
import { simpleGlob } from "../../src/domain/config/paths.js";

// The fast path must mean exactly what minimatch means (dot: false) for every shape it accepts.
const globs = ["requirements/**/*.yml", "requirements/**/*.yaml", "test/**", "tests/**", "spec/*.js", "a/b/**/*.md"];
const paths = [
  "requirements/a.yml", "requirements/x/y/a.yml", "requirements/.h/a.yml", "requirements/.a.yml", "requirements/a.yaml",
  "requirements/a.yml.bak", "requirements/.yml", "requirements/x/.yml", "requirementsX/a.yml", "requirements/a b.yml",
  "requirements/ä.yml", "test/a.js", "test/.a", "test/x/.y/z", "tests", "test/", "spec/a.js", "spec/x/a.js", "spec/.a.js",
  "a/b/c.md", "a/b/x/c.md", "a/bc.md",
];

describe("simpleGlob", () => {
  it.each(globs.flatMap((g) => paths.map((p) => [g, p] as const)))("%s ~ %s as minimatch says", (glob, path) => {
    expect(simpleGlob(glob)!(path)).toBe(minimatch(path, glob, { dot: false }));
  });

  it.each(["requirements/{a,b}/*.yml", "**/*.yml", "requirements/*/x.yml", "!requirements/**", "req?/*.yml", "requirements/**/x*.yml"])("leaves %s to minimatch", (glob) => {
    expect(simpleGlob(glob)).toBeUndefined();
  });
});
