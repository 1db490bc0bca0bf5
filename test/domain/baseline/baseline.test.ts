import { describe, expect, it } from "@jest/globals";
import {
  baselineItems,
  computeBaseline,
  diffBaselines,
  EMPTY_LOCK,
  fingerprint,
  foldSpace,
  parseLock,
  renderLock,
  type Lock,
} from "../../../src/domain/baseline/baseline.js";
import { parseRequirementFile } from "../../../src/domain/requirements/parse-requirements.js";
import { record, req } from "../helpers.js";

const opts = { prefixes: new Set(["REQ", "SYS"]), maxBytes: 1 << 20 };
function fromYaml(text: string) {
  const parsed = parseRequirementFile("requirements/x.yml", text, opts);
  expect(parsed.diagnostics).toEqual([]);
  return parsed.requirements[0]!;
}

const base = "id: REQ-1\ntitle: Lock account\ntext: The system shall lock the account after 5 failed logins.\nparents: [SYS-1, SYS-2]\nverification: test\nattributes: {risk: high, asil: B}\n";

describe("fingerprint", () => {
  it.each([
    ["keys reordered", "title: Lock account\nid: REQ-1\nverification: test\nparents: [SYS-1, SYS-2]\ntext: The system shall lock the account after 5 failed logins.\nattributes: {asil: B, risk: high}\n"],
    ["text re-wrapped", "id: REQ-1\ntitle: Lock account\ntext: >\n  The system shall lock the account\n  after 5 failed logins.\nparents: [SYS-1, SYS-2]\nverification: test\nattributes: {risk: high, asil: B}\n"],
    ["block style and quotes", "id: 'REQ-1'\ntitle: \"Lock account\"\ntext: |\n  The system shall lock the account after 5 failed logins.\nparents:\n  - SYS-1\n  - SYS-2\nverification: test\nattributes:\n  risk: high\n  asil: B\n"],
    ["parents reordered", base.replace("[SYS-1, SYS-2]", "[SYS-2, SYS-1]")],
    ["owner, tags and links changed", base + "owner: '@acme/security'\ntags: [security]\nlinks: [docs/auth.md]\n"],
    ["explicit default status", base + "status: active\n"],
  ])("does not change when %s", (_name, text) => {
    expect(fingerprint(fromYaml(text))).toBe(fingerprint(fromYaml(base)));
  });

  it.each([
    ["the text changes", base.replace("5 failed", "3 failed")],
    ["the title changes", base.replace("Lock account", "Lock the account")],
    ["the status changes", base + "status: draft\n"],
    ["a parent is added", base.replace("[SYS-1, SYS-2]", "[SYS-1, SYS-2, SYS-3]")],
    ["the verification method changes", base.replace("verification: test", "verification: analysis")],
    ["an attribute changes", base.replace("asil: B", "asil: C")],
    ["an attribute's type changes", base.replace("asil: B", "asil: 2").replace("risk: high", "risk: '2'")],
  ])("changes when %s", (_name, text) => {
    expect(fingerprint(fromYaml(text))).not.toBe(fingerprint(fromYaml(base)));
  });

  it("keeps an attribute named __proto__ as data", () => {
    const a = fromYaml(base.replace("attributes: {risk: high, asil: B}", "attributes: {__proto__: {x: 1}}"));
    const b = fromYaml(base.replace("attributes: {risk: high, asil: B}", "attributes: {__proto__: {x: 2}}"));
    expect(fingerprint(a)).not.toBe(fingerprint(b));
  });
});

describe("foldSpace", () => {
  it.each([
    "plain words", " leading and trailing \n", "two  spaces", "tab\there", "line\nbreak", "nbsp\u00a0here", "crlf\r\nx",
    "ideographic\u3000space", "line\u2028separator", "\ufeffbom", "", "   ", "a \t\n b",
  ])("folds %j exactly as /\\s+/ → ' ' would", (text) => {
    expect(foldSpace(text)).toBe(text.replace(/\s+/g, " ").trim());
  });
});

