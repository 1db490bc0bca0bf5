// The one configuration loader's pure core, driven by hand: which file it asks for next, what it makes
// of the answers, and the same words for the same problem whichever edge drives it.
import { describe, expect, it } from "@jest/globals";
import { formatDiagnostic } from "../../../src/domain/core/diagnostic.js";
import { configChain, mergeConfig, parseExtends, type ConfigBlob, type ConfigLoad, type ConfigRef, type ConfigScope } from "../../../src/domain/config/load.js";

const CLI: ConfigScope = { repo: "", where: "in the working tree" };
const APP: ConfigScope = { owner: "acme", repo: "app", where: "on its default branch" };

/** Runs the chain over `files` (by `repo:path`), recording what it asked for. */
function drive(scope: ConfigScope, text: string, files: Record<string, string>): { asked: string[]; load: ConfigLoad } {
  const asked: string[] = [];
  const chain = configChain(scope, { repo: scope.repo, path: ".github/reqgate.yml", blob: { text, truncated: false } });
  let step = chain.next();
  while (!step.done) {
    const ref: ConfigRef = step.value;
    asked.push(`${ref.repo}:${ref.path}`);
    const found = files[`${ref.repo}:${ref.path}`];
    const blob: ConfigBlob | undefined = found === undefined ? undefined : { text: found, truncated: false };
    step = chain.next(blob);
  }
  return { asked, load: step.value };
}

describe("configChain", () => {
  it("asks for a local _extends in the same repository, and merges it under the file", () => {
    const { asked, load } = drive(CLI, "_extends: ./policies/reqgate.yml\nissues:\n  label: mine\n", { ":policies/reqgate.yml": "requirements:\n  prefixes: [SYS]\nissues:\n  label: org\n  mode: label\n" });
    expect(asked).toEqual([":policies/reqgate.yml"]);
    expect(load.diagnostics).toEqual([]);
    expect(load.config?.requirements.prefixes).toEqual(["SYS"]);
    expect(load.config?.issues).toMatchObject({ label: "mine", mode: "label" });
  });

  it("reads a local _extends of another repository's file from that repository", () => {
    const { asked, load } = drive(APP, "_extends: base\n", { "base:.github/reqgate.yml": "_extends: ./shared/rules.yml\n", "base:shared/rules.yml": "requirements:\n  prefixes: [SYS]\n" });
    expect(asked).toEqual(["base:.github/reqgate.yml", "base:shared/rules.yml"]);
    expect(load.config?.requirements.prefixes).toEqual(["SYS"]);
  });

  it.each<[string, ConfigScope, string, Record<string, string>, string[]]>([
    ["a remote _extends on the command line", CLI, "issues: {}\n_extends: policies\n", {}, [
      '.github/reqgate.yml:2:1: error: _extends: "policies" names another repository, and the command line reads only this one (pass the configuration to use with --config FILE, or extend a file of this repository: _extends: ./path/to/file.yml)',
    ]],
    ["a missing local file", CLI, "_extends: ./policies/reqgate.yml\n", {}, [".github/reqgate.yml:1:1: error: _extends: policies/reqgate.yml does not exist in the working tree"]],
    ["a local loop", CLI, "_extends: ./a.yml\n", { ":a.yml": "_extends: ./.github/reqgate.yml\n" }, ["a.yml:1:1: error: _extends: ./.github/reqgate.yml is already part of this chain (a loop) (remove one of the _extends)"]],
    ["a chain too long", CLI, "_extends: ./a.yml\n", { ":a.yml": "_extends: ./b.yml\n", ":b.yml": "_extends: ./c.yml\n" }, ["b.yml:1:1: error: _extends: the chain of _extends is longer than 3 files (merge some of the files of the chain)"]],
    ["a path that climbs out", CLI, "_extends: ./../secrets.yml\n", {}, ['.github/reqgate.yml:1:1: error: _extends: "./../secrets.yml" is not a YAML file of this repository: give ./path/to/file.yml, from the repository root, without . or .. parts']],
    ["a local file that is not YAML", CLI, "_extends: ./notes.txt\n", {}, ['.github/reqgate.yml:1:1: error: _extends: "./notes.txt" is not a YAML file of this repository: give ./path/to/file.yml, from the repository root, without . or .. parts']],
    ["an error in the extended file, named by its path", CLI, "_extends: ./p.yml\n", { ":p.yml": "issues:\n  mode: [\n" }, ["p.yml:3:1: error: invalid YAML: unexpected end of the stream within a flow collection"]],
    ["a schema error of the merged settings, on the first file", APP, "_extends: base\nissues:\n  mode: loud\n", { "base:.github/reqgate.yml": "issues:\n  label: x\n" }, ['.github/reqgate.yml:3:3: error: issues.mode: must be one of "off", "label", "comment-and-label"']],
  ])("reports %s", (_name, scope, text, files, expected) => {
    const { load } = drive(scope, text, files);
    expect(load.config).toBeUndefined();
    expect(load.diagnostics.map(formatDiagnostic)).toEqual(expected);
  });
});

describe("parseExtends", () => {
  it.each<[string, ReturnType<typeof parseExtends>]>([
    ["base", { kind: "remote", owner: "acme", repo: "base", path: ".github/reqgate.yml" }],
    ["acme/base", { kind: "remote", owner: "acme", repo: "base", path: ".github/reqgate.yml" }],
    ["acme/base:conf/r.yml", { kind: "remote", owner: "acme", repo: "base", path: "conf/r.yml" }],
    ["./policies/reqgate.yml", { kind: "local", path: "policies/reqgate.yml" }],
    ["./.github/base.yaml", { kind: "local", path: ".github/base.yaml" }],
    ["acme/base:../x.txt", '"acme/base:../x.txt" is not of the form repo, owner/repo, owner/repo:path.yml, or ./path/in/this/repository.yml'],
    ["./a/./b.yml", '"./a/./b.yml" is not a YAML file of this repository: give ./path/to/file.yml, from the repository root, without . or .. parts'],
    ["./", '"./" is not a YAML file of this repository: give ./path/to/file.yml, from the repository root, without . or .. parts'],
    ["/etc/reqgate.yml", '"/etc/reqgate.yml" is not of the form repo, owner/repo, owner/repo:path.yml, or ./path/in/this/repository.yml'],
  ])("%j", (value, expected) => {
    expect(parseExtends(value, "acme")).toEqual(expected);
  });
});

describe("mergeConfig", () => {
  it("keeps __proto__ as data", () => {
    const over = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, never>;
    const merged = mergeConfig(Object.create(null) as Record<string, never>, over);
    expect(Object.keys(merged)).toEqual(["__proto__"]);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it("merges mappings key by key and replaces arrays and scalars", () => {
    const base = JSON.parse('{"a": {"x": 1, "y": [1, 2]}, "b": "keep"}') as Record<string, never>;
    const over = JSON.parse('{"a": {"y": [3]}, "c": true}') as Record<string, never>;
    expect(JSON.parse(JSON.stringify(mergeConfig(base, over)))).toEqual({ a: { x: 1, y: [3] }, b: "keep", c: true });
  });
});
