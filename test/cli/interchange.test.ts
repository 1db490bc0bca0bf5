// `reqgate report --format reqif` (and, below, `reqgate import`) through the real binary, on the
// interchange fixture committed to a real git repository; ReqIF output validated with the real xmllint.
import { afterAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fixtureRepo, git } from "../helpers/git-repo.js";
import { unzipSync, zipSync } from "fflate";
import { xmllint } from "../support/xmllint.js";

const BIN = resolve("bin/reqgate.js");
const scratch = mkdtempSync(join(tmpdir(), "reqgate-interchange-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function reqgate(repo: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, "--repo", repo], { cwd: scratch, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", SOURCE_DATE_EPOCH: "1767225600" }, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const source = fixtureRepo("interchange", join(scratch, "widgets"), { message: "requirements" });
const commit = git(source, "rev-parse", "HEAD");

describe("reqgate report --format reqif", () => {
  const exported = reqgate(source, "report", "--format", "reqif", "--output", join(scratch, "widgets.reqif"));
  const text = readFileSync(join(scratch, "widgets.reqif"), "utf8");

  it("writes a file that the OMG ReqIF 1.2 schema accepts (xmllint)", () => {
    expect(exported).toEqual({ status: 0, stdout: "", stderr: `wrote ${join(scratch, "widgets.reqif")}\n` });
    expect(xmllint(text)).toEqual({ status: 0, stderr: "out.reqif validates\n" });
  });

  it("says which commit, branch, date and reqgate it describes", () => {
    expect(text).toContain(`<REQ-IF-HEADER IDENTIFIER="reqgate-header-${commit.slice(0, 12)}">`);
    expect(text).toContain(`<CREATION-TIME>2026-01-01T00:00:00Z</CREATION-TIME>`);
    expect(text).toMatch(new RegExp(`<COMMENT>Repository: widgets&#10;Commit: ${commit.slice(0, 12)} \\(main; [0-9T:+-]+\\)&#10;Generated: 2026-01-01T00:00:00Z by reqgate 0\\.1\\.0&#10;Configuration: \\.github/reqgate\\.yml \\(sha256 [0-9a-f]{16}\\)</COMMENT>`));
  });

  it("holds every requirement, drafts included, with the fields reqgate has", () => {
    const ids = [...text.matchAll(/<SPEC-OBJECT IDENTIFIER="so-([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(["REQ-1", "REQ-2", "REQ-3", "REQ-4", "SYS-1", "SYS-2"]);
    expect(text).toContain(`THE-VALUE="Accessible sign-in (« Zugänglich », 日本語)"`);
    expect(text).toContain(`THE-VALUE="Lock after &lt;5&gt; failures &amp; &quot;tell&quot; the user&apos;s owner"`);
    expect(text).toContain(`<ENUM-VALUE-REF>ev-status-draft</ENUM-VALUE-REF>`);
    expect(text).toContain(`THE-VALUE="requirements/login.yml"`);
  });
});

/** A new empty git repository configured for these prefixes. */
function emptyRepo(name: string, prefixes: string[]): string {
  const repo = join(scratch, name);
  mkdirSync(join(repo, ".github"), { recursive: true });
  writeFileSync(join(repo, ".github/reqgate.yml"), `requirements:\n  prefixes: [${prefixes.join(", ")}]\n`);
  git(repo, "init", "-q", "-b", "main");
  return repo;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

describe("reqgate report --format reqif, then reqgate import reqif", () => {
  it("round-trips to the same fingerprints as the source's lock", () => {
    const exported = reqgate(source, "report", "--format", "reqif", "--output", join(scratch, "round.reqif"));
    expect(exported.status).toBe(0);
    const target = emptyRepo("round-trip", ["SYS", "REQ"]);
    const imported = reqgate(target, "import", "reqif", join(scratch, "round.reqif"));
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toBe(`wrote 6 requirement files under requirements/: REQ-1, REQ-2, REQ-3, REQ-4, SYS-1, SYS-2

Next: run "reqgate check", then "reqgate init --adopt" (a first baseline) or a change record, and "reqgate baseline".
`);
    expect(imported.status).toBe(0);
    mkdirSync(join(target, "requirements/changes"));
    writeFileSync(join(target, "requirements/changes/CR-1.yml"), "id: CR-1\ntitle: Imported\nrationale: The set as exported.\naffects: [SYS-1, SYS-2, REQ-1, REQ-2, REQ-3]\n");
    expect(reqgate(target, "baseline").status).toBe(0);
    const lock = readFileSync(join(target, "requirements/baseline.lock"), "utf8");
    const fingerprints = Object.fromEntries(lock.split("\n").filter((l) => l.startsWith('{"id"')).map((l) => JSON.parse(l) as { id: string; fingerprint: string }).map((e) => [e.id, e.fingerprint]));
    // The fingerprints of test/fixtures/repos/interchange/requirements/baseline.lock, written by `reqgate baseline` there.
    expect(fingerprints).toEqual({
      "REQ-1": "sha256:b724ca27a7dbb720a385d19ebc3b1a5729cc514e6df260a88a1891ef47a0749c",
      "REQ-2": "sha256:1ae5fb88529b047d57b3733780827e7333c0456b3c4e90e85cb4d0f1103a16db",
      "REQ-3": "sha256:4f43c7c037abfa687409d93dad9739ebdbc6b861d1ffae763ecb4a99b9436bae",
      "SYS-1": "sha256:46c14d24ce48cbc358e2a02c9b7cb5bc11294b2c87c87fc27b35504724730f0d",
      "SYS-2": "sha256:e1084972523e6d9e2949ddc9b4fbf9559ae5d81684df61ea9e4687824421bc1c",
    });
    expect(fingerprints).toEqual(Object.fromEntries(readFileSync(resolve("test/fixtures/repos/interchange/requirements/baseline.lock"), "utf8").split("\n").filter((l) => l.startsWith('{"id"')).map((l) => JSON.parse(l) as { id: string; fingerprint: string }).map((e) => [e.id, e.fingerprint])));
    expect(reqgate(target, "check")).toMatchObject({ status: 0, stdout: "no problems found\n6 requirements, 1 change records, lock current\n" });
  });

  it("writes the fields reqgate has, in its own key order", () => {
    const target = emptyRepo("round-fields", ["SYS", "REQ"]);
    expect(reqgate(target, "import", "reqif", join(scratch, "widgets.reqif"), "--out", join(target, "requirements/imported")).status).toBe(0);
    expect(readFileSync(join(target, "requirements/imported/REQ-1.yml"), "utf8")).toBe(`id: REQ-1
title: Lock after <5> failures & "tell" the user's owner
text: The system shall lock an account for 15 minutes after 5 failed logins & show "locked" <in red>.
status: active
parents:
  - SYS-1
verification: test
links:
  - docs/design/lockout.md
attributes:
  asil:
    level: B
    reviewed: true
  risk: high
`);
    expect(readFileSync(join(target, "requirements/imported/REQ-2.yml"), "utf8")).toBe(`id: REQ-2
title: Log logins
text: |-
  The system shall log every login attempt with:

  - the user name
  - the source address
  - the outcome
status: active
parents:
  - SYS-1
  - SYS-2
verification: test
tags:
  - audit
  - security
`);
    expect(readFileSync(join(target, "requirements/imported/SYS-2.yml"), "utf8")).toContain("title: Accessible sign-in (« Zugänglich », 日本語)\n");
    expect(readFileSync(join(target, "requirements/imported/REQ-3.yml"), "utf8")).toContain("status: retired\nparents:\n  - SYS-1\nsuperseded_by: REQ-1\n");
  });
});

describe("reqgate report --format reqifz, then reqgate import reqif FILE.reqifz", () => {
  it("writes a zip holding one schema-valid .reqif named after the archive, and the import round-trips to the lock's fingerprints", () => {
    const archive = join(scratch, "round.reqifz");
    expect(reqgate(source, "report", "--format", "reqifz", "--output", archive)).toEqual({ status: 0, stdout: "", stderr: `wrote ${archive}\n` });
    const files = unzipSync(readFileSync(archive));
    expect(Object.keys(files)).toEqual(["round.reqif"]);
    const inner = new TextDecoder().decode(files["round.reqif"]);
    expect(xmllint(inner)).toEqual({ status: 0, stderr: "out.reqif validates\n" });
    expect(inner).toBe(readFileSync(join(scratch, "widgets.reqif"), "utf8"));
    const target = emptyRepo("round-trip-z", ["SYS", "REQ"]);
    const imported = reqgate(target, "import", "reqif", archive);
    expect(imported).toEqual({ status: 0, stderr: "", stdout: `wrote 6 requirement files under requirements/: REQ-1, REQ-2, REQ-3, REQ-4, SYS-1, SYS-2

Next: run "reqgate check", then "reqgate init --adopt" (a first baseline) or a change record, and "reqgate baseline".
` });
    mkdirSync(join(target, "requirements/changes"));
    writeFileSync(join(target, "requirements/changes/CR-1.yml"), "id: CR-1\ntitle: Imported\nrationale: The set as exported.\naffects: [SYS-1, SYS-2, REQ-1, REQ-2, REQ-3]\n");
    expect(reqgate(target, "baseline").status).toBe(0);
    const lock = readFileSync(join(target, "requirements/baseline.lock"), "utf8");
    // The fingerprints of test/fixtures/repos/interchange/requirements/baseline.lock.
    expect(Object.fromEntries(lock.split("\n").filter((l) => l.startsWith('{"id"')).map((l) => JSON.parse(l) as { id: string; fingerprint: string }).map((e) => [e.id, e.fingerprint]))).toEqual({
      "REQ-1": "sha256:b724ca27a7dbb720a385d19ebc3b1a5729cc514e6df260a88a1891ef47a0749c",
      "REQ-2": "sha256:1ae5fb88529b047d57b3733780827e7333c0456b3c4e90e85cb4d0f1103a16db",
      "REQ-3": "sha256:4f43c7c037abfa687409d93dad9739ebdbc6b861d1ffae763ecb4a99b9436bae",
      "SYS-1": "sha256:46c14d24ce48cbc358e2a02c9b7cb5bc11294b2c87c87fc27b35504724730f0d",
      "SYS-2": "sha256:e1084972523e6d9e2949ddc9b4fbf9559ae5d81684df61ea9e4687824421bc1c",
    });
  });

  it("--format reqifz without --output is exit 2: a zip is not written to standard output", () => {
    expect(reqgate(source, "report", "--format", "reqifz")).toEqual({ status: 2, stdout: "", stderr: 'reqgate: --format reqifz writes a zip archive: give the file, e.g. --output requirements.reqifz\nRun "reqgate report --help" for usage.\n' });
  });

  it("imports an archive of two modules and an attachment, as DOORS hands them over, naming the entry in each note", () => {
    const archive = resolve("test/fixtures/reqif/doors-modules.reqifz");
    const target = emptyRepo("doors-z", ["BRK", "DRV"]);
    const run = reqgate(target, "import", "reqif", archive, "--prefix", "BRK");
    expect(run.status).toBe(1);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("wrote 8 requirement files under requirements/: BRK-1, BRK-2, BRK-3, BRK-4, BRK-1042, DRV-10, DRV-11, DRV-12");
    expect(lines).toContain(`  ${archive}: archive entry "files/profile.png": an attachment (not a .reqif file): reqgate's requirement files carry no attachments, so it is not imported`);
    expect(lines).toContain(`  ${archive}!/brakes.reqif:127: SPEC-OBJECT "_0a1b2c3d-0004-4e5f-8a9b-000000000004" (BRK-3): the status "Needs Clarification" has no reqgate meaning: imported as draft`);
    expect(listFiles(join(target, "requirements"))).toEqual(["BRK-1.yml", "BRK-1042.yml", "BRK-2.yml", "BRK-3.yml", "BRK-4.yml", "DRV-10.yml", "DRV-11.yml", "DRV-12.yml"]);
    expect(readFileSync(join(target, "requirements/DRV-11.yml"), "utf8")).toContain("title: Torque ramp\n");
  });

  it("an entry named ../x.reqif is not read and nothing is written outside; a .reqifz that is not a zip is exit 2", () => {
    const target = emptyRepo("traversal-z", ["DRV"]);
    const archive = join(scratch, "evil.reqifz");
    writeFileSync(archive, zipSync({ "../../DRV-66.reqif": readFileSync(resolve("test/fixtures/reqif/polarion.reqif")), "drive.reqif": readFileSync(resolve("test/fixtures/reqif/polarion.reqif")) }));
    const run = reqgate(target, "import", "reqif", archive);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`  ${archive}: archive entry "../../DRV-66.reqif": its name is an absolute path or climbs out with \`..\`: not read\n`);
    expect(listFiles(target).filter((f) => !f.startsWith(".git/"))).toEqual([".github/reqgate.yml", "requirements/DRV-10.yml", "requirements/DRV-11.yml", "requirements/DRV-12.yml"]);
    expect(readdirSync(scratch).filter((f) => f.startsWith("DRV"))).toEqual([]);
    const text = join(scratch, "text.reqifz");
    writeFileSync(text, "just some notes\n");
    expect(reqgate(target, "import", "reqif", text)).toEqual({ status: 2, stderr: "", stdout: `${text}: error: the file is not a zip archive (a .reqifz is a zip file holding .reqif files) (export the module again as ReqIF archive (.reqifz), or give the .reqif file)\n\n1 error in 1 file\n` });
  });
});

describe("reqgate import reqif of a file another tool wrote", () => {
  const doors = resolve("test/fixtures/reqif/doors-next.reqif");

  it("converts a DOORS Next export and lists what it could not convert, with file, line, element and reason", () => {
    const target = emptyRepo("doors", ["BRK"]);
    const run = reqgate(target, "import", "reqif", doors, "--prefix", "BRK");
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(`wrote 5 requirement files under requirements/: BRK-1, BRK-2, BRK-3, BRK-4, BRK-1042

Not converted (8):
  ${doors}:121: SPEC-OBJECT "_0a1b2c3d-0004-4e5f-8a9b-000000000004" > text > xhtml:sub: subscript is kept as plain text
  ${doors}:121: SPEC-OBJECT "_0a1b2c3d-0004-4e5f-8a9b-000000000004" > text > xhtml:sup: superscript is kept as plain text
  ${doors}:122: SPEC-OBJECT "_0a1b2c3d-0004-4e5f-8a9b-000000000004" > text > xhtml:object: an embedded object (image/png files/profile.png) has no plain-text form: it is left out of the text
  ${doors}:123: SPEC-OBJECT "_0a1b2c3d-0004-4e5f-8a9b-000000000004" > text > xhtml:sub: subscript is kept as plain text
  ${doors}:123: SPEC-OBJECT "_0a1b2c3d-0004-4e5f-8a9b-000000000004" > text > xhtml:table: a table is flattened into one line per row, cells separated by " | "
  ${doors}:127: SPEC-OBJECT "_0a1b2c3d-0004-4e5f-8a9b-000000000004" (BRK-3): the status "Needs Clarification" has no reqgate meaning: imported as draft
  ${doors}:128: SPEC-OBJECT "_0a1b2c3d-0004-4e5f-8a9b-000000000004" (BRK-3): the verification method "Simulation in HIL rig" is not test, analysis, inspection or demonstration: not imported
  ${doors}:166: SPEC-RELATION "_9f8e7d6c-0003": its type "References" is not a parent (refines) link, and reqgate has no other kind of link between requirements: not imported

Left out or changed on purpose (4):
  ${doors}:65: SPEC-OBJECT "_0a1b2c3d-0001-4e5f-8a9b-000000000001": a heading ("Braking functions"): document structure, not a requirement
  ${doors}:93: attribute "ReqIF.ForeignModifiedOn": tool history (who and when), not part of a requirement's content: not imported (reqgate's history is git and its change records)
  ${doors}:94: attribute "ReqIF.ForeignModifiedBy": tool history (who and when), not part of a requirement's content: not imported (reqgate's history is git and its change records)
  ${doors}:132: SPEC-OBJECT "_0a1b2c3d-0005-4e5f-8a9b-000000000005" (BRK-4): it has no title (ReqIF.Name): the title is taken from its text ("The controller shall hold the vehicle on a 20 % slope.")

Next: run "reqgate check", then "reqgate init --adopt" (a first baseline) or a change record, and "reqgate baseline".
`);
    expect(readFileSync(join(target, "requirements/BRK-1.yml"), "utf8")).toBe(`id: BRK-1
title: Service brake command
text: |-
  The controller **shall** apply the service brake within *150\u00a0ms* of a brake request.

  A brake request is one of:

  - the pedal switch & pedal travel sensor agreeing
  - a \`BRAKE_REQ\` frame on the vehicle bus
status: active
verification: test
attributes:
  Priority: 1
`);
    expect(readFileSync(join(target, "requirements/BRK-2.yml"), "utf8")).toBe(`id: BRK-2
title: Brake light <on> while braking
text: |-
  The controller shall switch the brake lights on:
  within 50 ms, and keep them on for the whole braking.

  1. on a brake request
    - from the pedal
    - from the bus
  2. on an emergency stop
status: draft
parents:
  - BRK-1
verification: analysis
`);
    expect(readFileSync(join(target, "requirements/BRK-3.yml"), "utf8")).toBe(`id: BRK-3
title: Deceleration profile
text: |-
  The deceleration shall follow the profile below (ax in m/s2).

  speed | ax
  100 km/h | 6.5
status: draft
parents:
  - BRK-1
`);
    expect(readFileSync(join(target, "requirements/BRK-4.yml"), "utf8")).toContain("status: retired\n");
    // The files are reqgate's: check reads them all, and asks only for a first baseline.
    expect(reqgate(target, "check").stdout).toBe("requirements/baseline.lock: error: there is no baseline yet for 3 requirements (adopt them: `reqgate init --adopt` writes the first change record, then `reqgate baseline` writes the lock)\n\n1 error in 1 file\n5 requirements, 0 change records, lock undetermined\n");
  });

  it("takes the hierarchy of a Polarion document from its tree when there are no parent relations", () => {
    const target = emptyRepo("polarion", ["DRV"]);
    const run = reqgate(target, "import", "reqif", resolve("test/fixtures/reqif/polarion.reqif"), "--format", "json");
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout) as { version: number; kind: string; folder: string; requirements: string[]; written: Array<{ path: string; replaced: boolean }>; notes: Array<{ kind: string; element: string; reason: string; line: number }> };
    expect([json.version, json.kind, json.folder]).toEqual([1, "reqgate-import", "requirements"]);
    expect(json.requirements).toEqual(["DRV-10", "DRV-11", "DRV-12"]);
    expect(json.written).toEqual([{ path: "requirements/DRV-10.yml", replaced: false }, { path: "requirements/DRV-11.yml", replaced: false }, { path: "requirements/DRV-12.yml", replaced: false }]);
    expect(json.notes).toEqual([{ kind: "skipped", file: resolve("test/fixtures/reqif/polarion.reqif"), line: 0, element: "SPECIFICATION", reason: "the file has no parent relations: 2 requirements nested under another requirement in the document tree are taken as refining it" }]);
    expect(readFileSync(join(target, "requirements/DRV-11.yml"), "utf8")).toBe(`id: DRV-11
title: Torque ramp
text: |-
  The drive shall ramp the torque at no more than 50 N·m/s.

  See [DRV-20](https://polarion.example.com/wi/DRV-20).
status: draft
parents:
  - DRV-10
`);
    expect(readFileSync(join(target, "requirements/DRV-12.yml"), "utf8")).toBe(`id: DRV-12
title: Über-temperature derating
text: Above 120 °C the drive shall derate the torque limit linearly to 0 at 150 °C.
status: active
parents:
  - DRV-11
attributes:
  Severity: Should Have
`);
  });

  it("never replaces a file without --force, and replaces it with --force", () => {
    const target = emptyRepo("force", ["DRV"]);
    mkdirSync(join(target, "requirements"));
    writeFileSync(join(target, "requirements/DRV-11.yml"), "mine\n");
    const refused = reqgate(target, "import", "reqif", resolve("test/fixtures/reqif/polarion.reqif"));
    expect(refused).toEqual({ status: 2, stderr: "", stdout: "requirements/DRV-11.yml: error: this file exists already: nothing was imported (give another --out folder, or --force to replace the existing files)\n\n1 error in 1 file\n" });
    expect(listFiles(join(target, "requirements"))).toEqual(["DRV-11.yml"]);
    const forced = reqgate(target, "import", "reqif", resolve("test/fixtures/reqif/polarion.reqif"), "--force");
    expect(forced.stdout.split("\n")[0]).toBe("wrote 3 requirement files under requirements/: DRV-10, DRV-11, DRV-12 (1 replaced)");
    expect(readFileSync(join(target, "requirements/DRV-11.yml"), "utf8")).toContain("title: Torque ramp\n");
  });

  it("never writes over the repository's own files, --force or not: the change-record folder, an existing test file, a link to the lock", () => {
    const target = emptyRepo("own-files", ["DRV"]);
    const polarion = resolve("test/fixtures/reqif/polarion.reqif");
    const changes = reqgate(target, "import", "reqif", polarion, "--out", join(target, "requirements/changes"), "--force");
    expect(changes).toEqual({ status: 2, stderr: "", stdout: ["DRV-10", "DRV-11", "DRV-12"].map((id) => `requirements/changes/${id}.yml: error: this is in the change-record folder (requirements.changes): nothing was imported (--force does not write there) (give another --out folder, e.g. --out requirements/imported)\n`).join("") + "\n3 errors in 3 files\n" });
    mkdirSync(join(target, "test"));
    writeFileSync(join(target, "test/DRV-11.yml"), "fixture of a test\n");
    const tests = reqgate(target, "import", "reqif", polarion, "--out", join(target, "test"), "--force");
    expect(tests).toEqual({ status: 2, stderr: "", stdout: "test/DRV-11.yml: error: this is a verification file (verification.paths): nothing was imported (--force does not write there) (give another --out folder, e.g. --out requirements/imported)\n\n1 error in 1 file\n" });
    mkdirSync(join(target, "requirements"), { recursive: true });
    writeFileSync(join(target, "requirements/baseline.lock"), "the lock\n");
    symlinkSync(join(target, "requirements/baseline.lock"), join(target, "requirements/DRV-12.yml"));
    const linked = reqgate(target, "import", "reqif", polarion, "--force");
    expect(linked).toEqual({ status: 2, stderr: "", stdout: "requirements/DRV-12.yml: error: this leads to requirements/baseline.lock, the baseline lock (requirements.lock): nothing was imported (--force does not write there) (give another --out folder, e.g. --out requirements/imported)\n\n1 error in 1 file\n" });
    expect(listFiles(target).filter((f) => !f.startsWith(".git/"))).toEqual([".github/reqgate.yml", "requirements/baseline.lock", "test/DRV-11.yml"]);
    expect([readFileSync(join(target, "requirements/baseline.lock"), "utf8"), readFileSync(join(target, "test/DRV-11.yml"), "utf8")]).toEqual(["the lock\n", "fixture of a test\n"]);
  });

  it("writes nothing outside the repository (--out, or a link on the way)", () => {
    const target = emptyRepo("outside", ["DRV"]);
    const away = mkdtempSync(join(scratch, "away-"));
    const out = reqgate(target, "import", "reqif", resolve("test/fixtures/reqif/polarion.reqif"), "--out", away);
    expect(out.status).toBe(2);
    expect(out.stdout).toContain(`--out: ${away} is outside the repository`);
    symlinkSync(away, join(target, "linked"));
    const linked = reqgate(target, "import", "reqif", resolve("test/fixtures/reqif/polarion.reqif"), "--out", join(target, "linked/reqs"));
    expect(linked.status).toBe(2);
    expect(linked.stdout).toContain("is outside the repository");
    expect(listFiles(away)).toEqual([]);
  });
});

describe("reqgate import reqif of bad input: exit 2, file and line, nothing written", () => {
  const target = emptyRepo("bad", ["REQ"]);
  const write = (name: string, text: string) => {
    const path = join(scratch, name);
    writeFileSync(path, text);
    return path;
  };
  const nothingWritten = () => expect(listFiles(target).filter((f) => !f.startsWith(".git/") && f !== ".github/reqgate.yml")).toEqual([]);

  it("malformed XML", () => {
    const file = write("broken.reqif", `<?xml version="1.0"?>\n<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd">\n  <THE-HEADER>\n</REQ-IF>\n`);
    const run = reqgate(target, "import", "reqif", file);
    expect(run).toEqual({ status: 2, stderr: "", stdout: `${file}:4:1: error: the file is not well-formed XML: Expected closing tag 'THE-HEADER' (opened in line 3, col 3) instead of closing tag 'REQ-IF'. (export the file again, or repair it at this line)\n\n1 error in 1 file\n` });
    nothingWritten();
  });

  it("the wrong namespace, and not ReqIF at all", () => {
    const file = write("old.reqif", `<?xml version="1.0"?>\n<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/2011/reqif.xsd"><CORE-CONTENT/></REQ-IF>\n`);
    expect(reqgate(target, "import", "reqif", file).stdout).toBe(`${file}:2:1: error: the <REQ-IF> element is in the namespace "http://www.omg.org/spec/ReqIF/2011/reqif.xsd", not ReqIF 1.2's http://www.omg.org/spec/ReqIF/20110401/reqif.xsd (reqgate reads ReqIF 1.0.1/1.1/1.2 files, which all use that namespace; check the export settings of the tool)\n\n1 error in 1 file\n`);
    const html = write("page.reqif", `<html><body/></html>`);
    const run = reqgate(target, "import", "reqif", html);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(`${html}:1:1: error: the root element is <html>, not <REQ-IF>: this is not a ReqIF file`);
    nothingWritten();
  });

  it("a DOCTYPE (no entity expansion), and a file over the size bound", () => {
    const file = write("entities.reqif", `<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaa">]>\n<REQ-IF/>\n`);
    expect(reqgate(target, "import", "reqif", file).stdout).toContain(`${file}:2:1: error: the file declares a DOCTYPE, which ReqIF does not use`);
    const huge = join(scratch, "huge.reqif");
    writeFileSync(huge, "");
    truncateSync(huge, 257 * 1024 * 1024);
    const run = reqgate(target, "import", "reqif", huge);
    expect(run).toEqual({ status: 2, stderr: "", stdout: `${huge}: error: the file is 257.0 MiB, over the 256.0 MiB limit (import a smaller export, or split it)\n\n1 error in 1 file\n` });
    nothingWritten();
  });
});

describe("reqgate import doorstop", () => {
  const tree = resolve("test/fixtures/doorstop/reqs");

  it("converts a three-document doorstop tree: links to parents, inactive to retired, headings left out, and lists the rest", () => {
    const target = emptyRepo("doorstop", ["SYS", "LLR", "TST"]);
    const run = reqgate(target, "import", "doorstop", tree);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(`wrote 11 requirement files under requirements/: LLR-001, LLR-002, LLR-003, LLR-004, LLR-005, SYS-001, SYS-002, SYS-003, SYS-004, TST-01 and 1 more

Not converted (3):
  ${tree}/tests/TSTnotes.md: item TSTnotes: the UID TSTnotes is not TSTNUMBER (a named UID, or a file that is not an item): reqgate IDs are PREFIX-NUMBER, so it is not imported
  ${tree}/llr/LLR-005.yml: item LLR-005 (LLR-005): it has no text: written with an empty text, which \`reqgate check\` reports
  ${tree}/llr/LLR-005.yml: item LLR-005 (LLR-005): its link to SYS099 names no item of the tree: the link is lost

Left out or changed on purpose (6):
  ${tree}/SYS000.yml: item SYS000: a heading (non-normative, level 1.0): document structure, not a requirement
  ${tree}/SYS003.yml: item SYS003 (SYS-003): inactive in doorstop (active: false): imported as retired, kept for the record and never the basis of work
  ${tree}/SYS004.yml: item SYS004 (SYS-004): it has no header: the title is taken from its text ("The kettle shall keep the water above 80 °C for 30 minutes.")
  ${tree}: level: the levels of 11 items (doorstop's presentation order) have no reqgate field: not imported (the files are named by ID)
  ${tree}: reviewed: the review stamps of 1 items are doorstop's review state: not imported (reqgate's baseline lock and change records take their place)
  ${tree}: links: the fingerprints of 1 links (doorstop's suspect-link stamps) are not imported: reqgate marks work suspect when the baseline moves

Next: run "reqgate check", then "reqgate init --adopt" (a first baseline) or a change record, and "reqgate baseline".
`);
    expect(listFiles(join(target, "requirements"))).toEqual(["SYS-001.yml", "SYS-002.yml", "SYS-003.yml", "SYS-004.yml", "llr/LLR-001.yml", "llr/LLR-002.yml", "llr/LLR-003.yml", "llr/LLR-004.yml", "llr/LLR-005.yml", "tests/TST-01.yml", "tests/TST-02.yml"]);
    expect(readFileSync(join(target, "requirements/llr/LLR-002.yml"), "utf8")).toBe(`id: LLR-002
title: Dry detection
text: |-
  The firmware shall cut the heater when the element temperature rises
  more than 15 K/s.
status: active
parents:
  - SYS-002
links:
  - src/dry.c
`);
    expect(readFileSync(join(target, "requirements/llr/LLR-003.yml"), "utf8")).toContain("status: active\ntags:\n  - derived\n");
    expect(readFileSync(join(target, "requirements/SYS-002.yml"), "utf8")).toContain("attributes:\n  safety-class: B\n");
    expect(readFileSync(join(target, "requirements/SYS-003.yml"), "utf8")).toContain("status: retired\n");
    expect(readFileSync(join(target, "requirements/tests/TST-01.yml"), "utf8")).toBe(`id: TST-01
title: Boil time test
text: Fill 1.7 l of water at 20 °C, switch on, and measure the time to boil.
status: active
parents:
  - LLR-001
`);
    // reqgate reads the files: the empty text is the one finding the source carries, and the active LLR-004 refining the retired SYS-003.
    const check = reqgate(target, "check");
    expect(check.stdout).toContain("requirements/llr/LLR-005.yml");
    expect(check.stdout).toContain("11 requirements, 0 change records");
  });

  it("stops at a doorstop file that does not parse: its line, exit 2, nothing written", () => {
    const broken = join(scratch, "broken-tree");
    cpSync(tree, broken, { recursive: true });
    writeFileSync(join(broken, "llr/LLR-003.yml"), "active: true\ntext: [unclosed\n");
    const target = emptyRepo("doorstop-broken", ["SYS", "LLR", "TST"]);
    const run = reqgate(target, "import", "doorstop", broken);
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(new RegExp(`^${broken}/llr/LLR-003\\.yml:3:1: error: `));
    expect(listFiles(target).filter((f) => !f.startsWith(".git/") && f !== ".github/reqgate.yml")).toEqual([]);
  });
});
