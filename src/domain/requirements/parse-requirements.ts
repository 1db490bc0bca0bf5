// A requirement file's content -> requirements + diagnostics (SPEC 1.1). Never throws on user input.
import type { z } from "zod";
import { diagnostic, type Diagnostic, type YamlPath } from "../core/diagnostic.js";
import { editDistance, idPrefix } from "./ids.js";
import type { ChangeRecord, Requirement } from "./requirement.js";
import { ChangeRecordSchema, CHANGE_RECORD_KEYS, quickChangeRecord, quickRequirement, REQUIREMENT_KEYS, RequirementSchema } from "./schemas.js";
import { decodeText, loadYaml, nullPrototypeCopy, type YamlValue } from "./yaml.js";
import { CONFIG_PATH } from "../config/config-path.js";

/** What `reqgate init --adopt` writes into a rationale for a person to replace. */
export const ADOPTION_PLACEHOLDER = "TO COMPLETE:";

/** Unknown keys named one by one per mapping; the rest are one counted finding. */
const MAX_UNKNOWN_KEYS = 20;

export interface ParseOptions {
  /** Allowed requirement ID prefixes. */
  prefixes: ReadonlySet<string>;
  /** Files larger than this are rejected before parsing. */
  maxBytes: number;
}

export interface ParsedRequirements {
  requirements: Requirement[];
  diagnostics: Diagnostic[];
  /** The decoded text, kept so that diagnostics can be placed later; undefined for unreadable files. */
  text?: string;
}

export function parseRequirementFile(file: string, content: string | Uint8Array, options: ParseOptions): ParsedRequirements {
  const decoded = decodeText(file, content, options.maxBytes);
  if (decoded.text === undefined) return { requirements: [], diagnostics: decoded.diagnostics };
  const text = decoded.text;
  const loaded = loadYaml(file, text);
  if (loaded.value === undefined) return { requirements: [], diagnostics: loaded.diagnostics, text };

  const doc = loaded.value;
  const diagnostics: Diagnostic[] = [];
  const requirements: Requirement[] = [];
  const entries: Array<{ value: YamlValue; path: YamlPath }> = [];

  if (isMapping(doc) && "requirements" in doc && !("id" in doc)) {
    const extra = Object.keys(doc).filter((k) => k !== "requirements");
    for (const key of extra) {
      diagnostics.push(diagnostic({ code: "unknown-key", file, path: [key], message: `unknown key "${key}" next to \`requirements:\``, hint: "a file holds either one requirement or a `requirements:` list" }));
    }
    const list = doc.requirements;
    if (!Array.isArray(list)) {
      diagnostics.push(diagnostic({ code: "invalid-field", file, path: ["requirements"], message: "`requirements` must be a list of requirements" }));
    } else {
      list.forEach((value, i) => entries.push({ value, path: ["requirements", i] }));
    }
  } else if (isMapping(doc)) {
    entries.push({ value: doc, path: [] });
  } else if (doc === null) {
    diagnostics.push(diagnostic({ code: "empty-file", file, severity: "warning", message: "the file is empty", hint: "add a requirement or remove the file" }));
  } else {
    diagnostics.push(diagnostic({ code: "invalid-file", file, line: 1, column: 1, message: "a requirement file must be a mapping with `id`, or with a `requirements:` list" }));
  }

  for (const entry of entries) {
    const parsed = parseRequirement(file, entry.value, entry.path, options.prefixes);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.requirement) requirements.push(parsed.requirement);
  }
  return { requirements, diagnostics, text };
}

