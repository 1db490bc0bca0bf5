// `.reqifz`: the archive DOORS and Polarion hand over, read in memory with its bounds (entries, bytes per
// entry and in total, counted as decompressed, whatever the archive declares), and written back.
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Deflate, unzipSync, zipSync } from "fflate";
import { packReqifz, readReqifz, unpackReqifz, REQIFZ_LIMITS, type ReqifzLimits } from "../../../src/domain/interchange/reqifz.js";
import { renderReqif } from "../../../src/domain/interchange/reqif-write.js";
import type { Provenance } from "../../../src/domain/report/provenance.js";
import { xmllint } from "../../support/xmllint.js";
import { req } from "../helpers.js";

const DOORS = resolve("test/fixtures/reqif/doors-next.reqif");
const POLARION = resolve("test/fixtures/reqif/polarion.reqif");
const small: ReqifzLimits = { entries: 10, entryBytes: 1024 * 1024, totalBytes: 1536 * 1024 };
const bytes = (text: string) => new TextEncoder().encode(text);

/** A zip whose one entry inflates to `size` zero bytes, built in 1 MiB slices (the bomb is never held whole). */
function zerosZip(name: string, size: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const deflate = new Deflate({ level: 9 }, (chunk) => parts.push(chunk));
  const slice = new Uint8Array(1024 * 1024);
  for (let left = size; left > 0; left -= slice.length) deflate.push(slice.subarray(0, Math.min(slice.length, left)), left <= slice.length);
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  // The archive around it, by the zip format: local header, data, central directory, end record.
  const nameBytes = bytes(name);
  const local = new DataView(new ArrayBuffer(30));
  local.setUint32(0, 0x04034b50, true);
  local.setUint16(4, 20, true);
  local.setUint16(8, 8, true);
  local.setUint32(18, data.length, true);
  local.setUint32(22, 100, true); // declares 100 bytes: a lie the reader must not believe
  local.setUint16(26, nameBytes.length, true);
  const central = new DataView(new ArrayBuffer(46));
  central.setUint32(0, 0x02014b50, true);
  central.setUint16(4, 20, true);
  central.setUint16(6, 20, true);
  central.setUint16(10, 8, true);
  central.setUint32(20, data.length, true);
  central.setUint32(24, 100, true);
  central.setUint16(28, nameBytes.length, true);
  const end = new DataView(new ArrayBuffer(22));
  const centralAt = 30 + nameBytes.length + data.length;
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, 1, true);
  end.setUint16(10, 1, true);
  end.setUint32(12, 46 + nameBytes.length, true);
  end.setUint32(16, centralAt, true);
  const out = new Uint8Array(centralAt + 46 + nameBytes.length + 22);
  out.set(new Uint8Array(local.buffer), 0);
  out.set(nameBytes, 30);
  out.set(data, 30 + nameBytes.length);
  out.set(new Uint8Array(central.buffer), centralAt);
  out.set(nameBytes, centralAt + 46);
  out.set(new Uint8Array(end.buffer), centralAt + 46 + nameBytes.length);
  return out;
}

describe("unpackReqifz", () => {
  it("reads every .reqif entry of an archive written with data descriptors (as Java's ZipOutputStream writes), and notes the attachment", () => {
    // test/fixtures/reqif/doors-modules.reqifz: doors-next.reqif and polarion.reqif and an image, written by Python's zipfile to a stream.
    const archive = readFileSync(resolve("test/fixtures/reqif/doors-modules.reqifz"));
    const out = unpackReqifz("m.reqifz", archive);
    expect(out.errors).toEqual([]);
    expect(out.entries.map((e) => [e.name, e.content.length])).toEqual([["brakes.reqif", 18919], ["drive.reqif", 8353]]);
    expect(new TextDecoder().decode(out.entries[0]!.content)).toBe(readFileSync(DOORS, "utf8"));
    expect(out.notes).toEqual([{ kind: "lost", file: "m.reqifz", line: 0, element: 'archive entry "files/profile.png"', reason: "an attachment (not a .reqif file): reqgate's requirement files carry no attachments, so it is not imported" }]);
  });

  it("never reads an entry whose name climbs out or is absolute (nothing is written anywhere: it is a note)", () => {
    const archive = zipSync({ "../evil.reqif": readFileSync(POLARION), "/etc/abs.reqif": readFileSync(POLARION), "ok.reqif": readFileSync(POLARION) });
    const out = unpackReqifz("x.reqifz", archive);
    expect(out.entries.map((e) => e.name)).toEqual(["ok.reqif"]);
    expect(out.notes.map((n) => [n.element, n.reason])).toEqual([
      ['archive entry "../evil.reqif"', "its name is an absolute path or climbs out with `..`: not read"],
      ['archive entry "/etc/abs.reqif"', "its name is an absolute path or climbs out with `..`: not read"],
    ]);
  });

  it("refuses a zip bomb by what really decompresses, though the archive declares 100 bytes", () => {
    const bomb = zerosZip("bomb.reqif", 3 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(10_000);
    expect(unpackReqifz("bomb.reqifz", bomb, small)).toEqual({ entries: [], notes: [], errors: [expect.objectContaining({ code: "reqifz-too-large", file: "bomb.reqifz", message: 'the archive entry "bomb.reqif" is over 1.0 MiB once decompressed', hint: "import a smaller export, or split it" })] });
  });

  it("refuses .reqif entries over the total bound together, and more entries than the bound", () => {
    const half = new Uint8Array(800 * 1024).fill(32);
    expect(unpackReqifz("t.reqifz", zipSync({ "a.reqif": half, "b.reqif": half }), small).errors.map((e) => e.message)).toEqual(["the archive's .reqif entries are over 1.5 MiB together once decompressed"]);
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`img-${i}.png`, bytes("x")]));
    expect(unpackReqifz("n.reqifz", zipSync({ "m.reqif": bytes("<x/>"), ...many }), small).errors.map((e) => e.message)).toEqual(["the archive has more than 10 entries"]);
  });

  it("the bounds of the CLI: 10,000 entries, a .reqif's own bound per entry and in total", () => {
    expect(REQIFZ_LIMITS).toEqual({ entries: 10_000, entryBytes: 256 * 1024 * 1024, totalBytes: 256 * 1024 * 1024 });
  });

  it.each([
    ["XML text", bytes('<?xml version="1.0"?><REQ-IF/>'), "the file is not a zip archive but XML text"],
    ["other bytes", bytes("GIF89a...."), "the file is not a zip archive (a .reqifz is a zip file holding .reqif files)"],
    ["an archive without a .reqif", zipSync({ "readme.txt": bytes("hello") }), "the archive holds no .reqif file"],
  ])("refuses %s with what it is", (_what, input, message) => {
    expect(unpackReqifz("x.reqifz", input).errors.map((e) => e.message)).toEqual([message]);
  });

  it("refuses an archive cut short as damaged", () => {
    const whole = zipSync({ "a.reqif": readFileSync(POLARION) }, { level: 9 });
    expect(whole.length).toBeGreaterThan(900);
    expect(unpackReqifz("cut.reqifz", whole.subarray(0, 900)).errors.map((e) => [e.message, e.hint])).toEqual([["the zip archive is damaged or cut short (invalid zip data)", "export the archive again"]]);
  });
});

