// Safe YAML for user files. Two parsers, each for what it is best at:
// - js-yaml 4 (core schema) is the fast path: ~6x faster than `yaml` on many small files, rejects
//   duplicate keys and unknown tags, caps nesting depth. It turns aliases into shared references, which
//   would explode when hashed or serialised, so any shared reference sends the file to the slow path.
// - `yaml` is the slow path: it caps alias expansion. Positions of diagnostics come from js-yaml's
//   marks, re-read only for the files that have some (`yaml` is ~5x slower at that).
// Both paths produce the same plain data: null-prototype objects, arrays, strings, numbers, booleans, null.
import jsYaml from "js-yaml";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Node as YamlNode, type Pair, type YAMLMap } from "yaml";
import { diagnostic, type Diagnostic, type YamlPath } from "../core/diagnostic.js";
import { CONFIG_PATH } from "../config/config-path.js";

export type YamlValue = null | boolean | number | string | YamlValue[] | { [key: string]: YamlValue };

export const MAX_DEPTH = 64;
/** Reused: a decoder per file is measurable over 50k files. `fatal`: invalid UTF-8 throws instead of becoming U+FFFD. */
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });
const MAX_ALIAS_COUNT = 100;

/** Bytes or text from a Source -> text, or a diagnostic for files that are too large, binary or not UTF-8. */
export function decodeText(
  file: string,
  content: string | Uint8Array,
  maxBytes: number,
): { text?: string; diagnostics: Diagnostic[] } {
  // A UTF-16 unit is at most 3 UTF-8 bytes: the exact byte count of a text is needed only near the bound.
  const size = typeof content === "string" ? (content.length * 3 <= maxBytes ? content.length : Buffer.byteLength(content, "utf8")) : content.byteLength;
  if (size > maxBytes) {
    return fail(file, "file-too-large", `the file is ${formatSize(size)}, over the ${formatSize(maxBytes)} limit`, `split it into smaller files, or raise requirements.max_file_kb in ${CONFIG_PATH}`);
  }
  let text: string;
  if (typeof content === "string") {
    text = content;
  } else {
    try {
      text = STRICT_UTF8.decode(content);
    } catch {
      return fail(file, "not-utf8", "the file is not UTF-8 text", "save it as UTF-8");
    }
  }
  if (text.includes("\u0000")) return fail(file, "binary-file", "the file contains NUL bytes: it looks binary, not YAML", "remove it from the requirement paths");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, diagnostics: [] };
}

/** Parses one YAML document. Never throws. */
export function loadYaml(file: string, text: string): { value?: YamlValue; diagnostics: Diagnostic[] } {
  let raw: unknown;
  try {
    raw = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: file });
  } catch (error) {
    return { diagnostics: [fromJsYamlError(file, error)] };
  }
  // js-yaml's output is plain data already (it stores a `__proto__` key as an own property); it only
  // needs checking for shared references and depth, which costs no allocation.
  // Shared references come only from aliases (`*name`): a text without `*` needs the depth checked alone.
  const problem = text.includes("*") ? inspect(raw) : depthProblem(raw, 0);
  if (problem === undefined) return { value: raw as YamlValue, diagnostics: [] };
  if (problem === "too-deep") return fail(file, "yaml-too-deep", `the document is nested more than ${MAX_DEPTH} levels deep`, "flatten the structure");
  return loadWithAliases(file, text);
}

