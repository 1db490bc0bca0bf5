import { describe, expect, it } from "@jest/globals";
import { parseChangeRecordFile, parseRequirementFile } from "../../../src/domain/requirements/parse-requirements.js";
import { resolvePositions } from "../../../src/domain/requirements/yaml.js";
import { formatDiagnostic, sortDiagnostics } from "../../../src/domain/core/diagnostic.js";

const options = { prefixes: new Set(["REQ", "SYS"]), maxBytes: 64 * 1024 };

function parse(text: string | Uint8Array, file = "requirements/a.yml") {
  const parsed = parseRequirementFile(file, text, options);
  const placed = resolvePositions(parsed.diagnostics, () => (typeof text === "string" ? text : undefined));
  return { ...parsed, messages: sortDiagnostics(placed).map(formatDiagnostic) };
}

describe("parseRequirementFile", () => {
  it("reads one requirement with defaults", () => {
    const { requirements, messages } = parse("id: REQ-012\ntitle: Lock account\ntext: The system shall lock.\n");
    expect(messages).toEqual([]);
    expect(requirements).toHaveLength(1);
    expect(requirements[0]).toMatchObject({ id: "REQ-012", status: "active", parents: [], tags: [], links: [], origin: { file: "requirements/a.yml", path: [] } });
  });

  it("reads a requirements list", () => {
    const { requirements, messages } = parse(
      "requirements:\n  - id: SYS-001\n    title: A\n    text: The system shall A.\n  - id: REQ-001\n    title: B\n    text: The system shall B.\n    parents: [SYS-001]\n",
    );
    expect(messages).toEqual([]);
    expect(requirements.map((r) => [r.id, r.origin.path])).toEqual([
      ["SYS-001", ["requirements", 0]],
      ["REQ-001", ["requirements", 1]],
    ]);
  });

  it.each([
    ["unknown key with a suggestion", "id: REQ-1\ntitel: A\ntext: T\n", ["requirements/a.yml:1:1: error: `title` is required", 'requirements/a.yml:2:1: error: unknown key "titel" (did you mean "title"?)']],
    ["bad status", "id: REQ-1\ntitle: A\ntext: T\nstatus: done\n", ["requirements/a.yml:4:1: error: `status` must be one of draft, active, retired (got \"done\")"]],
    ["unconfigured prefix", "id: FOO-1\ntitle: A\ntext: T\n", ["requirements/a.yml:1:1: error: FOO-1: prefix FOO is not a configured requirement prefix (use REQ or SYS, or configure the prefix in .github/reqgate.yml)"]],
    ["malformed id", "id: REQ_1\ntitle: A\ntext: T\n", ['requirements/a.yml:1:1: error: "REQ_1" is not a valid requirement ID (IDs are PREFIX-NUMBER, e.g. REQ-001)']],
    ["empty text", "id: REQ-1\ntitle: A\ntext: ''\n", ["requirements/a.yml:3:1: error: REQ-1: the text is empty (state what the system shall do)"]],
    ["duplicate key", "id: REQ-1\ntitle: A\ntitle: B\ntext: T\n", ["requirements/a.yml:3:1: error: invalid YAML: duplicated mapping key (each key may appear once in a mapping; remove or rename the repeated key)"]],
    ["empty list item", "id: REQ-1\ntitle: A\ntext: T\ntags:\n  - safety\n  -\n", ["requirements/a.yml:6:3: error: `tags.1` is an empty list item (write a value after the `-`, or remove the line)"]],
    // js-yaml reads a less-indented item after an empty one into the same list (the spec says it is an error): the empty item is still found.
    ["empty list item before a less-indented one", "id: REQ-1\ntitle: A\ntext: T\ntags:\n  -\n - safety\n", ["requirements/a.yml:5:3: error: `tags.0` is an empty list item (write a value after the `-`, or remove the line)"]],
    ["custom tag", "id: REQ-1\ntitle: !!js/function 'function(){}'\ntext: T\n", ["requirements/a.yml:2:36: error: invalid YAML: unknown tag !<tag:yaml.org,2002:js/function> (custom tags (!!js/..., !tag) are not allowed; write plain values)"]],
  ])("reports %s at its line", (_name, text, expected) => {
    expect(parse(text).messages).toEqual(expected);
  });

  it("keeps __proto__ and constructor as ordinary attributes without polluting prototypes", () => {
    const { requirements, messages } = parse("id: REQ-1\ntitle: A\ntext: T\nattributes:\n  __proto__: {polluted: yes}\n  constructor: {prototype: {polluted: yes}}\n");
    expect(messages).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(requirements[0]!.attributes)).toEqual(["__proto__", "constructor"]);
  });

  it("rejects an alias bomb quickly", () => {
    const bomb = ["a: &a [x,x,x,x,x,x,x,x,x]", ..."bcdefghi".split("").map((c, i) => `${c}: &${c} [${Array(9).fill("*" + "abcdefghi"[i]).join(",")}]`), "id: REQ-1", "title: T", "text: T"].join("\n");
    expect(bomb.length).toBeLessThan(1024);
    const { requirements, messages } = parse(bomb);
    expect(requirements).toEqual([]);
    expect(messages).toEqual(["requirements/a.yml:2:8: error: the document expands aliases (*name) too many times (write the values out instead of using anchors and aliases)"]);
  });

  it("accepts a few harmless aliases through the slow path", () => {
    const { requirements, messages } = parse("id: REQ-1\ntitle: &t Same\ntext: *t\n");
    expect(messages).toEqual([]);
    expect(requirements[0]!.text).toBe("Same");
  });

  it("rejects 10,000-deep nesting", () => {
    const { messages } = parse("id: REQ-1\ntitle: A\ntext: T\nattributes:\n  x: " + "[".repeat(10000) + "]".repeat(10000) + "\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^requirements\/a\.yml:5:\d+: error: invalid YAML: nesting exceeded/);
  });

  it("rejects nesting past 64 levels whether or not the text has a `*` (which sends it to the check for aliases)", () => {
    const deep = (text: string, levels: number) => `id: REQ-1\ntitle: A\ntext: ${text}\nattributes:\n  x: ${"[".repeat(levels)}${"]".repeat(levels)}\n`;
    const tooDeep = "requirements/a.yml: error: the document is nested more than 64 levels deep (flatten the structure)";
    expect(parse(deep("plain", 70)).messages).toEqual([tooDeep]);
    expect(parse(deep("a *bold* word", 70)).messages).toEqual([tooDeep]);
    // The root mapping is level 0, `attributes` 1, the first bracket 2: 63 brackets reach level 64, the last one allowed.
    expect(parse(deep("plain", 63)).messages).toEqual([]);
    expect(parse(deep("plain", 64)).messages).toEqual([tooDeep]);
    expect(parse(deep("a *bold* word", 63)).messages).toEqual([]);
    expect(parse(deep("a *bold* word", 64)).messages).toEqual([tooDeep]);
  });

  it("rejects binary, non-UTF-8 and oversized files", () => {
    expect(parse(new Uint8Array([0x69, 0x64, 0x3a, 0x00, 0x01])).messages).toEqual(["requirements/a.yml: error: the file contains NUL bytes: it looks binary, not YAML (remove it from the requirement paths)"]);
    expect(parse(new Uint8Array([0x69, 0x64, 0x3a, 0x20, 0xff, 0xfe])).messages).toEqual(["requirements/a.yml: error: the file is not UTF-8 text (save it as UTF-8)"]);
    expect(parse("x".repeat(65 * 1024)).messages[0]).toMatch(/over the 64 KiB limit/);
  });
});

