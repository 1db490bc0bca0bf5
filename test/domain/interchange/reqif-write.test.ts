// `report --format reqif`: the writer's output is checked against the OMG ReqIF 1.2 schema with the real
// xmllint, and its parts are checked as written out below.
import { describe, expect, it } from "@jest/globals";
import { renderReqif } from "../../../src/domain/interchange/reqif-write.js";
import type { Provenance } from "../../../src/domain/report/provenance.js";
import { xmllint } from "../../support/xmllint.js";
import { req } from "../helpers.js";

const provenance: Provenance = {
  repository: "github.com/acme/widgets",
  commit: "0123456789abcdef0123456789abcdef01234567",
  branch: "main",
  commitDate: "2026-01-01T10:00:00+01:00",
  dirty: false,
  generatedAt: "2026-01-02T00:00:00Z",
  tool: { name: "reqgate", version: "0.1.0" },
  configuration: { file: ".github/reqgate.yml", sha256: "ab".repeat(32) },
};

function attributes(value: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, value);
}

describe("renderReqif", () => {
  const set = [
    req("SYS-1", { title: "Secure login", text: "Logins are protected.\n\nEvery attempt is audited." }),
    req("REQ-10", { title: `Lock <5> & "tell" the owner's team: é 日本`, text: "The system shall <lock> & \"say\" so.", parents: ["SYS-1"], verification: "test", owner: "@acme/security", tags: ["security", "audit"], links: ["docs/a.md"], attributes: attributes({ risk: "high", asil: { level: "B" } }) }),
    req("REQ-2", { text: "The log holds:\n\n- the user\n- the address", parents: ["SYS-1", "REQ-10"], status: "retired", supersededBy: "REQ-10" }),
  ];
  const out = renderReqif({ requirements: set, provenance });

  it("is valid against the OMG ReqIF 1.2 schema (xmllint)", () => {
    expect(xmllint(out.text)).toEqual({ status: 0, stderr: "out.reqif validates\n" });
    expect(out.warnings).toEqual([]);
    // The check can fail: the same file without its header is rejected.
    const headless = out.text.replace(/<THE-HEADER>[\s\S]*<\/THE-HEADER>\n/, "");
    expect(xmllint(headless).status).toBe(3); // xmllint: the document does not validate
    expect(xmllint(headless).stderr).toContain("Element '{http://www.omg.org/spec/ReqIF/20110401/reqif.xsd}CORE-CONTENT': This element is not expected. Expected is ( {http://www.omg.org/spec/ReqIF/20110401/reqif.xsd}THE-HEADER ).");
  });

  it("states the provenance in the header", () => {
    expect(out.text).toContain(`<REQ-IF-HEADER IDENTIFIER="reqgate-header-0123456789ab">
      <COMMENT>Repository: github.com/acme/widgets&#10;Commit: 0123456789ab (main; 2026-01-01T10:00:00+01:00)&#10;Generated: 2026-01-02T00:00:00Z by reqgate 0.1.0&#10;Configuration: .github/reqgate.yml (sha256 abababababababab)</COMMENT>
      <CREATION-TIME>2026-01-02T00:00:00Z</CREATION-TIME>
      <REPOSITORY-ID>github.com/acme/widgets</REPOSITORY-ID>
      <REQ-IF-TOOL-ID>reqgate 0.1.0</REQ-IF-TOOL-ID>
      <REQ-IF-VERSION>1.0</REQ-IF-VERSION>
      <SOURCE-TOOL-ID>reqgate 0.1.0</SOURCE-TOOL-ID>
      <TITLE>Requirements of github.com/acme/widgets at 0123456789ab</TITLE>
    </REQ-IF-HEADER>`);
    expect(out.text.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n`)).toBe(true);
  });

  it("escapes markup characters and keeps non-ASCII text as it is", () => {
    expect(out.text).toContain(`<ATTRIBUTE-VALUE-STRING THE-VALUE="Lock &lt;5&gt; &amp; &quot;tell&quot; the owner&apos;s team: é 日本">`);
    expect(out.text).toContain(`<THE-VALUE><xhtml:div><xhtml:p>The system shall &lt;lock&gt; &amp; &quot;say&quot; so.</xhtml:p></xhtml:div>`);
  });

  it("writes paragraphs and lists as XHTML, multi-line values with character references", () => {
    expect(out.text).toContain(`<THE-VALUE><xhtml:div><xhtml:p>Logins are protected.</xhtml:p><xhtml:p>Every attempt is audited.</xhtml:p></xhtml:div>`);
    expect(out.text).toContain(`<THE-VALUE><xhtml:div><xhtml:p>The log holds:</xhtml:p><xhtml:ul><xhtml:li>the user</xhtml:li><xhtml:li>the address</xhtml:li></xhtml:ul></xhtml:div>`);
    expect(out.text).toContain(`<ATTRIBUTE-VALUE-STRING THE-VALUE="security&#10;audit">`);
    expect(out.text).toContain(`<ATTRIBUTE-VALUE-STRING THE-VALUE="{&quot;asil&quot;:{&quot;level&quot;:&quot;B&quot;},&quot;risk&quot;:&quot;high&quot;}">`);
  });

  it("declares the datatypes and the attribute definitions it uses", () => {
    expect(out.text).toContain(`<DATATYPE-DEFINITION-STRING IDENTIFIER="dt-string" LAST-CHANGE="2026-01-01T10:00:00+01:00" LONG-NAME="string" MAX-LENGTH="16777216"/>`);
    expect(out.text).toContain(`<ENUM-VALUE IDENTIFIER="ev-status-retired" LAST-CHANGE="2026-01-01T10:00:00+01:00" LONG-NAME="retired">
              <PROPERTIES>
                <EMBEDDED-VALUE KEY="2" OTHER-CONTENT="retired"/>
              </PROPERTIES>
            </ENUM-VALUE>`);
    const longNames = [...out.text.matchAll(/<ATTRIBUTE-DEFINITION-\w+ IDENTIFIER="[^"]+" LAST-CHANGE="[^"]+" LONG-NAME="([^"]+)"/g)].map((m) => m[1]);
    expect(longNames).toEqual(["ReqIF.ForeignID", "ReqIF.Name", "ReqIF.Text", "reqgate.status", "reqgate.verification", "reqgate.owner", "reqgate.tags", "reqgate.links", "reqgate.superseded_by", "reqgate.attributes", "reqgate.file"]);
  });

  it("writes every parent link as a SPEC-RELATION and the tree under the first parent", () => {
    const relations = [...out.text.matchAll(/<SPEC-RELATION IDENTIFIER="([^"]+)"/g)].map((m) => m[1]);
    expect(relations).toEqual(["sr-REQ-2-SYS-1", "sr-REQ-2-REQ-10", "sr-REQ-10-SYS-1"]);
    const tree = out.text.slice(out.text.indexOf("<SPECIFICATIONS>"));
    const outline = [...tree.matchAll(/^( *)<SPEC-HIERARCHY IDENTIFIER="sh-([^"]+)"/gm)].map((m) => `${m[1]!.length}:${m[2]}`);
    expect(outline).toEqual(["12:SYS-1", "16:REQ-2", "16:REQ-10"]);
  });

  it("replaces characters XML cannot carry, and says where", () => {
    const broken = renderReqif({ requirements: [req("REQ-1", { title: "Bell\u0007 and \uD800 lone" })], provenance });
    expect(broken.text).toContain(`THE-VALUE="Bell\uFFFD and \uFFFD lone"`);
    expect(broken.warnings).toEqual(["REQ-1: ReqIF.Name has characters XML cannot carry (control characters or broken surrogates): written as U+FFFD"]);
    expect(xmllint(broken.text).status).toBe(0);
  });

  it("skips a link to a parent outside the set, and places a parent cycle at the top of the tree", () => {
    const cyclic = renderReqif({ requirements: [req("REQ-1", { parents: ["REQ-2"] }), req("REQ-2", { parents: ["REQ-1", "SYS-9"] })], provenance });
    expect(cyclic.warnings).toEqual(["REQ-2: its parent SYS-9 is not in the requirement set: the link is not written"]);
    const tree = cyclic.text.slice(cyclic.text.indexOf("<SPECIFICATIONS>"));
    expect([...tree.matchAll(/^( *)<SPEC-HIERARCHY IDENTIFIER="sh-([^"]+)"/gm)].map((m) => `${m[1]!.length}:${m[2]}`)).toEqual(["12:REQ-1", "16:REQ-2"]);
    expect(xmllint(cyclic.text).status).toBe(0);
  });

  it("keeps the tree at most 40 levels deep: a longer chain continues at the top", () => {
    const chain = Array.from({ length: 45 }, (_, i) => req(`REQ-${i + 1}`, { parents: i === 0 ? [] : [`REQ-${i}`] }));
    const deep = renderReqif({ requirements: chain, provenance });
    const tree = deep.text.slice(deep.text.indexOf("<SPECIFICATIONS>"));
    const depths = [...tree.matchAll(/^( *)<SPEC-HIERARCHY IDENTIFIER="sh-([^"]+)"/gm)].map((m) => [m[2], (m[1]!.length - 12) / 4]);
    expect(depths[39]).toEqual(["REQ-40", 39]);
    expect(depths[40]).toEqual(["REQ-41", 0]);
    expect(xmllint(deep.text).status).toBe(0);
  });
});