describe("diffBaselines", () => {
  const items = (...rs: ReturnType<typeof req>[]) => baselineItems(rs);
  it.each([
    ["nothing", [req("REQ-1")], [req("REQ-1")], new Set<string>(), []],
    ["added", [], [req("REQ-1")], new Set<string>(), [["REQ-1", "added"]]],
    ["modified", [req("REQ-1")], [req("REQ-1", { text: "Other." })], new Set<string>(), [["REQ-1", "modified"]]],
    ["retired", [req("REQ-1")], [req("REQ-1", { status: "retired" })], new Set<string>(), [["REQ-1", "retired"]]],
    ["reactivated", [req("REQ-1", { status: "retired" })], [req("REQ-1")], new Set<string>(), [["REQ-1", "status-changed"]]],
    ["back to draft", [req("REQ-1")], [], new Set(["REQ-1"]), [["REQ-1", "status-changed"]]],
    ["removed", [req("REQ-1")], [], new Set<string>(), [["REQ-1", "removed"]]],
    ["moved only", [req("REQ-1")], [req("REQ-1", { origin: { file: "requirements/other.yml", path: [] } })], new Set<string>(), [["REQ-1", "moved"]]],
    ["sorted by id", [req("REQ-2"), req("REQ-1")], [req("REQ-3", {}), req("REQ-1", { title: "x" })], new Set<string>(), [["REQ-1", "modified"], ["REQ-2", "removed"], ["REQ-3", "added"]]],
  ])("%s", (_name, before, after, drafts, expected) => {
    expect(diffBaselines(items(...before), items(...after), drafts).map((c) => [c.id, c.kind])).toEqual(expected);
  });

  it("ignores drafts on both sides", () => {
    expect(diffBaselines(items(req("REQ-1", { status: "draft" })), items(req("REQ-1", { status: "draft", text: "x" })))).toEqual([]);
  });
});