describe("parseChangeRecordFile", () => {
  const crOptions = { changePrefix: "CR", prefixes: new Set(["REQ"]), maxBytes: 65536 };
  it("reads a change record", () => {
    const parsed = parseChangeRecordFile("requirements/changes/CR-0042.yml", "id: CR-0042\ntitle: Lower\nrationale: PT-19\naffects: [REQ-012]\n", crOptions);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.record).toMatchObject({ id: "CR-0042", affects: ["REQ-012"] });
  });
  it("rejects an affects entry that is not a requirement ID", () => {
    const parsed = parseChangeRecordFile("c.yml", "id: CR-1\ntitle: T\nrationale: R\naffects: [CR-2]\n", crOptions);
    expect(parsed.diagnostics.map((d) => d.message)).toEqual(['CR-1: "CR-2" in affects is not a requirement ID']);
  });
});

describe("a file of many unknown keys", () => {
  it("names 20 of them at their lines and counts the rest at the first one left out", () => {
    const keys = Array.from({ length: 100 }, (_, i) => `k${i}: v\n`).join("");
    const text = `id: REQ-001\ntitle: t\ntext: x\n${keys}`;
    const parsed = parseRequirementFile("r.yml", text, options);
    const placed = resolvePositions(parsed.diagnostics, () => text);
    expect(placed).toHaveLength(21);
    expect(placed.slice(0, 2).map((d) => [d.line, d.message])).toEqual([[4, 'unknown key "k0"'], [5, 'unknown key "k1"']]);
    expect(placed[20]).toMatchObject({ line: 24, column: 1, code: "unknown-key", message: "and 80 more unknown keys" });
  });

  it("places a repeated key at its first occurrence (the index keeps the first pair)", () => {
    const text = "a: 1\nb:\n  c: 2\n  c: 3\n";
    const placed = resolvePositions([{ severity: "error", code: "x", file: "f", line: 0, column: 0, message: "m", path: ["b", "c"] }], () => text);
    expect(placed.map((d) => [d.line, d.column])).toEqual([[3, 3]]);
  });
});

describe("YAML diagnostics name the real cause, at a line", () => {
  it("a merge key is a merge key, not 'nested more than 64 levels'", () => {
    expect(parse("base: &b\n  title: t\nreq:\n  <<: *b\n  id: REQ-1\n").messages).toEqual([
      "requirements/a.yml:4:3: error: merge keys (`<<: *name`) are not supported (write the keys out in this mapping instead of merging an anchor)",
    ]);
  });

  it("an alias of a collection is an alias, at its line (an alias of a plain value is fine)", () => {
    expect(parse("id: REQ-1\ntitle: &t Title\ntext: *t\n").messages).toEqual([]);
    expect(parse("id: REQ-1\ntitle: t\ntext: x\nattributes:\n  a: &m {k: 1}\n  b: *m\n").messages).toEqual([
      "requirements/a.yml:6:6: error: aliases (`*name`) of anchored values are not supported (write the value out instead of using an anchor and an alias)",
    ]);
  });

  it("an over-long ID is reported as such", () => {
    expect(parse("id: REQ-1234567890123\ntitle: t\ntext: x\n").messages).toEqual([
      'requirements/a.yml:1:1: error: "REQ-1234567890123" is too long for a requirement ID: its number has 13 digits, at most 9 are allowed (IDs are PREFIX-NUMBER, e.g. REQ-001)',
    ]);
    expect(parse(`id: ${"R".repeat(25)}-1\ntitle: t\ntext: x\n`).messages[0]).toContain("its prefix has 25 characters, at most 20 are allowed");
  });
});