describe("readReqifz", () => {
  it("converts each module and names the entry in every note (archive!/entry:line)", () => {
    const out = readReqifz("m.reqifz", readFileSync(resolve("test/fixtures/reqif/doors-modules.reqifz")), { prefix: "BRK" });
    expect(out.errors).toEqual([]);
    expect(out.requirements.map((r) => r.id)).toEqual(["BRK-1", "BRK-2", "BRK-3", "BRK-4", "BRK-1042", "DRV-10", "DRV-11", "DRV-12"]);
    expect(out.notes.find((n) => n.reason.startsWith("the status"))).toEqual({ kind: "lost", file: "m.reqifz!/brakes.reqif", line: 127, element: 'SPEC-OBJECT "_0a1b2c3d-0004-4e5f-8a9b-000000000004" (BRK-3)', reason: 'the status "Needs Clarification" has no reqgate meaning: imported as draft' });
  });

  it("keeps an ID found in two entries from the first, and says so", () => {
    const out = readReqifz("two.reqifz", zipSync({ "a.reqif": readFileSync(POLARION), "b.reqif": readFileSync(POLARION) }));
    expect(out.requirements.map((r) => r.id)).toEqual(["DRV-10", "DRV-11", "DRV-12"]);
    expect(out.notes.filter((n) => n.file === "two.reqifz!/b.reqif" && n.reason.endsWith("not imported from this entry")).map((n) => n.reason)).toEqual([
      "two.reqifz!/a.reqif holds DRV-10 already: not imported from this entry",
      "two.reqifz!/a.reqif holds DRV-11 already: not imported from this entry",
      "two.reqifz!/a.reqif holds DRV-12 already: not imported from this entry",
    ]);
  });
});

describe("packReqifz", () => {
  const provenance: Provenance = { repository: "github.com/acme/widgets", commit: "0123456789abcdef0123456789abcdef01234567", branch: "main", commitDate: "2026-01-01T10:00:00+01:00", dirty: false, generatedAt: "2026-01-02T00:00:00Z", tool: { name: "reqgate", version: "0.1.0" }, configuration: { file: ".github/reqgate.yml", sha256: "ab".repeat(32) } };
  const reqif = renderReqif({ requirements: [req("SYS-1", { title: "Secure login" }), req("REQ-10", { parents: ["SYS-1"] })], provenance }).text;

  it("holds one .reqif that the OMG schema accepts, the same bytes every time", () => {
    const archive = packReqifz("widgets.reqif", reqif, new Date("2026-01-01T09:00:00Z"));
    expect(Buffer.from(archive).equals(Buffer.from(packReqifz("widgets.reqif", reqif, new Date("2026-01-01T09:00:00Z"))))).toBe(true);
    const files = unzipSync(archive);
    expect(Object.keys(files)).toEqual(["widgets.reqif"]);
    expect(new TextDecoder().decode(files["widgets.reqif"])).toBe(reqif);
    expect(xmllint(reqif)).toEqual({ status: 0, stderr: "out.reqif validates\n" });
    expect(readReqifz("w.reqifz", archive).requirements.map((r) => [r.id, r.parents])).toEqual([["REQ-10", ["SYS-1"]], ["SYS-1", []]]);
  });
});
