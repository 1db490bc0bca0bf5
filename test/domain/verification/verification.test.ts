import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import type { Requirement } from "../../../src/domain/requirements/requirement.js";
import { parseJunit, type TestCase } from "../../../src/domain/verification/junit.js";
import { assessVerification, testsOfTags, type TaggedRef } from "../../../src/domain/verification/verification.js";
import { formatDiagnostic } from "../../../src/domain/core/diagnostic.js";
import { req } from "../helpers.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8");

describe("testsOfTags: the test a @verifies line belongs to", () => {
  it.each<[string, string, number, string | undefined]>([
    ["a jest test on the next line", '// @verifies REQ-1\ntest("locks the account", () => {});', 1, "title:locks the account"],
    ["through comments, blank lines and a decorator", '# @verifies REQ-4\n\n# more words\n@pytest.mark.skip(reason="x")\ndef test_audit_export():\n    pass', 1, "identifier:test_audit_export"],
    ["a describe block", '// @verifies REQ-1\ndescribe("lockout", () => {', 1, "group-title:lockout"],
    ["a pytest class", "# @verifies REQ-1\nclass TestLockout:\n", 1, "group-identifier:TestLockout"],
    ["a Go test", "// @verifies REQ-1\nfunc TestLockout(t *testing.T) {", 1, "identifier:TestLockout"],
    ["a JUnit method behind its annotation", "  // @verifies REQ-1\n  @Test\n  public void locksAccount() {", 1, "identifier:locksAccount"],
    ["the first line of a test's body", 'it("logs every attempt", async () => {\n  // @verifies REQ-2\n  expect(1).toBe(1);', 2, "title:logs every attempt"],
    ["a tag at the end of the declaration's line", 'test("x y", () => { // @verifies REQ-3', 1, "title:x y"],
    ["escaped quotes in a title", "// @verifies REQ-1\nit('can\\'t log in', () => {});", 1, "title:can't log in"],
    ["a file header (the whole file)", "/**\n * @verifies REQ-1\n */\nimport { x } from './x';\n\ntest('a', () => {});", 2, undefined],
    ["a tag after a test's end, before other code", 'test("a", () => {\n});\n// @verifies REQ-1\nconst helper = 1;', 3, undefined],
  ])("finds %s", (_name, text, line, expected) => {
    const test = testsOfTags(text, [line]).get(line);
    expect(test ? `${test.kind}:${test.name}` : undefined).toBe(expected);
  });
});

const prefixes = new Set(["REQ", "SYS"]);

function tag(id: string, file: string, line: number, test?: TaggedRef["test"]): TaggedRef {
  return test ? { id, file, line, test } : { id, file, line };
}

function assess(requirements: Requirement[], evidence: TaggedRef[], cases: TestCase[], options: { required?: Array<"test" | "analysis">; resultsConfigured?: boolean; baselined?: string[] } = {}) {
  const byId = new Map(requirements.map((r) => [r.id, r]));
  const ev = new Map<string, TaggedRef[]>();
  for (const e of evidence) ev.set(e.id, [...(ev.get(e.id) ?? []), e]);
  return assessVerification({
    requirements: byId,
    baselined: new Set(options.baselined ?? requirements.map((r) => r.id)),
    evidence: ev,
    cases,
    resultsConfigured: options.resultsConfigured ?? true,
    required: options.required ?? ["test"],
    prefixes,
  });
}

