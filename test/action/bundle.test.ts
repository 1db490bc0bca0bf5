// The Action runs the committed bundle (a runner does not install or build): it must be what the sources
// build to now, and the package must ship what `npx reqgate` and the Action need.
import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { load } from "js-yaml";
import { ACTION_BUNDLE, bundleAction } from "../../scripts/build-action.js";

describe("the Action's bundle", () => {
  it("is current: rebuild it with `npm run build` and commit action/index.mjs when this fails", async () => {
    const committed = readFileSync(ACTION_BUNDLE, "utf8");
    const fresh = await bundleAction();
    // Compared as booleans first: a 2 MB diff helps no one.
    expect(committed === fresh).toBe(true);
  });

  it("is what action.yml runs, on a Node the runner has", () => {
    const action = load(readFileSync("action.yml", "utf8")) as { runs: { using: string; main: string }; inputs: Record<string, { default?: string }> };
    expect(action.runs).toEqual({ using: "node20", main: "action/index.mjs" });
    expect(Object.keys(action.inputs)).toEqual(["mode", "github-token", "state-secret"]);
    expect(action.inputs["github-token"]!.default).toBe("${{ github.token }}");
  });

  it("is not ignored by git", () => {
    // `git check-ignore` exits 1 when the path is not ignored.
    expect(() => execFileSync("git", ["check-ignore", "-q", ACTION_BUNDLE])).toThrow();
  });
});

describe("npm pack", () => {
  it("ships the CLI, the App, the schema, app.yml and the Action, and neither sources nor tests", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8" });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE", "bin/reqgate.js", "bin/start.js", "dist/index.js", "dist/cli/main.js", "schema/reqgate.schema.json", "app.yml", "action.yml", "action/index.mjs"]));
    expect(files.filter((f) => /^(src|test|bench|scripts|\.ci|\.github)\//.test(f))).toEqual([]);
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { bin: Record<string, string> };
    expect(pkg.bin).toEqual({ reqgate: "bin/reqgate.js" });
  });
});