describe("computeBaseline", () => {
  const first = computeBaseline(EMPTY_LOCK, [req("REQ-1"), req("REQ-2"), req("REQ-3", { status: "draft" })], [record("CR-1", ["REQ-1", "REQ-2"])]);

  it("makes a first baseline from one change record, leaving drafts out", () => {
    expect(first.diagnostics).toEqual([]);
    expect(first.lock!.applied).toEqual(["CR-1"]);
    expect(first.lock!.entries.map((e) => [e.id, e.status, e.change])).toEqual([["REQ-1", "active", "CR-1"], ["REQ-2", "active", "CR-1"]]);
  });

  it("credits each changed requirement to the one unapplied record that lists it", () => {
    const next = computeBaseline(first.lock!, [req("REQ-1", { text: "New." }), req("REQ-2"), req("REQ-4")], [record("CR-1", ["REQ-1", "REQ-2"]), record("CR-2", ["REQ-1", "REQ-4"])]);
    expect(next.diagnostics).toEqual([]);
    expect(next.lock!.applied).toEqual(["CR-1", "CR-2"]);
    expect(next.lock!.entries.map((e) => [e.id, e.change])).toEqual([["REQ-1", "CR-2"], ["REQ-2", "CR-1"], ["REQ-4", "CR-2"]]);
  });

  it.each([
    ["no record lists the change", [record("CR-1", ["REQ-1", "REQ-2"])], "change-without-record", "REQ-1 is modified, but no unapplied change record lists it in `affects`"],
    ["two records list it", [record("CR-1", ["REQ-1", "REQ-2"]), record("CR-2", ["REQ-1"]), record("CR-3", ["REQ-1"])], "change-claimed-twice", "REQ-1 is listed in the affects of 2 unapplied change records (CR-2, CR-3); one decision must own it"],
  ])("refuses when %s", (_name, records, code, message) => {
    const next = computeBaseline(first.lock!, [req("REQ-1", { text: "New." }), req("REQ-2")], records);
    expect(next.lock).toBeUndefined();
    expect(next.diagnostics.map((d) => [d.code, d.message])).toEqual([[code, message]]);
  });

  it("warns about records that list requirements which did not change", () => {
    const next = computeBaseline(first.lock!, [req("REQ-1", { text: "New." }), req("REQ-2")], [record("CR-1", ["REQ-1", "REQ-2"]), record("CR-2", ["REQ-1", "REQ-2"])]);
    expect(next.lock).toBeDefined();
    expect(next.diagnostics.map((d) => [d.severity, d.message])).toEqual([["warning", "CR-2 lists REQ-2, which this change does not add, modify, retire or remove"]]);
  });

  it("keeps the previous credit when a requirement only moves", () => {
    const next = computeBaseline(first.lock!, [req("REQ-1", { origin: { file: "requirements/moved.yml", path: [] } }), req("REQ-2")], []);
    expect(next.diagnostics).toEqual([]);
    expect(next.lock!.entries[0]).toMatchObject({ id: "REQ-1", path: "requirements/moved.yml", change: "CR-1" });
  });

  it("names each kind of change against the lock once, sorted by ID, the first definition of an ID counting", () => {
    const lock = computeBaseline(EMPTY_LOCK, [req("REQ-1"), req("REQ-2"), req("REQ-3"), req("REQ-4"), req("REQ-5")], [record("CR-1", ["REQ-1", "REQ-2", "REQ-3", "REQ-4", "REQ-5"])]).lock!;
    const next = computeBaseline(
      lock,
      [
        req("REQ-6"),
        req("REQ-5", { origin: { file: "requirements/moved.yml", path: [] } }),
        req("REQ-4", { status: "retired" }),
        req("REQ-3", { status: "draft" }),
        req("REQ-1", { text: "New." }),
        req("REQ-1", { text: "A second definition, not judged." }),
        req("REQ-6", { text: "A second definition, not judged." }),
      ],
      [record("CR-2", ["REQ-1", "REQ-2", "REQ-3", "REQ-4", "REQ-6"])],
    );
    expect(next.diagnostics).toEqual([]);
    expect(next.changes.map((c) => [c.id, c.kind, c.before?.path, c.after?.path])).toEqual([
      ["REQ-1", "modified", "requirements/REQ-1.yml", "requirements/REQ-1.yml"],
      ["REQ-2", "removed", "requirements/REQ-2.yml", undefined],
      ["REQ-3", "status-changed", "requirements/REQ-3.yml", undefined],
      ["REQ-4", "retired", "requirements/REQ-4.yml", "requirements/REQ-4.yml"],
      ["REQ-5", "moved", "requirements/REQ-5.yml", "requirements/moved.yml"],
      ["REQ-6", "added", undefined, "requirements/REQ-6.yml"],
    ]);
    expect(next.changes.find((c) => c.id === "REQ-1")!.after!.fingerprint).toBe(fingerprint(req("REQ-1", { text: "New." })));
  });

  it("keeps held entries of unreadable files as they are, and adds a held entry the lock does not list", () => {
    const lock = computeBaseline(EMPTY_LOCK, [req("REQ-1"), req("REQ-2")], [record("CR-1", ["REQ-1", "REQ-2"])]).lock!;
    const [held1] = lock.entries;
    const stray = { ...held1!, id: "REQ-9", change: "CR-1" };
    const next = computeBaseline(lock, [req("REQ-2")], [record("CR-2", ["REQ-9"])], [held1!, stray, held1!]);
    expect(next.changes.map((c) => [c.id, c.kind])).toEqual([["REQ-9", "added"]]);
    expect(next.changes[0]!.after).toBe(stray);
    expect(next.lock!.entries.map((e) => e.id)).toEqual(["REQ-1", "REQ-2", "REQ-9"]);
  });

  it("judges an ID a hand-edited lock lists twice by its last entry, as lockIndex does", () => {
    const lock = computeBaseline(EMPTY_LOCK, [req("REQ-1"), req("REQ-2")], [record("CR-1", ["REQ-1", "REQ-2"])]).lock!;
    const twice: Lock = { ...lock, entries: [{ ...lock.entries[0]!, title: "Old title" }, ...lock.entries] };
    expect(computeBaseline(twice, [req("REQ-1"), req("REQ-2")], []).changes).toEqual([]);
    expect(computeBaseline(twice, [req("REQ-2")], []).changes.map((c) => [c.id, c.kind, c.before?.title])).toEqual([["REQ-1", "removed", "Title of REQ-1"]]);
  });

  it("is a fixed point: a second run on its own output changes nothing", () => {
    const again = computeBaseline(first.lock!, [req("REQ-1"), req("REQ-2"), req("REQ-3", { status: "draft" })], [record("CR-1", ["REQ-1", "REQ-2"])]);
    expect(again.changes).toEqual([]);
    expect(renderLock(again.lock!)).toBe(renderLock(first.lock!));
  });
});

