// XHTML as other tools write it, to reqgate text: what a person would have typed, and what was lost.
import { describe, expect, it } from "@jest/globals";
import { XMLParser } from "fast-xml-parser";
import { xhtmlToText } from "../../../src/domain/interchange/xhtml.js";
import type { XmlNode } from "../../../src/domain/interchange/xml-nodes.js";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", preserveOrder: true, trimValues: false, parseTagValue: false, htmlEntities: true });
function convert(xhtml: string) {
  const result = xhtmlToText(parser.parse(xhtml) as XmlNode[]);
  return { text: result.text, lost: result.lost.map((l) => `${l.element}: ${l.reason}`) };
}

describe("xhtmlToText", () => {
  it("folds whitespace as a browser does and separates paragraphs by a blank line", () => {
    expect(convert(`<xhtml:div>\n  <xhtml:p>The  system\n   shall   work.</xhtml:p>\n  <xhtml:h2>Notes</xhtml:h2><xhtml:p>Second&#160;one.</xhtml:p></xhtml:div>`)).toEqual({ text: "The system shall work.\n\nNotes\n\nSecond\u00a0one.", lost: [] });
  });

  it("writes emphasis, strong, code and links the way a person types them", () => {
    expect(convert(`<p>It <em> must </em> be <b>fast</b>, see <code>cfg.x</code> and <a href="https://example.com/a">the spec</a> or <a href="https://example.com/b">https://example.com/b</a>.</p>`)).toEqual({ text: "It *must* be **fast**, see `cfg.x` and [the spec](https://example.com/a) or https://example.com/b.", lost: [] });
  });

  it("writes lists as lines, nested lists indented, line breaks kept", () => {
    expect(convert(`<div><ul><li>one<br/>more</li><li>two<ol><li>a</li><li>b</li></ol></li></ul><p>after</p></div>`)).toEqual({ text: "- one\n  more\n- two\n  1. a\n  2. b\n\nafter", lost: [] });
  });

  it("keeps text that has no element of its own, directly in a div", () => {
    expect(convert(`<div>Plain text <i>with</i> no paragraph</div>`)).toEqual({ text: "Plain text *with* no paragraph", lost: [] });
  });

  it("reports what has no plain-text form: objects, images, tables, sub/superscript, unknown elements", () => {
    expect(convert(`<div><p>x<sup>2</sup> <u>and</u> <blink>this</blink></p><img src="a.png"/><table><tr><td>a</td><td>b</td></tr></table></div>`)).toEqual({
      text: "x2 and this\n\na | b",
      lost: [
        "sup: superscript is kept as plain text",
        "u: underline is kept as plain text",
        "blink: <blink> is not an XHTML element reqgate knows: its text is kept, its meaning is not",
        "img: an embedded image (a.png) has no plain-text form: it is left out of the text",
        "table: a table is flattened into one line per row, cells separated by \" | \"",
      ],
    });
  });

  it("keeps preformatted text as it is", () => {
    expect(convert(`<div><pre>\nline 1\n  line 2\n</pre></div>`)).toEqual({ text: "line 1\n  line 2", lost: [] });
  });
});
