// The plain YAML that requirement files and change records are usually written in, read without a
// general parser: one mapping of `key: value` lines whose values are single-line scalars, `[a, b]`
// lists, `- item` lists and `>` / `|` text blocks. The result is exactly what js-yaml (core schema)
// returns for the same text; anything outside this subset (comments, tabs, anchors, nested mappings,
// values that could be numbers, booleans or null, ...) is undefined, and js-yaml parses it instead.
// Measured: js-yaml was the largest part of `reqgate check` (about a fifth at 10k and 50k files);
// this reads the same files several times faster.
import type { YamlValue } from "./yaml.js";

/** What js-yaml refuses as "non-printable characters" (its own test): such a text is left to it. */
// eslint-disable-next-line no-control-regex -- the control characters are what is looked for
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
/** Anything but printable ASCII without `#`, and newlines. */
const NOT_PLAIN_ASCII = /[^\n\x20-\x22\x24-\x7e]/;
/** `key:` or `key: rest` at the start of a line. */
const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/;
/** Keys that YAML would read as null or a boolean (`True:` is the key "true"). */
const RESOLVED_KEY = /^(?:null|true|false)$/i;
/** Plain scalars that may resolve to something other than a string: numbers, `.inf`, `~`, null, booleans. */
const MAYBE_NOT_STRING = /^(?:[-+.0-9~]|(?:null|true|false)$)/i;

/** js-yaml's value for `text` when it is in the plain subset; undefined otherwise (never a different value). */
export function loadPlainYaml(text: string): YamlValue | undefined {
  // Comments, tabs, CR line ends and trailing spaces change how lines are read: left to js-yaml. A text
  // of printable ASCII (the usual one) needs one scan for all of that but the trailing spaces.
  if (text.includes(" \n") || text.endsWith(" ")) return undefined;
  if (NOT_PLAIN_ASCII.test(text) && (text.includes("#") || text.includes("\t") || text.includes("\r") || NON_PRINTABLE.test(text))) return undefined;
  const lines = text.split("\n");
  const out: { [key: string]: YamlValue } = {};
  let keys = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    i++;
    if (line === "") continue;
    const match = KEY_LINE.exec(line);
    if (!match) return undefined;
    const key = match[1]!;
    // A repeated key is an error that js-yaml reports; `__proto__` stays its business too.
    if (RESOLVED_KEY.test(key) || key === "__proto__" || Object.hasOwn(out, key)) return undefined;
    const rest = match[2] ?? "";
    let value: YamlValue | undefined;
    if (rest === "") {
      const list = blockList(lines, i);
      if (list === undefined) return undefined;
      [value, i] = list;
    } else if (rest === ">" || rest === "|" || rest === ">-" || rest === "|-") {
      const block = textBlock(lines, i, rest[0] === ">", rest.length === 1);
      if (block === undefined) return undefined;
      [value, i] = block;
    } else {
      value = inlineValue(rest);
    }
    if (value === undefined) return undefined;
    out[key] = value;
    keys++;
  }
  return keys === 0 ? undefined : out;
}

/**
 * The `- item` lines after `key:` (at one indentation, the key's own included), or null when the next
 * line is another key; undefined for anything else indented under the key (a nested mapping, a
 * continued scalar). Returns the value and the index of the first line after it.
 */
function blockList(lines: readonly string[], start: number): [YamlValue, number] | undefined {
  let i = start;
  while (i < lines.length && lines[i] === "") i++;
  if (i === lines.length || !isItem(lines[i]!)) {
    // Nothing, or the next key: the value is null. An indented line is something this does not read.
    return i < lines.length && lines[i]!.startsWith(" ") ? undefined : [null, start];
  }
  const indent = indentOf(lines[i]!);
  const items: string[] = [];
  let end = i;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    if (indentOf(line) !== indent || !isItem(line)) break;
    const item = inlineScalar(line.slice(indent + 2));
    if (item === undefined) return undefined;
    items.push(item);
    end = i + 1;
  }
  return [items, end];
}

/** `- ` after the line's indentation. */
function isItem(line: string): boolean {
  return line.startsWith("- ", indentOf(line));
}

/**
 * A `>` (folded) or `|` (literal) block with clip (`keep`: one final newline) or strip chomping: the
 * lines after the header at the indentation of the first; undefined when the block starts with an empty
 * line or holds a more indented line (their folding rules are left to js-yaml).
 */
function textBlock(lines: readonly string[], start: number, folded: boolean, keep: boolean): [string, number] | undefined {
  const first = lines[start];
  if (first === undefined || first === "") return undefined;
  const indent = indentOf(first);
  if (indent === 0) return undefined;
  let value = "";
  let empty = 0; // empty lines since the last content line
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") {
      empty++;
      continue;
    }
    const own = indentOf(line);
    if (own < indent) break;
    if (own > indent) return undefined;
    const content = line.slice(indent);
    if (i === start) value = content;
    // Folded: a line break between two lines is a space, and n empty lines between them are n newlines.
    else if (folded) value += (empty === 0 ? " " : "\n".repeat(empty)) + content;
    else value += "\n".repeat(empty + 1) + content;
    empty = 0;
  }
  // Trailing empty lines are dropped by both chompings; the lines after the block begin at `i - empty`.
  // (js-yaml's clip ends the text with a newline even where the file does not.)
  return [keep ? `${value}\n` : value, i - empty];
}

/** A value on the key's line: a quoted or plain scalar, or a flow list `[a, b]`. */
function inlineValue(text: string): YamlValue | undefined {
  if (!text.startsWith("[")) return inlineScalar(text);
  if (!text.endsWith("]")) return undefined;
  const inner = text.slice(1, -1);
  if (/^ *$/.test(inner)) return [];
  const items: string[] = [];
  for (const part of inner.split(",")) {
    const item = part.replace(/^ +| +$/g, "");
    // Inside a flow list, `[]{}:` and quotes would start structure; a `"a, b"` item is split above.
    if (item === "" || /[[\]{}:'"]/.test(item) || !plainScalar(item)) return undefined;
    items.push(item);
  }
  return items;
}

/** A single-line scalar in block context: "double" or 'single' quoted without escapes, or plain. */
function inlineScalar(text: string): string | undefined {
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    const inner = text.slice(1, -1);
    return text.length >= 2 && text.endsWith(quote) && !inner.includes(quote) && (quote === "'" || !inner.includes("\\")) ? inner : undefined;
  }
  return plainScalar(text) ? text : undefined;
}

/** A plain scalar that is certainly a string: no indicator first, no `: `, nothing that resolves to another type. */
function plainScalar(text: string): boolean {
  return text !== "" && !"-?:,[]{}&*!|>'\"%@` ".includes(text[0]!) && !text.includes(":") && !MAYBE_NOT_STRING.test(text);
}

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 0x20) n++;
  return n;
}
