// The plain YAML subset read without a general parser (plain-yaml.ts): written-out values for the forms
// it reads, undefined for what it leaves to js-yaml, then a differential property: whatever it returns
// is what js-yaml (core schema) returns for the same text.
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import jsYaml from "js-yaml";
import { loadPlainYaml } from "../../../src/domain/requirements/plain-yaml.js";
import { loadYaml } from "../../../src/domain/requirements/yaml.js";

describe("loadPlainYaml", () => {
  it("reads a requirement file as js-yaml does", () => {
    const text = 'id: REQ-00001\ntitle: Software account alarm\ntext: >\n  The software shall lock the\n  account after three tries.\nparents: [SYS-00002, SYS-00003]\nverification: test\nowner: "@acme/team-1"\n';
    expect(loadPlainYaml(text)).toStrictEqual({
      id: "REQ-00001",
      title: "Software account alarm",
      text: "The software shall lock the account after three tries.\n",
      parents: ["SYS-00002", "SYS-00003"],
      verification: "test",
      owner: "@acme/team-1",
    });
  });

  it("reads a change record with a block list, at the key's indentation or under it", () => {
    expect(loadPlainYaml("id: CR-0001\ntitle: Initial baseline, part 1\nrationale: Adopted.\naffects:\n  - REQ-001\n\n  - REQ-002\n")).toStrictEqual({ id: "CR-0001", title: "Initial baseline, part 1", rationale: "Adopted.", affects: ["REQ-001", "REQ-002"] });
    expect(loadPlainYaml("affects:\n- REQ-001\n- 'REQ-002'\nid: CR-1\n")).toStrictEqual({ affects: ["REQ-001", "REQ-002"], id: "CR-1" });
  });

  it("folds and keeps text blocks as YAML does", () => {
    expect(loadPlainYaml("text: >\n  one\n  two\n\n  three\n\n\nnext: x\n")).toStrictEqual({ text: "one two\nthree\n", next: "x" });
    expect(loadPlainYaml("text: |\n  one\n\n  two")).toStrictEqual({ text: "one\n\ntwo\n" });
    expect(loadPlainYaml("text: >-\n  one\n  two\n")).toStrictEqual({ text: "one two" });
    expect(loadPlainYaml("text: |-\n  one\n  two\n")).toStrictEqual({ text: "one\ntwo" });
  });

  it("reads quoted, plain, empty and null values", () => {
    expect(loadPlainYaml("a: 'it is'\nb: \"x  y\"\nc: Don't [x] {y}, z\nd:\ne: []\nf: [ ]\ng: yes\nh: ''\n")).toStrictEqual({ a: "it is", b: "x  y", c: "Don't [x] {y}, z", d: null, e: [], f: [], g: "yes", h: "" });
  });

  it.each([
    ["a comment", "id: REQ-1 # note\n"],
    ["a tab", "id:\tREQ-1\n"],
    ["CR line ends", "id: REQ-1\r\n"],
    ["a trailing space", "id: REQ-1 \n"],
    ["a number", "count: 3\n"],
    ["a boolean", "dashboard: false\n"],
    ["null written out", "owner: null\n"],
    ["a key YAML reads as a boolean", "True: x\n"],
    ["a repeated key", "id: REQ-1\nid: REQ-2\n"],
    ["a nested mapping", "attributes:\n  risk: high\n"],
    ["a continued plain scalar", "title: one\n  two\n"],
    ["a colon in a plain scalar", "title: a: b\n"],
    ["an anchor", "title: &t x\n"],
    ["an escape in double quotes", 'title: "a\\nb"\n'],
    ["a doubled quote", "title: 'it''s'\n"],
    ["a more indented line in a folded block", "text: >\n  one\n    two\n"],
    ["a document marker", "---\nid: REQ-1\n"],
    ["a list of mappings", "requirements:\n  - id: REQ-1\n"],
    ["an empty text", ""],
  ])("leaves %s to js-yaml", (_, text) => {
    expect(loadPlainYaml(text)).toBeUndefined();
  });

  it("gives loadYaml the same value as js-yaml for the usual file", () => {
    expect(loadYaml("r.yml", "id: REQ-1\ntitle: T\ntext: >\n  X.\n")).toStrictEqual({ value: { id: "REQ-1", title: "T", text: "X.\n" }, diagnostics: [] });
  });

  it("returns exactly what js-yaml returns, whenever it returns anything", () => {
    const word = fc.constantFrom("x", "y z", "REQ-1", "1", "é", "Don't", "a,b", "a]", "[a]", "{b}", "x - y", "yes", "null", "~", "-1", ".5", "x\u00a0", "\u00a0x", "x\u2028y", "x\u0085", "a'b", 'a"b', "x:y", "x: y", "x\\y", "x #c", "", " ");
    const scalar = fc.oneof(
      fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(" ")),
      word.map((w) => `"${w}"`),
      word.map((w) => `'${w}'`),
      fc.tuple(fc.array(word, { maxLength: 3 }), fc.constantFrom(", ", ",", " , ")).map(([ws, sep]) => `[${ws.join(sep)}]`),
    );
    const key = fc.constantFrom("id", "title", "text", "a", "True", "__proto__");
    const indent = fc.constantFrom(0, 1, 2, 2, 4);
    const entry = fc.oneof(
      fc.tuple(key, fc.constantFrom(": ", ":", ":  "), scalar).map(([k, sep, v]) => `${k}${sep}${v}`),
      fc.tuple(key, indent, fc.array(fc.tuple(scalar, fc.constantFrom(0, 0, 1)), { maxLength: 4 })).map(([k, n, items]) => `${k}:\n${items.map(([s, e]) => "\n".repeat(e) + " ".repeat(n) + "- " + s).join("\n")}`),
      fc.tuple(key, fc.constantFrom(">", "|", ">-", "|-", ">+", "|2"), indent, fc.array(fc.tuple(word, fc.constantFrom(0, 0, 1, 2), fc.constantFrom(0, 0, 0, 1)), { maxLength: 4 })).map(([k, header, n, lines]) => `${k}: ${header}\n${lines.map(([w, e, extra]) => "\n".repeat(e) + " ".repeat(n + extra) + w).join("\n")}`),
      fc.tuple(key, indent, key, scalar).map(([k, n, k2, v]) => `${k}:\n${" ".repeat(n)}${k2}: ${v}`),
    );
    const doc = fc.tuple(fc.array(entry, { minLength: 1, maxLength: 6 }), fc.constantFrom("", "\n", "\r\n", "\n\n")).map(([entries, end]) => entries.join("\n") + end);
    let read = 0;
    fc.assert(
      fc.property(doc, (text) => {
        const value = loadPlainYaml(text);
        if (value === undefined) return;
        read++;
        expect(value).toStrictEqual(jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }));
      }),
      { numRuns: 20000, seed: 7 },
    );
    // The property says something only when the subset is often met.
    expect(read).toBeGreaterThan(300);
  });
});
