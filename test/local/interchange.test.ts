// The doorstop tree read of `reqgate import doorstop`, on real folders: bounded by file count and by
// bytes together (each file by its own bound), links listed and not followed.
import { afterAll, describe, expect, it } from "@jest/globals";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTree } from "../../src/local/interchange.js";

const scratch = mkdtempSync(join(tmpdir(), "reqgate-tree-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A tree of four 10-byte items in two folders, an unwanted file and a link. */
function tree(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(join(dir, "sys/req"), { recursive: true });
  for (const f of ["sys/SYS-1.yml", "sys/SYS-2.yml", "sys/req/REQ-1.yml", "sys/req/REQ-2.yml"]) writeFileSync(join(dir, f), "text: abc\n");
  writeFileSync(join(dir, "sys/notes.txt"), "not an item\n");
  symlinkSync("/etc/hostname", join(dir, "sys/LINK-1.yml"));
  return dir;
}
const wanted = (name: string) => name.endsWith(".yml");

describe("readTree", () => {
  it("reads the wanted files within the bounds, links listed and not read", () => {
    const read = readTree(tree("ok"), "ok", wanted, { maxBytes: 100, maxFiles: 4, maxTotalBytes: 40 });
    expect(read.diagnostics).toEqual([]);
    expect(read.files.map((f) => f.path).sort()).toEqual(["sys/SYS-1.yml", "sys/SYS-2.yml", "sys/req/REQ-1.yml", "sys/req/REQ-2.yml"]);
    expect(read.links).toEqual(["sys/LINK-1.yml"]);
  });

  it("stops past the file count, naming the bound", () => {
    const read = readTree(tree("count"), "count", wanted, { maxBytes: 100, maxFiles: 3, maxTotalBytes: 1000 });
    expect(read.diagnostics.map((d) => [d.code, d.file, d.message, d.hint])).toEqual([["import-too-many-files", "count", "the tree has more than 3 files to read", "import the documents one folder at a time"]]);
  });

  it("stops past the bytes together, though every file is under its own bound", () => {
    const read = readTree(tree("bytes"), "bytes", wanted, { maxBytes: 100, maxFiles: 100, maxTotalBytes: 35 });
    expect(read.diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([["import-too-large", "bytes", "the tree's files are over 35 bytes together"]]);
  });
});
