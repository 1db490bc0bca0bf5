import { describe, expect, it } from "@jest/globals";
import { minimatch } from "minimatch";
import { braceExpansions } from "../../../src/domain/config/brace-count.js";
import { parseConfig } from "../../../src/domain/config/config.js";

describe("braceExpansions", () => {
  it.each([
    ["requirements/**/*.yml", 1],
    ["requirements/**/*.{yml,yaml}", 2],
    ["{a,b}/{c,d,e}", 6],
    ["{a,{b,c}}", 3],
    ["{1..10}", 10],
    ["{a..e}", 5],
    ["{0..20..5}", 5],
    ["{a}", 1],
    ["\\{a,b\\}", 1],
    ["{a,b", 1],
  ])("%s expands to %d, as minimatch expands it", (glob, count) => {
    expect(braceExpansions(glob)).toBe(count);
    expect(minimatch.braceExpand(glob)).toHaveLength(count);
  });

  it("stops counting past the cap: {a,b} twenty-five times is not 33 million", () => {
    expect(braceExpansions("{a,b}".repeat(25))).toBe(257);
    expect(braceExpansions("{1..100000000}")).toBe(257);
  });
});

describe("a configuration with a brace bomb", () => {
  it("is refused at the glob's key, before any glob is compiled", () => {
    const result = parseConfig({ requirements: { paths: [`requirements/${"{a,b}".repeat(25)}.yml`] } });
    expect(result.config).toBeUndefined();
    expect(result.diagnostics).toEqual([
      {
        severity: "error",
        line: 0,
        column: 0,
        code: "config-invalid",
        file: ".github/reqgate.yml",
        path: ["requirements", "paths", 0],
        message: "requirements.paths[0]: the glob's braces expand to more than 256 patterns; list fewer alternatives",
      },
    ]);
  });
});
