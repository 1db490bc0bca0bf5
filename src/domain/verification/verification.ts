// Verification that counts (SPEC 1.4 `verification.required`, `verification.results`): each
// requirement's evidence becomes passed / failed / skipped / not run from JUnit results, and missing or
// failed evidence of a demanded method is an error.
//
// A test case is tied to a requirement in two ways:
// - through the `@verifies` line of the test it runs: the tag belongs to the test declared on its line,
//   or on the next line that is not a comment, blank or an annotation, or (a tag that opens a test's
//   body) on the line above; a tag tied to no declaration covers its whole file. The case must have that
//   test's name (`lockout locks the account` ends with the title `locks the account`; `test_x[1]`,
//   `TestX/sub`, `x()` are forms of `test_x`, `TestX`, `x`) and, when the results say which file ran
//   (a `file` attribute, or a classname that is the file's module path: `tests.test_audit`,
//   `com.acme.LoginTest`), that file. A file-level tag needs results that name the file.
// - through the results themselves: a property named like `requirement` / `verifies` whose value names
//   the ID (pytest `record_property`, Surefire properties), or the ID in the test case's name.
//
// Status of a requirement, when results are configured: failed if any tied case failed, else passed if
// any passed, else skipped if any was skipped, else not-run (tags, but no result) or missing (nothing).
// With no results configured: tagged (a tag, outcome unknown) or missing.
import { diagnostic, type Diagnostic } from "../core/diagnostic.js";
import type { EvidenceRef } from "../requirements/evidence.js";
import { idPattern } from "../requirements/ids.js";
import type { Requirement, VerificationMethod } from "../requirements/requirement.js";
import type { TestCase, TestStatus } from "./junit.js";

/** Findings about evidence, not about the requirement files: they never stop `reqgate baseline`. */
export const EVIDENCE_CODES: ReadonlySet<string> = new Set(["verification-missing", "verification-failed", "verification-skipped", "verification-not-run", "results-invalid", "results-missing"]);

export type EvidenceStatus = "passed" | "failed" | "skipped" | "not-run" | "tagged" | "missing";

/** The test a `@verifies` line belongs to. */
export interface TestSelector {
  name: string;
  /** title: a quoted test title (jest, mocha, RSpec); identifier: a function or method name; group: a describe block or test class. */
  kind: "title" | "identifier" | "group-title" | "group-identifier";
}

export interface TestResultRef {
  resultFile: string;
  suite: string;
  classname?: string;
  name: string;
  file?: string;
  status: TestStatus;
  message?: string;
  /** How the case was tied: a `@verifies` tag (with the tag's place), a property, or its name. */
  via: "tag" | "property" | "name";
  tag?: { file: string; line: number };
}

export interface RequirementVerification {
  status: EvidenceStatus;
  results: TestResultRef[];
}

// ---------------------------------------------------------------------------------------------------
// Which test a tag belongs to

