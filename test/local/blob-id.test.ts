// The working tree is compared with a revision by object ID (src/local/source.ts): a file's ID must be
// the one git gives it. Expected IDs from `git hash-object --stdin` (and --object-format=sha256).
import { describe, expect, it } from "@jest/globals";
import { blobId } from "../../src/local/source.js";

describe("blobId", () => {
  it("is git's ID of the same bytes, given text or bytes", () => {
    expect(blobId("hello\n")).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
    expect(blobId(Buffer.from("hello\n"))).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
  });

  it("counts the UTF-8 bytes of non-ASCII text, not its characters", () => {
    expect(blobId("café €\n")).toBe("d399b4f30a8914ef3d9435b50ff247e459292772");
  });

  it("uses SHA-256 in a repository of that object format", () => {
    expect(blobId("hello\n", "sha256")).toBe("2cf8d83d9ee29543b34a87727421fdecb7e3f3a183d337639025de576db9ebb4");
  });
});
