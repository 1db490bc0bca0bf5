// Special and huge files are refused by type and size before a byte is read: real FIFOs, a real link to
// /dev/zero, a real 2 GB sparse file, in a temp dir.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG } from "../../src/domain/config/config.js";
import { readBounded, readListedFile } from "../../src/local/bounded-read.js";
import { readRepoFiles } from "../../src/local/repo-files.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "reqgate-bounded-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readBounded", () => {
  it("reads a regular file under the bound, as text", () => {
    writeFileSync(join(dir, "small.yml"), "id: REQ-001\n");
    expect(readBounded(join(dir, "small.yml"), "small.yml", 100, "hint")).toEqual({ kind: "file", content: "id: REQ-001\n" });
  });

  it("keeps bytes that are not UTF-8 as bytes", () => {
    writeFileSync(join(dir, "latin1.yml"), Buffer.from([0x69, 0x64, 0xe9]));
    const read = readBounded(join(dir, "latin1.yml"), "latin1.yml", 100, "hint");
    expect(read.kind).toBe("file");
    expect([...(read as { content: Uint8Array }).content]).toEqual([0x69, 0x64, 0xe9]);
  });

  it("refuses a file over the bound by its size, naming size and limit", () => {
    writeFileSync(join(dir, "big.yml"), "x".repeat(3000));
    expect(readBounded(join(dir, "big.yml"), "requirements/big.yml", 2048, "split it")).toEqual({
      kind: "refused",
      diagnostic: { severity: "error", line: 0, column: 0, code: "file-too-large", file: "requirements/big.yml", message: "the file is 3 KiB, over the 2 KiB limit", hint: "split it" },
    });
  });

  it("refuses a 2 GB sparse file without reading it", () => {
    execFileSync("truncate", ["-s", "2G", join(dir, "sparse.yml")]);
    const read = readBounded(join(dir, "sparse.yml"), "sparse.yml", 512 * 1024, "split it");
    expect(read).toMatchObject({ kind: "refused", diagnostic: { code: "file-too-large", message: "the file is 2048.0 MiB, over the 512 KiB limit" } });
  });

  it("refuses a FIFO without waiting for a writer", () => {
    execFileSync("mkfifo", [join(dir, "pipe.yml")]);
    expect(readBounded(join(dir, "pipe.yml"), "pipe.yml", 1024, "h")).toMatchObject({
      kind: "refused",
      diagnostic: { code: "not-a-file", file: "pipe.yml", message: "a named pipe (FIFO), not a regular file: it is not read" },
    });
  });

  it("refuses /dev/zero behind a link, as a device", () => {
    symlinkSync("/dev/zero", join(dir, "zero.yml"));
    expect(readBounded(join(dir, "zero.yml"), "zero.yml", 1024, "h")).toMatchObject({
      kind: "refused",
      diagnostic: { code: "not-a-file", message: "a device, not a regular file: it is not read" },
    });
  });
});