const JS_TEST = /\b(it|test|specify|describe|context|suite)(?:\.[A-Za-z]+)*\s*\(?\s*(["'`])((?:\\.|(?!\2)[^\\])*)\2/;
const PY_TEST = /^\s*(?:async\s+)?def\s+(test\w*)\s*\(/;
const PY_CLASS = /^\s*class\s+(Test\w*)\b/;
const GO_TEST = /^\s*func\s+(Test\w+)\s*\(/;
const RUST_TEST = /^\s*(?:pub\s+)?(?:async\s+)?fn\s+(\w+)\s*\(/;
const METHOD = /\b(?:void|fun|Task|async\s+Task)\s+(\w+)\s*\(/;
const SKIPPABLE = /^\s*(?:$|\/\/|#|\/\*|\*|--|@|\[|"""|''')/;
const LOOK = 12;

/** The test declared on a line, if any. */
export function testDeclaration(line: string): TestSelector | undefined {
  const js = JS_TEST.exec(line);
  if (js) return { name: js[3]!.replace(/\\(.)/g, "$1"), kind: /^(describe|context|suite)$/.test(js[1]!) ? "group-title" : "title" };
  const py = PY_TEST.exec(line) ?? GO_TEST.exec(line);
  if (py) return { name: py[1]!, kind: "identifier" };
  const cls = PY_CLASS.exec(line);
  if (cls) return { name: cls[1]!, kind: "group-identifier" };
  const m = METHOD.exec(line) ?? RUST_TEST.exec(line);
  if (m) return { name: m[1]!, kind: "identifier" };
  return undefined;
}

/**
 * The test each tag belongs to, for the tags of one file (1-based lines). The file's lines are split
 * once, and only for files that have tags.
 */
export function testsOfTags(text: string, tagLines: readonly number[]): Map<number, TestSelector | undefined> {
  const lines = text.split(/\r?\n/);
  const out = new Map<number, TestSelector | undefined>();
  for (const lineNo of tagLines) {
    if (out.has(lineNo)) continue;
    const at = lineNo - 1;
    const own = lines[at] ?? "";
    // Code before the comment on the tag's own line: `test("x", () => { // @verifies REQ-1`.
    const tagAt = own.search(/(\/\/|#|\/\*|--)\s*@verifies/);
    let found = tagAt > 0 ? testDeclaration(own.slice(0, tagAt)) : undefined;
    let decided = found !== undefined;
    for (let i = at + 1; !decided && i < Math.min(lines.length, at + 1 + LOOK); i++) {
      const line = lines[i]!;
      if (SKIPPABLE.test(line)) continue;
      found = testDeclaration(line);
      decided = found !== undefined;
      break;
    }
    for (let i = at - 1; !decided && i >= Math.max(0, at - LOOK); i--) {
      const line = lines[i]!;
      if (SKIPPABLE.test(line)) continue;
      const decl = testDeclaration(line);
      // Only a declaration that opens a body counts: `def test_x():`, `test("x", () => {`.
      if (decl !== undefined && /[{:]\s*$|=>\s*\{?\s*$|\bdo\s*$/.test(line)) found = decl;
      break;
    }
    out.set(lineNo, found);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Tying results to requirements

type FileMatch = "yes" | "no" | "unknown";

const MODULE_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

function fileMatch(evidenceFile: string, tc: TestCase): FileMatch {
  if (tc.file !== undefined) {
    const f = tc.file;
    return f === evidenceFile || f.endsWith(`/${evidenceFile}`) || evidenceFile.endsWith(`/${f}`) ? "yes" : "no";
  }
  const cls = tc.classname;
  if (cls === undefined || !MODULE_PATH.test(cls) || !cls.includes(".")) return "unknown";
  const dotted = evidenceFile.replace(/\.[^./]+$/, "").replace(/\//g, ".");
  if (cls === dotted || cls.startsWith(`${dotted}.`) || dotted.endsWith(`.${cls}`)) return "yes";
  // `tests.test_audit.TestX` against `test_audit.py` run from inside tests/.
  for (let i = cls.indexOf("."); i !== -1; i = cls.indexOf(".", i + 1)) if (dotted === cls.slice(0, i) || dotted.endsWith(`.${cls.slice(0, i)}`)) return "yes";
  return "no";
}

function nameMatches(tc: TestCase, test: TestSelector): boolean {
  const n = tc.name;
  const t = test.name;
  switch (test.kind) {
    case "title":
      return n === t || n.endsWith(` ${t}`) || n.endsWith(`.${t}`) || n.endsWith(`/${t}`);
    case "group-title":
      return n === t || n.startsWith(`${t} `) || n.includes(` ${t} `) || tc.suite === t || (tc.classname !== undefined && (tc.classname === t || tc.classname.startsWith(`${t} `)));
    case "identifier":
      return n === t || n.startsWith(`${t}[`) || n.startsWith(`${t}/`) || n.startsWith(`${t}(`) || n.endsWith(`.${t}`) || n.endsWith(`::${t}`);
    case "group-identifier":
      return tc.classname !== undefined && (tc.classname === t || tc.classname.endsWith(`.${t}`));
  }
}

export interface TaggedRef extends EvidenceRef {
  /** The test the tag belongs to; undefined: the whole file. */
  test?: TestSelector;
}

export interface AssessInput {
  requirements: ReadonlyMap<string, Requirement>;
  /** IDs the committed lock lists as active. */
  baselined: ReadonlySet<string>;
  /** `@verifies` evidence by ID, tags tied to their tests. */
  evidence: ReadonlyMap<string, readonly TaggedRef[]>;
  cases: readonly TestCase[];
  /** `verification.results` is configured (results were expected, even if no file was found). */
  resultsConfigured: boolean;
  required: readonly VerificationMethod[];
  prefixes: ReadonlySet<string>;
}

export interface Assessment {
  /** Every requirement with a known ID. */
  byId: Map<string, RequirementVerification>;
  diagnostics: Diagnostic[];
}

const PROPERTY_NAME = /requirement|verifies|^req(?:s|_?ids?)?$|^covers$/i;

export function assessVerification(input: AssessInput): Assessment {
  const byId = new Map<string, RequirementVerification>();
  const pattern = idPattern(input.prefixes);
  // Cases by every form a tag may name them by: suffixes after a space (titles), base identifiers.
  const index = new Map<string, TestCase[]>();
  const add = (key: string, tc: TestCase) => {
    const list = index.get(key);
    if (list) {
      if (list[list.length - 1] !== tc) list.push(tc);
    } else index.set(key, [tc]);
  };
  const direct = new Map<string, Array<{ tc: TestCase; via: "property" | "name" }>>();
  for (const tc of input.cases) {
    const n = tc.name;
    add(n, tc);
    for (let i = n.indexOf(" "); i !== -1; i = n.indexOf(" ", i + 1)) add(n.slice(i + 1), tc);
    const base = /^[^[/(]+/.exec(n)?.[0];
    if (base !== undefined && base !== n) add(base, tc);
    const tail = /[.:]([^.:]+)$/.exec(n)?.[1];
    if (tail !== undefined) add(tail, tc);
    const ids = new Set<string>();
    for (const p of tc.properties) if (PROPERTY_NAME.test(p.name)) for (const m of p.value.matchAll(pattern)) if (!ids.has(m[0])) { ids.add(m[0]); push(direct, m[0], { tc, via: "property" }); }
    for (const m of n.matchAll(pattern)) if (!ids.has(m[0])) { ids.add(m[0]); push(direct, m[0], { tc, via: "name" }); }
  }
  const groups = input.cases; // group selectors scan the cases (describe blocks and test classes are few)

  const tied = (ref: TaggedRef): TestCase[] => {
    const test = ref.test;
    let candidates: readonly TestCase[];
    if (test === undefined) candidates = input.cases;
    else if (test.kind === "title" || test.kind === "identifier") candidates = index.get(test.name) ?? [];
    else candidates = groups;
    return candidates.filter((tc) => {
      const fm = fileMatch(ref.file, tc);
      if (fm === "no") return false;
      if (test === undefined) return fm === "yes";
      return nameMatches(tc, test);
    });
  };

  // Without test cases nothing can be tied: a status from the tags alone, one shared empty list (never
  // written to) instead of a Set and a list per requirement, which was most of this pass at 50k.
  const noCases = input.cases.length === 0 && direct.size === 0;
  const set = (id: string): void => {
    if (byId.has(id)) return;
    const refs = input.evidence.get(id);
    if (noCases) {
      byId.set(id, { status: statusOf(NO_RESULTS, refs !== undefined && refs.length > 0, input.resultsConfigured), results: NO_RESULTS as TestResultRef[] });
      return;
    }
    const results: TestResultRef[] = [];
    const seen = new Set<TestCase>();
    for (const ref of refs ?? []) {
      for (const tc of tied(ref)) {
        if (seen.has(tc)) continue;
        seen.add(tc);
        results.push({ ...resultOf(tc, "tag"), tag: { file: ref.file, line: ref.line } });
      }
    }
    for (const { tc, via } of direct.get(id) ?? []) {
      if (seen.has(tc)) continue;
      seen.add(tc);
      results.push(resultOf(tc, via));
    }
    byId.set(id, { status: statusOf(results, (refs ?? []).length > 0, input.resultsConfigured), results });
  };
  // The order of the map: requirements, then IDs only tags name, then IDs only results name.
  for (const id of input.requirements.keys()) set(id);
  for (const id of input.evidence.keys()) set(id);
  for (const id of direct.keys()) set(id);

  const diagnostics: Diagnostic[] = [];
  const required = new Set(input.required);
  for (const r of input.requirements.values()) {
    if (r.status !== "active" || !input.baselined.has(r.id)) continue;
    const v = byId.get(r.id)!;
    const demanded = r.verification !== undefined && required.has(r.verification);
    // Only these three findings exist; the rest of a requirement's pass allocates nothing.
    if (!(v.status === "failed" || (demanded && (v.status === "missing" || v.status === "skipped" || v.status === "not-run")))) continue;
    const at = { file: r.origin.file, path: [...r.origin.path, r.verification !== undefined ? "verification" : "id"] };
    const related = v.results.filter((x) => x.status !== "passed").slice(0, 5).map((x) => ({ file: x.tag?.file ?? x.resultFile, line: x.tag?.line ?? 0, column: 0 }));
    if (v.status === "missing" && demanded) {
      diagnostics.push(diagnostic({ code: "verification-missing", ...at, message: `${r.id} must be verified by ${r.verification} (verification.required), and nothing verifies it`, hint: `add \`@verifies ${r.id}\` to the ${r.verification === "test" ? "test" : "evidence"} that verifies it, under verification.paths${input.resultsConfigured ? `, or name ${r.id} in a test result's \`requirement\` property` : ""}` }));
    } else if (v.status === "failed") {
      const failed = v.results.filter((x) => x.status === "failed");
      const names = failed.slice(0, 3).map((x) => `"${x.name}"${x.message ? ` (${x.message})` : ""} in ${x.resultFile}`).join("; ");
      diagnostics.push(diagnostic({ code: "verification-failed", severity: demanded ? "error" : "warning", ...at, message: `${r.id}: ${failed.length === 1 ? "its test failed" : `${failed.length} of its tests failed`}: ${names}${failed.length > 3 ? `, and ${failed.length - 3} more` : ""}`, hint: "fix the implementation or the test; the evidence counts again when the test passes", ...(related.length ? { related } : {}) }));
    } else if (demanded && (v.status === "skipped" || v.status === "not-run")) {
      diagnostics.push(diagnostic({
        code: v.status === "skipped" ? "verification-skipped" : "verification-not-run",
        severity: "warning",
        ...at,
        message: v.status === "skipped" ? `${r.id}: its tests were skipped, so nothing shows that it is met` : `${r.id}: no test result covers the tests that name it`,
        hint: v.status === "skipped" ? "run the skipped tests" : "run these tests and write their JUnit results where verification.results points",
        ...(related.length ? { related } : {}),
      }));
    }
  }
  return { byId, diagnostics };
}

const NO_RESULTS: readonly TestResultRef[] = Object.freeze([]);

function resultOf(tc: TestCase, via: TestResultRef["via"]): TestResultRef {
  const r: TestResultRef = { resultFile: tc.resultFile, suite: tc.suite, name: tc.name, status: tc.status, via };
  if (tc.classname !== undefined) r.classname = tc.classname;
  if (tc.file !== undefined) r.file = tc.file;
  if (tc.message !== undefined) r.message = tc.message;
  return r;
}

function statusOf(results: readonly TestResultRef[], tagged: boolean, resultsConfigured: boolean): EvidenceStatus {
  if (results.some((r) => r.status === "failed")) return "failed";
  if (results.some((r) => r.status === "passed")) return "passed";
  if (results.some((r) => r.status === "skipped")) return "skipped";
  if (!tagged) return "missing";
  return resultsConfigured ? "not-run" : "tagged";
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