/** The slow path, for documents with anchors and aliases: `yaml` caps alias expansion. */
function loadWithAliases(file: string, text: string): { value?: YamlValue; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema: "core", uniqueKeys: true, merge: false, lineCounter, prettyErrors: false });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const { line, col } = lineCounter.linePos(problem.pos[0]);
    return { diagnostics: [diagnostic({ code: "yaml-syntax", file, line, column: col, message: firstLine(problem.message) })] };
  }
  // Where the first merge key or alias is: every YAML diagnostic has a line.
  let merge: number | undefined;
  let alias: number | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (merge === undefined && isScalar(pair.key) && pair.key.value === "<<") merge = pair.key.range?.[0];
    },
    Alias(_, node) {
      if (alias === undefined) alias = node.range?.[0];
    },
  });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  try {
    const plain = toPlain(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
    if (plain.ok) return { value: plain.value, diagnostics: [] };
    if (plain.reason === "too-deep") return fail(file, "yaml-too-deep", `the document is nested more than ${MAX_DEPTH} levels deep`, "flatten the structure");
  } catch {
    return { diagnostics: [diagnostic({ code: "yaml-alias-limit", file, ...at(alias), message: "the document expands aliases (*name) too many times", hint: "write the values out instead of using anchors and aliases" })] };
  }
  // A shared value: an alias used as a value (a merge key `<<: *name` is the usual one).
  if (merge !== undefined) {
    return { diagnostics: [diagnostic({ code: "yaml-merge-key", file, ...at(merge), message: "merge keys (`<<: *name`) are not supported", hint: "write the keys out in this mapping instead of merging an anchor" })] };
  }
  return { diagnostics: [diagnostic({ code: "yaml-alias", file, ...at(alias), message: "aliases (`*name`) of anchored values are not supported", hint: "write the value out instead of using an anchor and an alias" })] };
}

type PlainResult = { ok: true; value: YamlValue } | { ok: false; reason: "shared" | "too-deep" };

/** Why parser output is not usable as it is: a shared reference (an alias) or excessive depth. */
function inspect(root: unknown): "shared" | "too-deep" | undefined {
  if (root === null || typeof root !== "object") return undefined;
  const seen = new Set<object>();
  const stack: Array<[object, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) return "too-deep";
    if (seen.has(node)) return "shared";
    seen.add(node);
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
  return undefined;
}

/** "too-deep" when `node` nests more than MAX_DEPTH levels below `depth`; no allocation but Object.values. */
function depthProblem(node: unknown, depth: number): "too-deep" | undefined {
  if (node === null || typeof node !== "object") return undefined;
  if (depth > MAX_DEPTH) return "too-deep";
  const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
  for (const child of children) if (child !== null && typeof child === "object" && depthProblem(child, depth + 1) !== undefined) return "too-deep";
  return undefined;
}

/** A deep copy with null-prototype objects, for values that are kept and looked up by key (attributes). */
export function nullPrototypeCopy(value: YamlValue): YamlValue {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(nullPrototypeCopy);
  const out = Object.create(null) as { [key: string]: YamlValue };
  for (const key of Object.keys(value)) out[key] = nullPrototypeCopy(value[key]!);
  return out;
}

/** Copies parser output into plain data, rejecting shared references (aliases) and excessive depth. */
function toPlain(root: unknown): PlainResult {
  const seen = new Set<object>();
  let failure: "shared" | "too-deep" | undefined;
  const copy = (value: unknown, depth: number): YamlValue => {
    if (failure) return null;
    if (value === null || value === undefined) return null;
    if (typeof value !== "object") {
      // Whatever else a parser yields here (a bigint) is shown as text; no YAML parser yields a function.
      // eslint-disable-next-line @typescript-eslint/no-base-to-string
      return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : String(value);
    }
    if (depth > MAX_DEPTH) {
      failure = "too-deep";
      return null;
    }
    if (seen.has(value)) {
      failure = "shared";
      return null;
    }
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => copy(item, depth + 1));
    const out = Object.create(null) as { [key: string]: YamlValue };
    for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key], depth + 1);
    return out;
  };
  const value = copy(root, 0);
  return failure ? { ok: false, reason: failure } : { ok: true, value };
}

function fromJsYamlError(file: string, error: unknown): Diagnostic {
  if (error instanceof jsYaml.YAMLException) {
    const mark = error.mark as { line?: number; column?: number } | undefined;
    const reason = error.reason || "invalid YAML";
    const hint = reason.startsWith("duplicated mapping key")
      ? "each key may appear once in a mapping; remove or rename the repeated key"
      : reason.startsWith("unknown tag")
        ? "custom tags (!!js/..., !tag) are not allowed; write plain values"
        : undefined;
    return diagnostic({
      code: reason.startsWith("nesting exceeded") ? "yaml-too-deep" : "yaml-syntax",
      file,
      line: (mark?.line ?? 0) + 1,
      column: (mark?.column ?? 0) + 1,
      message: `invalid YAML: ${reason}`,
      ...(hint ? { hint } : {}),
    });
  }
  // A parser bug or a stack overflow on pathological input: still the user's file, still a diagnostic.
  return diagnostic({ code: "yaml-syntax", file, message: "the file could not be read as YAML", hint: "check that it is a plain YAML document" });
}

