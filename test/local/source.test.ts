// The CLI's ChangeSource over git and the working tree (local/source.ts): the working tree's lock, which
// the full check has parsed already, is handed to the change pipeline with that parse, not parsed again.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Lock } from "../../src/domain/baseline/baseline.js";
import { ConfigSchema } from "../../src/domain/config/config.js";
import { readRepoFiles } from "../../src/local/repo-files.js";
import { LocalSource, WORKTREE } from "../../src/local/source.js";

const LOCK_PATH = "requirements/baseline.lock";
const BASE_LOCK = '# reqgate baseline lock. Written by `reqgate baseline`; do not edit by hand.\n{"lock":1}\n{"applied":"CR-0001"}\n';
const HEAD_LOCK = '# reqgate baseline lock. Written by `reqgate baseline`; do not edit by hand.\n{"lock":1}\n{"applied":"CR-0001"}\n{"applied":"CR-0002"}\n';
const config = ConfigSchema.parse({ requirements: { prefixes: ["REQ"] } });

let root: string;
let base: string;

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: root, encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: root } }).trim();
}

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "reqgate-source-"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@example.com");
  git("config", "user.name", "Test");
  git("config", "commit.gpgsign", "false");
  write("requirements/REQ-001.yml", "id: REQ-001\ntitle: One\ntext: The system shall do one thing.\n");
  write(LOCK_PATH, BASE_LOCK);
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  base = git("rev-parse", "HEAD");
  write(LOCK_PATH, HEAD_LOCK);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The lock blob of `revision` as the change pipeline reads it: compare first (it lists both sides), then lockAt and readLock. */
async function lockOf(source: LocalSource, revision: string) {
  await source.compareFiles(base, WORKTREE);
  const ref = await source.lockAt(revision, LOCK_PATH);
  return (await source.readLock(ref!.oid))!;
}

describe("LocalSource.readLock", () => {
  const known: Lock = { applied: ["CR-0001", "CR-0002"], entries: [] };

  it("hands over the working tree's lock as the full check parsed it", async () => {
    const source = new LocalSource({ root, prefix: "", config, worktree: readRepoFiles(root, config), worktreeLock: known });
    try {
      const blob = await lockOf(source, WORKTREE);
      expect(blob.text).toBe(HEAD_LOCK);
      expect(blob.parsed(LOCK_PATH)).toEqual({ lock: known, diagnostics: [] });
      expect(blob.parsed(LOCK_PATH).lock).toBe(known);
      // Asked with another path (another configuration), the text is parsed.
      expect(blob.parsed("other.lock").lock).not.toBe(known);
      expect(blob.parsed("other.lock").lock).toEqual({ applied: ["CR-0001", "CR-0002"], entries: [] });
    } finally {
      source.close();
    }
  });

  it("parses the base's lock, and the working tree's when no parse is handed over", async () => {
    const withKnown = new LocalSource({ root, prefix: "", config, worktree: readRepoFiles(root, config), worktreeLock: known });
    const without = new LocalSource({ root, prefix: "", config, worktree: readRepoFiles(root, config) });
    try {
      const baseBlob = await lockOf(withKnown, base);
      expect(baseBlob.text).toBe(BASE_LOCK);
      expect(baseBlob.parsed(LOCK_PATH)).toEqual({ lock: { applied: ["CR-0001"], entries: [] }, diagnostics: [] });
      const headBlob = await lockOf(without, WORKTREE);
      expect(headBlob.parsed(LOCK_PATH).lock).not.toBe(known);
      expect(headBlob.parsed(LOCK_PATH)).toEqual({ lock: { applied: ["CR-0001", "CR-0002"], entries: [] }, diagnostics: [] });
    } finally {
      withKnown.close();
      without.close();
    }
  });
});