function parseRequirement(
  file: string,
  value: YamlValue,
  path: YamlPath,
  prefixes: ReadonlySet<string>,
): { requirement?: Requirement; diagnostics: Diagnostic[] } {
  if (!isMapping(value)) {
    return { diagnostics: [diagnostic({ code: "invalid-field", file, path, message: "a requirement must be a mapping with id, title and text" })] };
  }
  let r = quickRequirement(value);
  if (r === undefined) {
    const result = RequirementSchema.safeParse(value);
    if (!result.success) return { diagnostics: zodDiagnostics(file, path, result.error, REQUIREMENT_KEYS, value) };
    r = result.data;
  }
  const diagnostics: Diagnostic[] = [];
  const at = (...rest: Array<string | number>): YamlPath => [...path, ...rest];

  checkId(r.id, prefixes, file, at("id"), "requirement", diagnostics);
  if (r.title.trim() === "") diagnostics.push(diagnostic({ code: "empty-field", file, path: at("title"), message: `${r.id}: the title is empty`, hint: "give the requirement a one-line title" }));
  if (r.text.trim() === "") diagnostics.push(diagnostic({ code: "empty-field", file, path: at("text"), message: `${r.id}: the text is empty`, hint: "state what the system shall do" }));
  // One match of the ID pattern per ID (idPrefix: undefined when it is not PREFIX-NUMBER).
  for (let i = 0; i < r.parents.length; i++) {
    const parent = r.parents[i]!;
    const prefix = idPrefix(parent);
    if (prefix === undefined) {
      diagnostics.push(diagnostic({ code: "invalid-id", file, path: at("parents", i), message: `${r.id}: parent "${parent}" is not an ID of the form PREFIX-NUMBER` }));
    } else if (!prefixes.has(prefix)) {
      diagnostics.push(diagnostic({ code: "unknown-prefix", file, path: at("parents", i), message: `${r.id}: parent ${parent} has prefix ${prefix}, which is not configured`, hint: `add it to requirements.prefixes in ${CONFIG_PATH} (now: ${[...prefixes].join(", ")})` }));
    } else if (parent === r.id) {
      diagnostics.push(diagnostic({ code: "parent-cycle", file, path: at("parents", i), message: `${r.id} lists itself as its parent` }));
    }
  }
  if (r.superseded_by !== undefined && r.status !== "retired") {
    diagnostics.push(diagnostic({ code: "superseded-not-retired", file, path: at("superseded_by"), message: `${r.id}: superseded_by is only allowed with status: retired`, hint: "set status: retired, or remove superseded_by" }));
  }
  if (diagnostics.some((d) => d.code === "invalid-id" && d.path?.at(-1) === "id" || d.code === "unknown-prefix" && d.path?.at(-1) === "id")) {
    return { diagnostics };
  }
  const requirement: Requirement = {
    id: r.id,
    title: unshared(r.title),
    text: unshared(r.text),
    status: r.status,
    parents: r.parents,
    tags: r.tags,
    links: r.links,
    // Taken from the parser's null-prototype copy: zod's record output is a plain `{}`, on which a
    // user's `__proto__` key would become the prototype instead of an attribute.
    attributes: value.attributes === undefined ? (Object.create(null) as Record<string, unknown>) : (nullPrototypeCopy(value.attributes) as Record<string, unknown>),
    origin: { file, path },
  };
  if (r.verification !== undefined) requirement.verification = r.verification;
  if (r.owner !== undefined) requirement.owner = r.owner;
  if (r.superseded_by !== undefined) requirement.supersededBy = r.superseded_by;
  return { requirement, diagnostics };
}

/**
 * A copy of `s` that is not a slice of the parser's text: js-yaml parses a copy of each file (its input
 * plus a terminator) and its scalars are slices of that copy, so one kept title keeps the whole file's
 * copy alive (50k files: ~14 MB more to carry through every garbage collection).
 */
function unshared(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}

export interface ParsedChangeRecord {
  record?: ChangeRecord;
  diagnostics: Diagnostic[];
  text?: string;
}

/** A change record file (SPEC 1.3): one record per file. */
export function parseChangeRecordFile(
  file: string,
  content: string | Uint8Array,
  options: { changePrefix: string; prefixes: ReadonlySet<string>; maxBytes: number },
): ParsedChangeRecord {
  const decoded = decodeText(file, content, options.maxBytes);
  if (decoded.text === undefined) return { diagnostics: decoded.diagnostics };
  const text = decoded.text;
  const loaded = loadYaml(file, text);
  if (loaded.value === undefined) return { diagnostics: loaded.diagnostics, text };
  if (!isMapping(loaded.value)) {
    return { diagnostics: [diagnostic({ code: "invalid-file", file, line: 1, column: 1, message: "a change record must be a mapping with id, title, rationale and affects" })], text };
  }
  let c = quickChangeRecord(loaded.value);
  if (c === undefined) {
    const result = ChangeRecordSchema.safeParse(loaded.value);
    if (!result.success) return { diagnostics: zodDiagnostics(file, [], result.error, CHANGE_RECORD_KEYS, loaded.value), text };
    c = result.data;
  }
  const diagnostics: Diagnostic[] = [];
  checkId(c.id, new Set([options.changePrefix]), file, ["id"], "change record", diagnostics);
  if (c.rationale.trim() === "") diagnostics.push(diagnostic({ code: "empty-field", file, path: ["rationale"], message: `${c.id}: the rationale is empty`, hint: "say why the baseline moves" }));
  if (c.rationale.includes(ADOPTION_PLACEHOLDER)) {
    // A warning for `check`; the pull-request check makes it a failure (evaluate-change.ts).
    diagnostics.push(diagnostic({ code: "placeholder-rationale", severity: "warning", file, path: ["rationale"], message: `${c.id}: the rationale is still the placeholder written by \`reqgate init --adopt\``, hint: "say who approved this requirement set, when, and where it is recorded" }));
  }
  if (c.affects.length === 0) diagnostics.push(diagnostic({ code: "empty-field", file, path: ["affects"], message: `${c.id}: affects lists no requirement`, hint: "list the requirements this change adds, modifies, retires or removes" }));
  c.affects.forEach((id, i) => {
    const prefix = idPrefix(id);
    if (prefix === undefined || !options.prefixes.has(prefix)) {
      diagnostics.push(diagnostic({ code: "invalid-id", file, path: ["affects", i], message: `${c.id}: "${id}" in affects is not a requirement ID`, hint: `IDs look like ${[...options.prefixes][0] ?? "REQ"}-001` }));
    }
  });
  if (diagnostics.some((d) => d.severity === "error" && d.path?.[0] === "id")) return { diagnostics, text };
  return { record: { id: c.id, title: c.title, rationale: c.rationale, affects: c.affects, origin: { file, path: [] } }, diagnostics, text };
}

