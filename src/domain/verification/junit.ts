// JUnit XML test results (`verification.results`): the format jest-junit, pytest `--junitxml`, Maven
// Surefire, go-junit-report and most CI tools write. Parsed with fast-xml-parser (validated first, so a
// broken file is reported with its line and column, never half-read). Only what ties a test case to a
// requirement and its outcome is kept: suite, classname, name, file, line, status, properties.
//
//   <testsuites>                                  (optional; suites may also nest)
//     <testsuite name="…" file="…"?>
//       <testcase classname="…" name="…" file="…"? line="…"?>
//         <properties><property name="requirement" value="REQ-5"/></properties>?
//         <failure message="…"/> | <error/> | <skipped/>   (none: passed)
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { diagnostic, type Diagnostic } from "../core/diagnostic.js";

export type TestStatus = "passed" | "failed" | "skipped";

export interface TestCase {
  /** The results file it came from. */
  resultFile: string;
  suite: string;
  classname?: string;
  name: string;
  /** The test source file, when the runner wrote one (jest-junit's addFileAttribute, pytest xunit1). */
  file?: string;
  line?: number;
  status: TestStatus;
  /** First line of the failure or skip message, shortened. */
  message?: string;
  properties: Array<{ name: string; value: string }>;
}

export interface JunitResult {
  cases: TestCase[];
  diagnostics: Diagnostic[];
}

/** A results file is read whole; larger ones are refused (Surefire output with logs can grow). */
export const MAX_RESULTS_BYTES = 64 * 1024 * 1024;
const MAX_MESSAGE = 200;

const LISTS = new Set(["testsuite", "testcase", "property", "failure", "error", "skipped"]);

export function parseJunit(path: string, content: string | Uint8Array): JunitResult {
  const fail = (message: string, hint: string, line = 0, column = 0): JunitResult => ({ cases: [], diagnostics: [diagnostic({ code: "results-invalid", file: path, line, column, message, hint })] });
  const size = typeof content === "string" ? content.length : content.byteLength;
  if (size > MAX_RESULTS_BYTES) return fail(`the test results file is larger than ${MAX_RESULTS_BYTES / 1024 / 1024} MB`, "split the results into several files, or leave the test output out of them");
  let text: string;
  try {
    text = typeof content === "string" ? content : new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    return fail("the test results file is not UTF-8 text", "write the JUnit XML as UTF-8");
  }
  // JUnit files never declare a DOCTYPE; refusing it rules out entity expansion of any kind.
  if (/<!DOCTYPE/i.test(text)) return fail("the test results file declares a DOCTYPE, which JUnit XML does not use", "remove the DOCTYPE declaration");
  const valid = XMLValidator.validate(text);
  if (valid !== true) return fail(`the test results file is not well-formed XML: ${valid.err.msg}`, "regenerate it with the test runner's JUnit reporter", valid.err.line, valid.err.col);

  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", textNodeName: "#text", parseAttributeValue: false, parseTagValue: false, isArray: (name) => LISTS.has(name) });
  const doc = parser.parse(text) as Record<string, unknown>;
  const roots: XmlNode[] = [];
  const top = asNode(doc.testsuites);
  if (top) roots.push(...nodes(top.testsuite));
  roots.push(...nodes(doc.testsuite));
  if (!top && roots.length === 0) return fail("the file has no <testsuites> or <testsuite> element: it is not JUnit XML", "point verification.results at the JUnit XML files your test runner writes");

  const cases: TestCase[] = [];
  // Suites may nest (Surefire, some Gradle setups): walked with a stack, not recursion.
  const stack: Array<{ node: XmlNode; file?: string }> = roots.map((node) => ({ node })).reverse();
  while (stack.length > 0) {
    const { node: suite, file: outerFile } = stack.pop()!;
    const suiteName = str(suite.name) ?? "";
    const suiteFile = str(suite.file) ?? outerFile;
    for (const tc of nodes(suite.testcase)) cases.push(testCase(path, suiteName, suiteFile, tc));
    const inner = nodes(suite.testsuite);
    for (let i = inner.length - 1; i >= 0; i--) stack.push(suiteFile !== undefined ? { node: inner[i]!, file: suiteFile } : { node: inner[i]! });
  }
  return { cases, diagnostics: [] };
}

type XmlNode = Record<string, unknown>;

function asNode(value: unknown): XmlNode | undefined {
  if (Array.isArray(value)) return asNode(value[0]);
  return value !== null && typeof value === "object" ? (value as XmlNode) : value === "" ? {} : undefined;
}

function nodes(value: unknown): XmlNode[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (v !== null && typeof v === "object" ? (v as XmlNode) : {}));
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function testCase(resultFile: string, suite: string, suiteFile: string | undefined, tc: XmlNode): TestCase {
  const failure = tc.failure ?? tc.error;
  const skipped = tc.skipped;
  const status: TestStatus = failure !== undefined ? "failed" : skipped !== undefined ? "skipped" : "passed";
  const result: TestCase = { resultFile, suite, name: str(tc.name) ?? "", status, properties: [] };
  const classname = str(tc.classname);
  if (classname !== undefined) result.classname = classname;
  const file = str(tc.file) ?? suiteFile;
  if (file !== undefined) result.file = normalizePath(file);
  const line = Number(str(tc.line));
  if (Number.isInteger(line) && line > 0) result.line = line;
  const message = messageOf(failure ?? skipped);
  if (message !== undefined) result.message = message;
  for (const props of nodes(tc.properties)) {
    for (const p of nodes(props.property)) {
      const name = str(p.name);
      const value = str(p.value) ?? str(p["#text"]);
      if (name !== undefined && value !== undefined) result.properties.push({ name, value });
    }
  }
  return result;
}

function messageOf(value: unknown): string | undefined {
  const first0: unknown = Array.isArray(value) ? value[0] : value;
  if (first0 === undefined) return undefined;
  // `<failure>text</failure>` parses to the text itself; with attributes, to an object.
  const node: XmlNode = typeof first0 === "string" ? { "#text": first0 } : nodes(first0)[0]!;
  const raw = str(node.message) ?? str(node["#text"]) ?? str(node.type);
  if (raw === undefined) return undefined;
  const first = raw.trim().split(/\r?\n/, 1)[0]!;
  return first.length > MAX_MESSAGE ? `${first.slice(0, MAX_MESSAGE - 1)}…` : first;
}

/** Forward slashes, no leading `./`. Absolute paths stay absolute (matched by their tail). */
function normalizePath(path: string): string {
  return path.replace(/\\/g, "/").replace(/^(\.\/)+/, "");
}