/**
 * Fills in line/column for diagnostics that carry a YAML `path` but no position, re-reading only the
 * files involved (once each). `textOf` returns a file's text, or undefined when it is not available.
 */
export function resolvePositions(diagnostics: readonly Diagnostic[], textOf: (file: string) => string | undefined): Diagnostic[] {
  const locators = new Map<string, ((path: YamlPath) => { line: number; column: number } | undefined) | undefined>();
  const locatorFor = (file: string) => {
    if (!locators.has(file)) {
      const text = textOf(file);
      locators.set(file, text === undefined ? undefined : makeLocator(text));
    }
    return locators.get(file);
  };
  const place = <T extends { file: string; line: number; column: number; path?: YamlPath }>(item: T): T => {
    if (item.line > 0 || item.path === undefined) return item;
    const pos = locatorFor(item.file)?.(item.path);
    return pos ? { ...item, ...pos } : item;
  };
  return diagnostics.map((d) => {
    const placed = place(d);
    return d.related ? { ...placed, related: d.related.map(place) } : placed;
  });
}

/** A node as js-yaml composed it: the offsets where it starts and ends, its value and its child nodes. */
interface Mark {
  start: number;
  end: number;
  value: unknown;
  children: Mark[];
}

/** What js-yaml's `listener` is handed: its parser state (the fields read here). */
interface ListenerState {
  position: number;
  result: unknown;
}

/**
 * A function from YAML path to the 1-based position of that entry (the key of a pair, the item of a
 * sequence). Built on the fast parser's marks: js-yaml re-reads the file once with a listener that records
 * where each node starts (the `yaml` library's CST, used before, cost over a second for a 500 KiB file).
 */
export function makeLocator(text: string): (path: YamlPath) => { line: number; column: number } | undefined {
  const root = marksOf(text);
  if (root === undefined) return makeCstLocator(text);
  let starts: number[] | undefined;
  const lineStarts = () => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    }
    return starts;
  };
  const position = (offset: number) => {
    const lines = lineStarts();
    let line = 0;
    for (let hi = lines.length; line + 1 < hi; ) {
      const mid = (line + hi) >> 1;
      if (lines[mid]! <= offset) line = mid;
      else hi = mid;
    }
    return { line: line + 1, column: offset - lines[line]! + 1 };
  };
  const keyIndexes = new WeakMap<Mark, Map<string, number>>();
  const keysOf = (node: Mark): Map<string, number> => {
    let index = keyIndexes.get(node);
    if (!index) {
      index = new Map();
      node.children.forEach((child, i) => {
        if (isKey(text, child)) {
          const key = String(child.value);
          if (!index!.has(key)) index!.set(key, i);
        }
      });
      keyIndexes.set(node, index);
    }
    return index;
  };
  return (path) => {
    let node: Mark | undefined = root;
    let at: Mark = root;
    for (const segment of path) {
      node = unwrap(node);
      const value: unknown = node.value;
      if (Array.isArray(value) && typeof segment === "number") {
        const item = itemOf(text, node, value, segment);
        if (item === undefined) break;
        // An empty item composes no node: its place is its `-`.
        if (typeof item === "number") return position(item);
        at = item;
        node = item;
      } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        const i = keysOf(node).get(String(segment));
        if (i === undefined) break;
        at = node.children[i]!;
        // The value is the next node, unless that is the next key (an empty value composes no node).
        const next: Mark | undefined = node.children[i + 1];
        node = next && !isKey(text, next) ? next : undefined;
        if (!node) break;
      } else {
        break;
      }
    }
    // An explicit key's node starts at the blank after its `?`.
    let offset = at.start;
    while (text[offset] === " " || text[offset] === "\t") offset++;
    return position(offset);
  };
}

