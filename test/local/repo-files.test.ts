import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Minimatch } from "minimatch";
import { ConfigSchema, DEFAULT_CONFIG } from "../../src/domain/config/config.js";
import { classifier, staticPrefixes } from "../../src/domain/config/paths.js";
import { readLocalConfig, readRepoFiles } from "../../src/local/repo-files.js";
import { OutsideRepositoryError } from "../../src/local/safe-paths.js";

/** `it` when not root (root reads a file whatever its mode), else skipped. */
const itAsUser = process.getuid?.() === 0 ? it.skip : it;

/** What `run` throws; undefined when it returns. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

let root: string;
let outside: string;

function write(path: string, text = `# ${path}\n`): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "reqgate-files-"));
  outside = mkdtempSync(join(tmpdir(), "reqgate-outside-"));
  writeFileSync(join(outside, "secret.yml"), "id: REQ-999\n");
  for (const path of [
    "requirements/REQ-001.yml",
    "requirements/sub/deeper/REQ-002.yaml",
    "requirements/notes.md",
    "requirements/.hidden.yml",
    "requirements/baseline.lock",
    "requirements/changes/CR-0001.yml",
    "requirements/changes/CR-0002.yaml",
    "requirements/changes/README.md",
    "requirements/changes/old/CR-0000.yml",
    "requirements/node_modules/pkg/x.yml",
    "requirements/.git/config.yml",
    "tests/a.test.js",
    "tests/fixtures/b.yml",
    "spec/c.spec.ts",
    "src/app.ts",
    "node_modules/x/test/y.js",
    ".github/reqgate.yml",
  ]) {
    write(path);
  }
  symlinkSync("REQ-001.yml", join(root, "requirements/alias.yml"));
  symlinkSync(join(root, "requirements/sub"), join(root, "requirements/loop"));
  symlinkSync("missing.yml", join(root, "requirements/dangling.yml"));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const paths = (files: Array<{ path: string }>) => files.map((f) => f.path);

describe("readRepoFiles", () => {
  it("sorts the files into categories with the default config", () => {
    const files = readRepoFiles(root, DEFAULT_CONFIG);
    expect(paths(files.requirements)).toEqual(["requirements/REQ-001.yml", "requirements/alias.yml", "requirements/sub/deeper/REQ-002.yaml"]);
    expect(paths(files.changes)).toEqual(["requirements/changes/CR-0001.yml", "requirements/changes/CR-0002.yaml"]);
    expect(files.lock?.path).toBe("requirements/baseline.lock");
    expect(paths(files.verification)).toEqual(["spec/c.spec.ts", "tests/a.test.js", "tests/fixtures/b.yml"]);
    expect(files.config?.path).toBe(".github/reqgate.yml");
    expect(files.diagnostics).toEqual([]);
  });

  it("returns UTF-8 files as text, and anything else as the bytes unchanged", () => {
    write("requirements/text.yml", "id: REQ-7\ntitle: Ünïcode\n");
    writeFileSync(join(root, "requirements/latin1.yml"), Buffer.from("title: Caf\xe9\n", "latin1"));
    const files = readRepoFiles(root, DEFAULT_CONFIG);
    const content = (path: string) => files.requirements.find((f) => f.path === path)!.content;
    expect(content("requirements/text.yml")).toBe("id: REQ-7\ntitle: Ünïcode\n");
    expect(content("requirements/latin1.yml")).toEqual(new Uint8Array(Buffer.from("title: Caf\xe9\n", "latin1")));
    rmSync(join(root, "requirements/text.yml"));
    rmSync(join(root, "requirements/latin1.yml"));
  });

  it("reads files larger than its read buffer", () => {
    const big = "x".repeat(200_000);
    write("requirements/big.yml", big);
    const files = readRepoFiles(root, DEFAULT_CONFIG);
    expect(files.requirements.find((f) => f.path === "requirements/big.yml")!.content).toBe(big);
    rmSync(join(root, "requirements/big.yml"));
  });

  it("follows configured paths, change folder and lock", () => {
    write("reqs/a/REQ-1.yml");
    write("reqs/decisions/CR-1.yml");
    write("reqs/state.lock");
    write("reqs/a/skip.yml");
    const config = ConfigSchema.parse({
      requirements: { paths: ["./reqs/**/*.yml", "!reqs/**/skip.yml"], changes: "reqs/decisions/", lock: "reqs/state.lock" },
      verification: { paths: ["src/**/*.ts"] },
    });
    const files = readRepoFiles(root, config);
    expect(paths(files.requirements)).toEqual(["reqs/a/REQ-1.yml"]);
    expect(paths(files.changes)).toEqual(["reqs/decisions/CR-1.yml"]);
    expect(files.lock?.path).toBe("reqs/state.lock");
    expect(paths(files.verification)).toEqual(["src/app.ts"]);
  });

  it("reports a missing lock as absent and a missing folder as empty", () => {
    const config = ConfigSchema.parse({ requirements: { paths: ["nowhere/**/*.yml"], lock: "nowhere/baseline.lock", changes: "nowhere/changes" } });
    const files = readRepoFiles(root, config);
    expect(files.requirements).toEqual([]);
    expect(files.changes).toEqual([]);
    expect(files.lock).toBeUndefined();
  });

  it("walks the whole tree for a ** glob but never .git or node_modules", () => {
    const config = ConfigSchema.parse({ verification: { paths: ["**/*.js"] } });
    const files = readRepoFiles(root, config);
    expect(paths(files.verification)).toEqual(["tests/a.test.js"]);
  });

  it("lists a file in every category it belongs to", () => {
    const config = ConfigSchema.parse({ verification: { paths: ["requirements/REQ-001.yml"] } });
    const files = readRepoFiles(root, config);
    expect(paths(files.verification)).toEqual(["requirements/REQ-001.yml"]);
    expect(paths(files.requirements)).toContain("requirements/REQ-001.yml");
  });

  itAsUser("reports an unreadable file as a diagnostic", () => {
    write("requirements/locked.yml");
    chmodSync(join(root, "requirements/locked.yml"), 0o000);
    try {
      const files = readRepoFiles(root, DEFAULT_CONFIG);
      expect(files.diagnostics).toEqual([expect.objectContaining({ code: "unreadable-file", file: "requirements/locked.yml" })]);
      expect(paths(files.requirements)).not.toContain("requirements/locked.yml");
    } finally {
      rmSync(join(root, "requirements/locked.yml"), { force: true });
    }
  });

  it("refuses a link under a configured path that leads outside, naming the link (exit 2 in the CLI)", () => {
    symlinkSync(join(outside, "secret.yml"), join(root, "requirements/escape.yml"));
    try {
      const error = thrownBy(() => readRepoFiles(root, DEFAULT_CONFIG));
      expect(error).toBeInstanceOf(OutsideRepositoryError);
      expect((error as OutsideRepositoryError).diagnostics).toEqual([
          {
            severity: "error",
            line: 0,
            column: 0,
            code: "symlink-outside-repository",
            file: "requirements/escape.yml",
            message: `this symbolic link leads to ${realpathSync(outside)}/secret.yml, outside the repository: it is not read`,
            hint: "replace the link by the file itself, or remove it",
          },
        ]);
      // A link that nothing reads is no error: notes.md is not a requirement file.
      rmSync(join(root, "requirements/escape.yml"));
      symlinkSync(join(outside, "secret.yml"), join(root, "requirements/escape.md"));
      expect(paths(readRepoFiles(root, DEFAULT_CONFIG).requirements)).not.toContain("requirements/escape.md");
    } finally {
      rmSync(join(root, "requirements/escape.yml"), { force: true });
      rmSync(join(root, "requirements/escape.md"), { force: true });
    }
  });

  it("reads the configuration file alone", () => {
    expect(readLocalConfig(root)?.path).toBe(".github/reqgate.yml");
    expect(readLocalConfig(outside)).toBeUndefined();
  });
});