describe("assessVerification with real jest and pytest results", () => {
  const jest = parseJunit("reports/jest-junit.xml", fixture("junit/jest-junit.xml")).cases;
  const jestWithFile = parseJunit("reports/jest-junit-file.xml", fixture("junit/jest-junit-file.xml")).cases;
  const pytest1 = parseJunit("reports/pytest.xml", fixture("junit/pytest-xunit1.xml")).cases;
  const pytest2 = parseJunit("reports/pytest2.xml", fixture("junit/pytest-xunit2.xml")).cases;
  const T = "tests/login.test.js";
  const P = "tests/test_audit.py";
  const reqs = ["REQ-1", "REQ-2", "REQ-3", "REQ-4", "REQ-5", "REQ-6", "REQ-7"].map((id) => req(id, { verification: "test" }));
  const tags = [
    tag("REQ-1", T, 7, { name: "locks the account after 5 failures", kind: "title" }),
    tag("REQ-2", T, 12, { name: "logs every login attempt", kind: "title" }),
    tag("REQ-6", T, 18, { name: "unlocks by mail", kind: "title" }),
    tag("REQ-4", P, 5, { name: "test_audit_export", kind: "identifier" }),
    tag("REQ-7", "tests/export.test.js", 2, { name: "exports the audit trail as PDF", kind: "title" }),
  ];

  it.each<[string, TestCase[]]>([
    ["jest without file attributes and pytest xunit1", [...jest, ...pytest1]],
    ["jest with file attributes and pytest xunit2 (classname as the module path)", [...jestWithFile, ...pytest2]],
  ])("gives each requirement its status: %s", (_name, cases) => {
    const { byId, diagnostics } = assess(reqs, tags, cases);
    expect(Object.fromEntries([...byId].map(([id, v]) => [id, v.status]))).toEqual({
      "REQ-1": "passed",
      "REQ-2": "failed",
      "REQ-3": "missing",
      "REQ-4": "skipped",
      "REQ-5": "passed", // through record_property, no tag
      "REQ-6": "skipped",
      "REQ-7": "not-run",
    });
    expect(byId.get("REQ-5")!.results.map((r) => `${r.via} ${r.name}`)).toEqual(["property test_audit_record"]);
    expect(byId.get("REQ-1")!.results.map((r) => `${r.via} ${r.name} ${r.tag?.file}:${r.tag?.line}`)).toEqual([`tag lockout locks the account after 5 failures ${T}:7`]);
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.message}`)).toEqual([
      'error verification-failed REQ-2: its test failed: "lockout logs every login attempt" (Error: expect(received).toHaveLength(expected)) in ' + cases.find((c) => c.status === "failed")!.resultFile,
      "error verification-missing REQ-3 must be verified by test (verification.required), and nothing verifies it",
      "warning verification-skipped REQ-4: its tests were skipped, so nothing shows that it is met",
      "warning verification-skipped REQ-6: its tests were skipped, so nothing shows that it is met",
      "warning verification-not-run REQ-7: no test result covers the tests that name it",
    ]);
  });

  it("ties a file-level tag to every case of that file, only when the results name the file", () => {
    const fileTag = [tag("REQ-1", T, 1)];
    expect(assess([reqs[0]!], fileTag, jestWithFile).byId.get("REQ-1")!.results.map((r) => r.status)).toEqual(["passed", "failed", "skipped"]);
    expect(assess([reqs[0]!], fileTag, jestWithFile).byId.get("REQ-1")!.status).toBe("failed");
    // Without a file in the results, nothing says which cases ran from that file.
    expect(assess([reqs[0]!], fileTag, jest).byId.get("REQ-1")!.status).toBe("not-run");
  });

  it("does not tie a tag to a test of the same name in another file", () => {
    const other = [tag("REQ-1", "tests/other.test.js", 3, { name: "locks the account after 5 failures", kind: "title" })];
    expect(assess([reqs[0]!], other, jestWithFile).byId.get("REQ-1")!.status).toBe("not-run");
  });

  it("makes failed evidence a warning, and missing evidence nothing, where the method is not required", () => {
    const { diagnostics } = assess(reqs.slice(0, 3), tags, [...jest], { required: [] });
    expect(diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(["warning verification-failed"]);
  });

  it("demands nothing of drafts and requirements not in the baseline", () => {
    const draft = req("REQ-3", { verification: "test", status: "draft" });
    expect(assess([draft, req("REQ-9", { verification: "test" })], [], [], { baselined: ["REQ-3"] }).diagnostics).toEqual([]);
  });

  it("says `tagged` when no results are configured", () => {
    const { byId, diagnostics } = assess([reqs[0]!, reqs[2]!], [tags[0]!], [], { resultsConfigured: false });
    expect([byId.get("REQ-1")!.status, byId.get("REQ-3")!.status]).toEqual(["tagged", "missing"]);
    expect(diagnostics.map((d) => formatDiagnostic(d))).toEqual(["requirements/REQ-3.yml: error: REQ-3 must be verified by test (verification.required), and nothing verifies it (add `@verifies REQ-3` to the test that verifies it, under verification.paths)"]);
  });
});

describe("assessVerification with the other runners' shapes", () => {
  const cases = (xml: string) => parseJunit("r.xml", xml).cases;

  it("ties a Surefire method through the classname as the file's path", () => {
    const xml = '<testsuite name="s"><testcase name="locksAccount" classname="com.acme.LoginTest"/><testcase name="locksAccount" classname="com.acme.OtherTest"><failure/></testcase></testsuite>';
    const t = [tag("REQ-1", "src/test/java/com/acme/LoginTest.java", 9, { name: "locksAccount", kind: "identifier" })];
    expect(assess([req("REQ-1", { verification: "test" })], t, cases(xml)).byId.get("REQ-1")!.status).toBe("passed");
  });

  it("ties Go subtests and pytest parameters to their function", () => {
    const xml = '<testsuites><testsuite name="example.com/auth"><testcase name="TestLockout/five" classname="example.com/auth"/><testcase name="test_x[2]" classname="tests.test_x"><failure/></testcase></testsuite></testsuites>';
    const t = [tag("REQ-1", "auth/lockout_test.go", 3, { name: "TestLockout", kind: "identifier" }), tag("REQ-2", "tests/test_x.py", 1, { name: "test_x", kind: "identifier" })];
    const { byId } = assess([req("REQ-1", { verification: "test" }), req("REQ-2", { verification: "test" })], t, cases(xml));
    expect([byId.get("REQ-1")!.status, byId.get("REQ-2")!.status]).toEqual(["passed", "failed"]);
  });

  it("ties a case whose name carries the ID", () => {
    const xml = '<testsuite name="s"><testcase name="REQ-12 locks the account" classname="x"/><testcase name="XREQ-12 is not it" classname="x"><failure/></testcase></testsuite>';
    const { byId } = assess([req("REQ-12", { verification: "test" })], [], cases(xml));
    expect(byId.get("REQ-12")!.results.map((r) => `${r.via} ${r.status}`)).toEqual(["name passed"]);
  });
});