function checkId(id: string, prefixes: ReadonlySet<string>, file: string, path: YamlPath, what: string, out: Diagnostic[]): void {
  // The usual valid ID costs one match of the ID pattern.
  const prefix = idPrefix(id);
  if (prefix !== undefined) {
    if (!prefixes.has(prefix)) out.push(diagnostic({ code: "unknown-prefix", file, path, message: `${id}: prefix ${prefix} is not a configured ${what} prefix`, hint: `use ${[...prefixes].join(" or ")}, or configure the prefix in ${CONFIG_PATH}` }));
    return;
  }
  const long = /^([A-Z][A-Z0-9_]*)-([0-9]+)$/.exec(id);
  if (long) {
    // The shape is right, a part is too long: say which, not "not a valid ID".
    const [, prefix, digits] = long as unknown as [string, string, string];
    const why = digits.length > 9 ? `its number has ${digits.length} digits, at most 9 are allowed` : `its prefix has ${prefix.length} characters, at most 20 are allowed`;
    out.push(diagnostic({ code: "invalid-id", file, path, message: `"${id.length > 60 ? `${id.slice(0, 60)}…` : id}" is too long for a ${what} ID: ${why}`, hint: `IDs are PREFIX-NUMBER, e.g. ${[...prefixes][0] ?? "REQ"}-001` }));
    return;
  }
  out.push(diagnostic({ code: "invalid-id", file, path, message: `"${id}" is not a valid ${what} ID`, hint: `IDs are PREFIX-NUMBER, e.g. ${[...prefixes][0] ?? "REQ"}-001` }));
}

function zodDiagnostics(file: string, base: YamlPath, error: z.ZodError, knownKeys: readonly string[], input: YamlValue): Diagnostic[] {
  return error.issues.flatMap((issue) => {
    const path = [...base, ...issue.path.filter((p): p is string | number => typeof p !== "symbol")];
    const field = issue.path.length ? `\`${issue.path.join(".")}\`` : "the entry";
    if (issue.code === "unrecognized_keys") {
      // A handful name the keys; the rest are counted, at the first one left out (a file of 50,000
      // unknown keys is one mistake, not 50,000 findings to place, render and publish).
      const named = issue.keys.slice(0, MAX_UNKNOWN_KEYS).map((key) => {
        const near = knownKeys.find((k) => editDistance(k, key, 3) <= 2);
        return diagnostic({
          code: "unknown-key",
          file,
          path: [...path, key],
          message: `unknown key "${key}"`,
          hint: near ? `did you mean "${near}"?` : `allowed keys: ${knownKeys.join(", ")}; put free-form data under \`attributes:\``,
        });
      });
      const rest = issue.keys.length - named.length;
      if (rest > 0) {
        named.push(diagnostic({ code: "unknown-key", file, path: [...path, issue.keys[MAX_UNKNOWN_KEYS]!], message: `and ${rest} more unknown keys`, hint: `allowed keys: ${knownKeys.join(", ")}; put free-form data under \`attributes:\`` }));
      }
      return named;
    }
    // An empty list item (`-` alone on its line) is no missing field: point at the item itself.
    if (issue.code === "invalid_type" && issue.input == null && typeof issue.path.at(-1) === "number") {
      return [diagnostic({ code: "invalid-field", file, path, message: `${field} is an empty list item`, hint: "write a value after the `-`, or remove the line" })];
    }
    if (issue.code === "invalid_type" && issue.input === undefined) {
      return [diagnostic({ code: "missing-field", file, path: base, message: `${field} is required` })];
    }
    if (issue.code === "invalid_value" && "values" in issue) {
      return [diagnostic({ code: "invalid-field", file, path, message: `${field} must be one of ${issue.values.join(", ")}`, hint: `got ${JSON.stringify(valueAt(input, issue.path))}` })];
    }
    if (issue.code === "invalid_type") {
      return [diagnostic({ code: "invalid-field", file, path, message: `${field} must be ${article(issue.expected)}, not ${describeValue(issue.input)}` })];
    }
    return [diagnostic({ code: "invalid-field", file, path, message: `${field}: ${issue.message}` })];
  });
}

function valueAt(root: YamlValue, path: ReadonlyArray<PropertyKey>): YamlValue | undefined {
  let node: YamlValue | undefined = root;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, YamlValue>)[key as string];
  }
  return node;
}

function article(expected: string): string {
  const names: Record<string, string> = { string: "text", array: "a list", object: "a mapping", record: "a mapping", number: "a number", boolean: "true or false" };
  return names[expected] ?? expected;
}

function describeValue(value: unknown): string {
  if (value === null) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return "text";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function isMapping(value: YamlValue | undefined): value is { [key: string]: YamlValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