describe("readListedFile (a file the listing gave as regular: no fstat unless over the bound)", () => {
  it("reads text, bytes that are not UTF-8, and a file larger than the first buffer, whole", () => {
    writeFileSync(join(dir, "listed.yml"), "id: REQ-001\n");
    expect(readListedFile(join(dir, "listed.yml"), "listed.yml", 100, "hint")).toEqual({ kind: "file", content: "id: REQ-001\n" });
    writeFileSync(join(dir, "listed-latin1.yml"), Buffer.from([0x69, 0x64, 0xe9]));
    expect([...(readListedFile(join(dir, "listed-latin1.yml"), "l.yml", 100, "h") as { content: Uint8Array }).content]).toEqual([0x69, 0x64, 0xe9]);
    writeFileSync(join(dir, "listed-large.yml"), "y".repeat(200 * 1024));
    expect(readListedFile(join(dir, "listed-large.yml"), "large.yml", 512 * 1024, "h")).toEqual({ kind: "file", content: "y".repeat(200 * 1024) });
  });

  it("refuses a file over the bound with the size readBounded names", () => {
    writeFileSync(join(dir, "listed-big.yml"), "x".repeat(3000));
    expect(readListedFile(join(dir, "listed-big.yml"), "requirements/big.yml", 2048, "split it")).toEqual({
      kind: "refused",
      diagnostic: { severity: "error", line: 0, column: 0, code: "file-too-large", file: "requirements/big.yml", message: "the file is 3 KiB, over the 2 KiB limit", hint: "split it" },
    });
  });

  it("does not follow a link put in the file's place: readBounded looks at what it leads to", () => {
    symlinkSync("/dev/zero", join(dir, "listed-zero.yml"));
    expect(readListedFile(join(dir, "listed-zero.yml"), "zero.yml", 1024, "h")).toMatchObject({
      kind: "refused",
      diagnostic: { code: "not-a-file", message: "a device, not a regular file: it is not read" },
    });
  });

  it("refuses a FIFO or a directory put in the file's place after the listing by type, without waiting (not read as an empty file)", () => {
    execFileSync("mkfifo", [join(dir, "listed-pipe.yml")]);
    expect(readListedFile(join(dir, "listed-pipe.yml"), "requirements/A.yml", 1024, "h")).toEqual({
      kind: "refused",
      diagnostic: { severity: "error", line: 0, column: 0, code: "not-a-file", file: "requirements/A.yml", message: "a named pipe (FIFO), not a regular file: it is not read", hint: "keep only regular files (or symbolic links to them) under the configured paths" },
    });
    mkdirSync(join(dir, "listed-dir.yml"));
    expect(readListedFile(join(dir, "listed-dir.yml"), "requirements/B.yml", 1024, "h")).toMatchObject({
      kind: "refused",
      diagnostic: { code: "not-a-file", file: "requirements/B.yml", message: "a directory, not a regular file: it is not read" },
    });
    writeFileSync(join(dir, "listed-empty.yml"), "");
    expect(readListedFile(join(dir, "listed-empty.yml"), "empty.yml", 1024, "h")).toEqual({ kind: "file", content: "" });
  });

  it("leaves a FIFO under a configured path to readBounded, which refuses it by type", () => {
    const repo = join(dir, "repo-fifo");
    mkdirSync(join(repo, "requirements"), { recursive: true });
    execFileSync("mkfifo", [join(repo, "requirements/pipe.yml")]);
    writeFileSync(join(repo, "requirements/B.yml"), "id: REQ-001\n");
    const files = readRepoFiles(repo, DEFAULT_CONFIG);
    expect(files.requirements).toEqual([{ path: "requirements/B.yml", content: "id: REQ-001\n" }]);
    expect(files.diagnostics).toMatchObject([{ code: "not-a-file", file: "requirements/pipe.yml", message: "a named pipe (FIFO), not a regular file: it is not read" }]);
  });
});

describe("reading after an oversized file", () => {
  it("reads the next file whole (the 2 GB file made it empty, and REQ-001 looked removed)", () => {
    const repo = join(dir, "repo");
    mkdirSync(join(repo, "requirements"), { recursive: true });
    execFileSync("truncate", ["-s", "2G", join(repo, "requirements/A.yml")]);
    writeFileSync(join(repo, "requirements/B.yml"), "id: REQ-001\n");
    appendFileSync(join(repo, "requirements/B.yml"), "title: Log in\ntext: The system shall let users log in.\n");
    const files = readRepoFiles(repo, DEFAULT_CONFIG);
    expect(files.requirements).toEqual([{ path: "requirements/B.yml", content: "id: REQ-001\ntitle: Log in\ntext: The system shall let users log in.\n" }]);
    expect(files.diagnostics).toEqual([
      { severity: "error", line: 0, column: 0, code: "file-too-large", file: "requirements/A.yml", message: "the file is 2048.0 MiB, over the 512 KiB limit", hint: "split it into smaller files, or raise requirements.max_file_kb in .github/reqgate.yml" },
    ]);
  });

  it("reads a file right after one of several MiB that was read whole", () => {
    const repo = join(dir, "repo2");
    mkdirSync(join(repo, "requirements"), { recursive: true });
    writeFileSync(join(repo, "requirements/A.yml"), `x: ${"a".repeat(3 * 1024 * 1024)}\n`);
    writeFileSync(join(repo, "requirements/B.yml"), "id: REQ-002\n");
    const files = readRepoFiles(repo, { ...DEFAULT_CONFIG, requirements: { ...DEFAULT_CONFIG.requirements, max_file_kb: 4096 } });
    expect(files.requirements.map((f) => [f.path, f.content.length])).toEqual([["requirements/A.yml", 3 * 1024 * 1024 + 4], ["requirements/B.yml", 12]]);
  });
});
