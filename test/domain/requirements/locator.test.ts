// Positions of diagnostics from js-yaml's marks (yaml.ts makeLocator): the key of a pair, the item of a
// sequence, in every YAML style a requirement file may use. Expected lines and columns written out by hand.
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { isMap, isPair, isScalar, isSeq, LineCounter, parse, parseDocument, type Node as YamlNode } from "yaml";
import { loadYaml, makeLocator } from "../../../src/domain/requirements/yaml.js";

describe("makeLocator", () => {
  it("finds keys and items in block style", () => {
    const at = makeLocator("id: REQ-001\nrequirements:\n  - id: REQ-002\n    titel: x\n  - 1\n");
    expect(at(["id"])).toEqual({ line: 1, column: 1 });
    expect(at(["requirements", 0, "titel"])).toEqual({ line: 4, column: 5 });
    expect(at(["requirements", 1])).toEqual({ line: 5, column: 5 });
  });

  it("finds the deepest entry that exists when the path goes further", () => {
    const at = makeLocator("a:\n  b: 1\n");
    expect(at(["a", "b", "c"])).toEqual({ line: 2, column: 3 });
    expect(at(["a", "zz"])).toEqual({ line: 1, column: 1 });
  });

  it("tells a key from a value of the same text", () => {
    const at = makeLocator("a: b\nb: c\n");
    expect(at(["b"])).toEqual({ line: 2, column: 1 });
  });

  it("does not take the next key for the value of an empty one", () => {
    const at = makeLocator("a:\nb:\n  c: 1\n");
    expect(at(["a", "c"])).toEqual({ line: 1, column: 1 });
    expect(at(["b", "c"])).toEqual({ line: 3, column: 3 });
  });

  it("counts empty sequence items, which compose no node", () => {
    const at = makeLocator("- \n- x\n-\n# c\n- y: 1\n");
    expect(at([0])).toEqual({ line: 1, column: 1 });
    expect(at([1])).toEqual({ line: 2, column: 3 });
    expect(at([2])).toEqual({ line: 3, column: 1 });
    expect(at([3, "y"])).toEqual({ line: 5, column: 3 });
    expect(makeLocator("a:\n  -\n  -\n  - 1\n")(["a", 1])).toEqual({ line: 3, column: 3 });
  });

  it("finds keys and items in flow style, quoted keys and explicit keys", () => {
    const at = makeLocator('{"a": [1, {b: 2}], \'c d\': 3}\n');
    expect(at(["a", 1, "b"])).toEqual({ line: 1, column: 12 });
    expect(at(["c d"])).toEqual({ line: 1, column: 20 });
    const explicit = makeLocator("? k\n: v\nz: 1\n");
    expect(explicit(["k"])).toEqual({ line: 1, column: 3 });
    expect(explicit(["z"])).toEqual({ line: 3, column: 1 });
  });

  it("finds keys after anchored, aliased and tagged values", () => {
    const at = makeLocator("a: &x 1\nb: !!str 2\nc: *x\nd:\n  e: 3\n");
    expect(at(["c"])).toEqual({ line: 3, column: 1 });
    expect(at(["d", "e"])).toEqual({ line: 5, column: 3 });
  });

  it("finds numeric keys by their text", () => {
    expect(makeLocator("1: a\n2: b\n")([2])).toEqual({ line: 2, column: 1 });
  });

  it("reads text the fast parser refuses with the slower one (a repeated key at its first occurrence)", () => {
    expect(makeLocator("a: 1\na: 2\nb: 3\n")(["b"])).toEqual({ line: 3, column: 1 });
  });

  it("has no position for an empty document", () => {
    expect(makeLocator("")(["a"])).toBeUndefined();
  });
});

/** Where the `yaml` library puts the entry of a path: an independent parser, as the reference. */
function referencePosition(text: string, path: ReadonlyArray<string | number>): { line: number; column: number } | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema: "core", uniqueKeys: false, merge: false, lineCounter });
  let node: unknown = doc.contents;
  let offset = (node as YamlNode | null)?.range?.[0];
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      offset = (pair.key as YamlNode).range?.[0];
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as YamlNode | undefined;
      if (!item) break;
      offset = item.range?.[0];
      node = item;
    } else break;
  }
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function valueAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
}

type Tree = string | Tree[] | { [key: string]: Tree };

/** Every path to an entry of a value. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...pathsOf(v, [...prefix, i])]);
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
  return [];
}

/** A document in block style, with flow collections, quoting, empty values and comments mixed in. */
function render(tree: Tree, indent: number, style: number): string {
  const pad = " ".repeat(indent);
  if (typeof tree === "string") return tree;
  if (style % 5 === 4) return JSON.stringify(tree);
  if (Array.isArray(tree)) {
    if (tree.length === 0) return "[]";
    return tree.map((item, i) => `\n${pad}-${typeof item === "string" && item === "" ? "" : " "}${render(item, indent + 2, style + i).replace(/^\n\s*/, "")}`).join("");
  }
  const keys = Object.keys(tree);
  if (keys.length === 0) return "{}";
  return keys.map((k, i) => `\n${pad}${style % 3 === 1 ? JSON.stringify(k) : k}:${tree[k] === "" ? "" : " "}${render(tree[k]!, indent + 2, style + i)}${style % 7 === 3 ? " # note" : ""}`).join("");
}

const key = fc.constantFrom("id", "title", "text", "tags", "a", "b", "x y", "1", "k0", "k1");
const scalar = fc.constantFrom("", "v", "a", "b", "1", "null", "'q: r'", '"s"', "true");
const tree = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, fc.array(tie("tree"), { maxLength: 4 }), fc.dictionary(key, tie("tree"), { maxKeys: 4 })),
})).tree;

describe("makeLocator agrees with an independent parser", () => {
  it("on every entry of generated documents", () => {
    fc.assert(
      fc.property(tree, fc.nat(20), (t, style) => {
        const text = `${render(t, 0, style).replace(/^\n/, "")}\n`;
        const loaded = loadYaml("f.yml", text);
        fc.pre(loaded.value !== undefined);
        // Where the two parsers read different data (js-yaml lets an empty item take in the next, less
        // indented one: `- - -\n-` is [[[null, null]]]), their positions cannot be compared.
        fc.pre(JSON.stringify(loaded.value) === JSON.stringify(parse(text)));
        const at = makeLocator(text);
        for (const path of pathsOf(loaded.value)) {
          const reference = referencePosition(text, path);
          // An empty sequence item has no text: reqgate names its `-`, the reference the empty space after it.
          const empty = typeof path[path.length - 1] === "number" && valueAt(loaded.value, path) === null;
          expect([path, empty ? at(path)?.line : at(path)]).toEqual([path, empty ? reference?.line : reference]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