describe("lock file", () => {
  const lock: Lock = {
    applied: ["CR-2", "CR-1"],
    entries: [
      { id: "REQ-2", title: 'Quotes " and ünïcode\nnewline', status: "retired", path: "requirements/b.yml", fingerprint: "sha256:" + "b".repeat(64), change: "CR-2", supersededBy: "REQ-1" },
      { id: "REQ-1", title: "One", status: "active", path: "requirements/a.yml", fingerprint: "sha256:" + "a".repeat(64), change: "CR-1" },
    ],
  };

  it("renders one sorted line per entry and reads back what it wrote", () => {
    const text = renderLock(lock);
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(2 + 2 + 2);
    expect(lines[4]).toMatch(/^\{"id":"REQ-1",/);
    const parsed = parseLock("requirements/baseline.lock", text);
    expect(parsed.diagnostics).toEqual([]);
    expect(renderLock(parsed.lock!)).toBe(text);
    expect(parsed.lock!.entries[1]).toEqual({ ...lock.entries[0] });
  });

  it.each([
    ["broken JSON", '{"lock":1}\n{"id":', 2, "this line of the lock is not valid JSON"],
    ["an unknown key", '{"lock":1}\n{"id":"REQ-1","status":"active","fingerprint":"sha256:' + "a".repeat(64) + '","change":"CR-1","path":"a.yml","title":"t","extra":1}', 2, 'unknown key "extra" in a lock entry'],
    ["a bad status", '{"lock":1}\n{"id":"REQ-1","status":"draft","fingerprint":"x","change":"CR-1","path":"a.yml","title":"t"}', 2, "REQ-1: status must be active or retired"],
    ["a future version", '{"lock":3}\n', 1, "unsupported lock version 3 (this reqgate reads versions 1 and 2)"],
    ["no version", "# nothing\n", 1, "the lock has no version line"],
    ["a __proto__ line", '{"lock":1}\n{"__proto__":{"x":1}}', 2, 'unknown key "__proto__" in a lock entry'],
  ])("reports %s with its line", (_name, text, line, message) => {
    const parsed = parseLock("requirements/baseline.lock", text);
    expect(parsed.lock).toBeUndefined();
    expect(parsed.diagnostics.map((d) => [d.line, d.message])).toEqual([[line, message]]);
  });
});

describe("parseLock on hostile input", () => {
  const hint = "the lock is written by `reqgate baseline`; run it instead of editing the file";
  it("stops after 20 invalid lines of a huge lock of `x` lines, saying where it stopped", () => {
    const parsed = parseLock("requirements/baseline.lock", "x\n".repeat(1_000_000));
    expect(parsed.lock).toBeUndefined();
    expect(parsed.diagnostics).toHaveLength(21);
    expect(parsed.diagnostics[0]).toEqual({ severity: "error", code: "lock-invalid", file: "requirements/baseline.lock", line: 1, column: 1, message: "this line of the lock is not an object", hint });
    expect(parsed.diagnostics[20]).toEqual({
      severity: "error",
      code: "lock-invalid",
      file: "requirements/baseline.lock",
      line: 20,
      column: 1,
      message: "the lock was not read past line 20: 20 invalid lines are enough to refuse it",
      hint: "regenerate it with `reqgate baseline`",
    });
  });

  it("refuses a lock over the bound before parsing, naming size and limit", () => {
    expect(parseLock("requirements/baseline.lock", `{"lock":1}\n${"#".repeat(3000)}\n`, 2048)).toEqual({
      diagnostics: [{ severity: "error", line: 0, column: 0, code: "file-too-large", file: "requirements/baseline.lock", message: "the lock is 3 KiB, over the 2 KiB limit", hint: "the lock holds one line per requirement; a lock this large is not one `reqgate baseline` wrote" }],
    });
  });

  it("refuses repeated version and applied lines (a cheap way to make a lock huge)", () => {
    const parsed = parseLock("l", '{"lock":1}\n{"lock":1}\n{"applied":"CR-1"}\n{"applied":"CR-1"}\n');
    expect(parsed.diagnostics.map((d) => [d.line, d.message])).toEqual([
      [2, "the version line appears twice"],
      [4, "CR-1 is listed as applied twice"],
    ]);
  });

  it("reads a valid lock that spans several parse chunks", () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ id: `REQ-${i + 1}`, status: "active", fingerprint: `sha256:${"0".repeat(64)}`, change: "CR-1", path: "r.yml", title: "" }));
    const parsed = parseLock("l", ['{"lock":1}', '{"applied":"CR-1"}', ...rows].join("\n"));
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.lock?.entries).toHaveLength(10_000);
    expect(parsed.lock?.entries[0]?.id).toBe("REQ-1");
  });

  it("names the line of a broken row in a later chunk", () => {
    const rows = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ id: `REQ-${i + 1}`, status: "active", fingerprint: `sha256:${"0".repeat(64)}`, change: "CR-1", path: "r.yml", title: "" }));
    rows[4500] = '{"id": "REQ-4501", oops}';
    const parsed = parseLock("l", ['{"lock":1}', ...rows].join("\n"));
    expect(parsed.diagnostics.map((d) => [d.line, d.message])).toEqual([[4502, "this line of the lock is not valid JSON"]]);
  });
});
