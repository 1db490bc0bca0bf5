import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { parseJunit } from "../../../src/domain/verification/junit.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/junit/${name}`, import.meta.url), "utf8");

/** `status name` per case, with the file when the results name one. */
function summary(name: string): string[] {
  const { cases, diagnostics } = parseJunit(`reports/${name}`, fixture(name));
  expect(diagnostics).toEqual([]);
  return cases.map((c) => `${c.status} ${c.name}${c.file ? ` @${c.file}` : ""}${c.classname ? ` <${c.classname}>` : ""}`);
}

describe("parseJunit on files written by real test runners", () => {
  it("reads jest-junit's default output (no file attribute)", () => {
    expect(summary("jest-junit.xml")).toEqual([
      "passed lockout locks the account after 5 failures <lockout locks the account after 5 failures>",
      "failed lockout logs every login attempt <lockout logs every login attempt>",
      "skipped lockout unlocks by mail <lockout unlocks by mail>",
    ]);
  });

  it("reads jest-junit with addFileAttribute", () => {
    expect(summary("jest-junit-file.xml")).toEqual([
      "passed lockout locks the account after 5 failures @tests/login.test.js <lockout locks the account after 5 failures>",
      "failed lockout logs every login attempt @tests/login.test.js <lockout logs every login attempt>",
      "skipped lockout unlocks by mail @tests/login.test.js <lockout unlocks by mail>",
    ]);
  });

  it("reads pytest's xunit1 and xunit2 families, with record_property", () => {
    expect(summary("pytest-xunit1.xml")).toEqual(["skipped test_audit_export @tests/test_audit.py <tests.test_audit>", "passed test_audit_record @tests/test_audit.py <tests.test_audit>"]);
    expect(summary("pytest-xunit2.xml")).toEqual(["skipped test_audit_export <tests.test_audit>", "passed test_audit_record <tests.test_audit>"]);
    const record = parseJunit("r.xml", fixture("pytest-xunit1.xml")).cases[1]!;
    expect(record.properties).toEqual([{ name: "requirement", value: "REQ-5" }]);
    expect(record.line).toBe(10);
  });

  it("keeps the first line of a failure and of a skip reason", () => {
    const jest = parseJunit("r.xml", fixture("jest-junit.xml")).cases;
    expect(jest[1]!.message).toBe("Error: expect(received).toHaveLength(expected)");
    const py = parseJunit("r.xml", fixture("pytest-xunit1.xml")).cases;
    expect(py[0]!.message).toBe("the audit store is not available in CI");
  });
});

describe("parseJunit on the other common shapes", () => {
  it("reads a bare <testsuite> (Maven Surefire) with <error> and a nested suite", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.acme.LoginTest" tests="3" failures="0" errors="1" skipped="0">
  <properties><property name="java.version" value="21"/></properties>
  <testcase name="locksAccount" classname="com.acme.LoginTest" time="0.01"/>
  <testcase name="logsLogin" classname="com.acme.LoginTest" time="0.01"><error message="NullPointerException" type="java.lang.NullPointerException">at com.acme.Login</error></testcase>
  <testsuite name="inner" file="src/test/java/com/acme/Inner.java"><testcase name="inner" classname="com.acme.Inner"/></testsuite>
</testsuite>`;
    const { cases, diagnostics } = parseJunit("target/surefire-reports/TEST-com.acme.LoginTest.xml", xml);
    expect(diagnostics).toEqual([]);
    expect(cases.map((c) => [c.name, c.status, c.message ?? null, c.file ?? null])).toEqual([
      ["locksAccount", "passed", null, null],
      ["logsLogin", "failed", "NullPointerException", null],
      ["inner", "passed", null, "src/test/java/com/acme/Inner.java"],
    ]);
  });

  it("reads go-junit-report's shape", () => {
    const xml = `<testsuites tests="2"><testsuite name="example.com/auth" tests="2" failures="1"><testcase name="TestLockout" classname="example.com/auth" time="0.000"></testcase><testcase name="TestLockout/after_five" classname="example.com/auth"><failure message="Failed" type="">lockout_test.go:12: want true</failure></testcase></testsuite></testsuites>`;
    expect(parseJunit("go.xml", xml).cases.map((c) => `${c.status} ${c.name}`)).toEqual(["passed TestLockout", "failed TestLockout/after_five"]);
  });

  it.each<[string, string, string]>([
    ["broken XML, with its line", "<testsuites>\n<testsuite>\n</testsuites>", "reports/x.xml:3:1: error: the test results file is not well-formed XML"],
    ["XML that is not JUnit", "<project><artifact/></project>", "reports/x.xml: error: the file has no <testsuites> or <testsuite> element: it is not JUnit XML"],
    ["a DOCTYPE (entity expansion)", '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]><testsuite><testcase name="&a;"/></testsuite>', "reports/x.xml: error: the test results file declares a DOCTYPE, which JUnit XML does not use"],
  ])("reports %s", (_name, xml, expected) => {
    const { cases, diagnostics } = parseJunit("reports/x.xml", xml);
    expect(cases).toEqual([]);
    expect(diagnostics).toHaveLength(1);
    const d = diagnostics[0]!;
    expect(`${d.file}${d.line ? `:${d.line}:${d.column}` : ""}: ${d.severity}: ${d.message}`.startsWith(expected)).toBe(true);
    expect(d.code).toBe("results-invalid");
  });

  it("reports bytes that are not UTF-8", () => {
    const { diagnostics } = parseJunit("r.xml", new Uint8Array([0x3c, 0xff, 0xfe, 0x3e]));
    expect(diagnostics.map((d) => d.message)).toEqual(["the test results file is not UTF-8 text"]);
  });
});