describe("classifier", () => {
  it("walks only the static prefixes, without overlaps", () => {
    expect(classifier(DEFAULT_CONFIG).roots).toEqual(["lib", "requirements", "spec", "src", "test", "tests"]);
    const config = ConfigSchema.parse({ requirements: { paths: ["{a,b}/**/*.yml", "a/x/*.yml"] }, verification: { paths: ["**/*.test.js"] } });
    expect(classifier(config).roots).toEqual([""]);
  });

  it("takes the literal leading segments of each glob alternative", () => {
    expect(staticPrefixes(new Minimatch("requirements/**/*.yml"))).toEqual(["requirements"]);
    expect(staticPrefixes(new Minimatch("docs/{reqs,specs}/*.yml"))).toEqual(["docs/reqs", "docs/specs"]);
    expect(staticPrefixes(new Minimatch("one/file.yml"))).toEqual(["one/file.yml"]);
    expect(staticPrefixes(new Minimatch("**"))).toEqual([""]);
  });

  it("never counts change records or the lock as requirement files", () => {
    const c = classifier(DEFAULT_CONFIG);
    expect(c.isRequirement("requirements/changes/CR-1.yml")).toBe(false);
    expect(c.isRequirement("requirements/changes/sub/x.yml")).toBe(false);
    expect(c.isChange("requirements/changes/sub/x.yml")).toBe(false);
    expect(c.isChange("requirements/changes/CR-1.yaml")).toBe(true);
    expect(c.isRequirement("requirements/changes.yml")).toBe(true);
    expect(c.isRequirement("requirements/x/.y.yml")).toBe(false);
  });
});