/** The nodes of a document as js-yaml reads it (same schema as loadYaml), or undefined when it does not read. */
function marksOf(text: string): Mark | undefined {
  const stack: Mark[] = [];
  let root: Mark | undefined;
  const listener = (event: "open" | "close", state: ListenerState) => {
    if (event === "open") {
      stack.push({ start: state.position, end: state.position, value: undefined, children: [] });
      return;
    }
    const node = stack.pop()!;
    node.end = state.position;
    node.value = state.result;
    const parent = stack[stack.length - 1];
    if (!parent) {
      root ??= node;
      return;
    }
    // js-yaml may try a reading and roll it back (a tagged or anchored node); what that try composed
    // starts at or after this node and is not a sibling of it.
    const siblings = parent.children;
    while (siblings.length > 0 && siblings[siblings.length - 1]!.start >= node.start) siblings.pop();
    siblings.push(node);
  };
  try {
    jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, listener });
  } catch {
    return undefined;
  }
  return root;
}

/** A node js-yaml composed as an attempt at a block mapping that turned out to be the one node inside. */
function unwrap(node: Mark): Mark {
  let inner = node;
  while (inner.children.length === 1 && inner.children[0]!.value === inner.value && typeof inner.value === "object") inner = inner.children[0]!;
  return inner;
}

/** A key is followed by `:` on its line, or follows a `?` (an explicit key). */
function isKey(text: string, node: Mark): boolean {
  let i = node.end;
  while (text[i] === " " || text[i] === "\t") i++;
  if (text[i] === ":") return true;
  let j = node.start - 1;
  while (text[j] === " " || text[j] === "\t") j--;
  return text[j] === "?" && node.start > 0;
}

/**
 * The node of item `index`, or the offset of its `-` when it is empty (`-` alone on its line composes no
 * node). When there are fewer nodes than items, the `-` indicators before each node say which item it is.
 */
function itemOf(text: string, node: Mark, items: readonly unknown[], index: number): Mark | number | undefined {
  if (index >= items.length) return undefined;
  if (items.length === node.children.length) return node.children[index];
  let item = -1;
  let from = node.start;
  for (const child of [...node.children, undefined]) {
    const dashes = indicators(text, from, child?.start ?? node.end);
    if (dashes === undefined) return undefined;
    if (item + dashes.length >= index) return child && item + dashes.length === index ? child : dashes[index - item - 1];
    item += dashes.length;
    if (!child) return undefined;
    from = child.end;
  }
  return undefined;
}

/** The offsets of the `-` indicators in [from, to), passing blanks and comments; undefined on anything else. */
function indicators(text: string, from: number, to: number): number[] | undefined {
  const found: number[] = [];
  for (let i = from; i < to; i++) {
    const ch = text[i];
    if (ch === "#") {
      const eol = text.indexOf("\n", i);
      i = eol === -1 ? to : eol;
    } else if (ch === "-") {
      found.push(i);
    } else if (ch !== " " && ch !== "\t" && ch !== "\n" && ch !== "\r") {
      return undefined;
    }
  }
  return found;
}

/**
 * The `yaml` library's positions, for text js-yaml does not read: a file loadYaml refused has no path
 * diagnostics of its own, but a caller may still ask (a repeated key is found at its first occurrence).
 */
function makeCstLocator(text: string): (path: YamlPath) => { line: number; column: number } | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema: "core", uniqueKeys: false, merge: false, lineCounter, keepSourceTokens: false });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  // Each mapping's keys are indexed on first lookup: one diagnostic per key of a 60,000-key mapping
  // costs a map lookup each, not a scan of the mapping.
  const indexes = new WeakMap<object, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) {
        if (!isPair(p) || !isScalar(p.key)) continue;
        const k = String(p.key.value);
        if (!index.has(k)) index.set(k, p);
      }
      indexes.set(map, index);
    }
    return index.get(key);
  };
  return (path) => {
    let node: unknown = doc.contents;
    let offset: number | undefined = (node as YamlNode | null)?.range?.[0];
    for (const segment of path) {
      if (isMap(node)) {
        const pair = pairOf(node, String(segment));
        if (!pair) break;
        offset = (pair.key as YamlNode).range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        const item = node.items[segment] as YamlNode | undefined;
        if (!item) break;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else {
        break;
      }
    }
    return offset === undefined ? undefined : at(offset);
  };
}

function fail(file: string, code: string, message: string, hint?: string): { diagnostics: Diagnostic[] } {
  return { diagnostics: [diagnostic({ code, file, message, ...(hint ? { hint } : {}) })] };
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
